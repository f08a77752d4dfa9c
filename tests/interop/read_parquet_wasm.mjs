// usage: node read_parquet_wasm.mjs FILE.parquet [FILE.parquet...]
// Prints the canonical document (canonical.mjs) of each file as parquet-wasm
// (the Rust parquet crate compiled to WebAssembly) reads it. Its Arrow IPC
// output is decoded with apache-arrow; types are named from the Arrow schema.
import { readFile } from 'node:fs/promises';
import { DataType, Precision, TimeUnit, Type, tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { canonDouble, canonInt64, decimalText, hex, main } from './canonical.mjs';

const kUnits = { [TimeUnit.SECOND]: 's', [TimeUnit.MILLISECOND]: 'ms', [TimeUnit.MICROSECOND]: 'us', [TimeUnit.NANOSECOND]: 'ns' };

// Raw slot i of an Arrow Data (no conversion, so timestamps keep every digit).
const raw = (data, i) => data.values[data.offset + i];

// Arrow type -> canonical type name and an encoder of row i of a Data.
function column(type) {
  const viaGet = (encode) => (data, i, vector) => encode(vector.get(i));
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    return { name: DataType.isUtf8(type) ? 'string' : 'large_string', encode: viaGet((v) => v) };
  }
  if (DataType.isFloat(type)) {
    const name = { [Precision.HALF]: 'halffloat', [Precision.SINGLE]: 'float', [Precision.DOUBLE]: 'double' }[type.precision];
    return { name, encode: (data, i, vector) => canonDouble(vector.get(i)) };
  }
  if (DataType.isInt(type)) {
    const name = `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
    const encode = type.bitWidth === 64 ? (d, i) => canonInt64(raw(d, i)) : (d, i) => raw(d, i);
    return { name, encode };
  }
  if (DataType.isTimestamp(type)) {
    const tz = type.timezone ? `, tz=${type.timezone}` : '';
    return { name: `timestamp[${kUnits[type.unit]}${tz}]`, encode: (d, i) => canonInt64(raw(d, i)) };
  }
  if (DataType.isBool(type)) return { name: 'bool', encode: viaGet((v) => v) };
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return { name: 'binary', encode: viaGet(hex) };
  if (DataType.isDecimal(type)) {
    return { name: `decimal(${type.precision},${type.scale})`, encode: viaGet((v) => decimalText(BigInt(v), type.scale)) };
  }
  return { name: String(type).toLowerCase(), encode: viaGet((v) => String(v)) };
}

async function dump(file) {
  const bytes = new Uint8Array(await readFile(file));
  const wasmTable = readParquet(bytes);
  const table = tableFromIPC(wasmTable.intoIPCStream());
  const fields = table.schema.fields;
  if (fields.some((f) => f.type.typeId === Type.Struct || f.type.typeId === Type.List || f.type.typeId === Type.Map)) {
    throw new Error('not a flat schema');
  }
  const columns = fields.map((f) => column(f.type));
  const rows = [];
  for (const batch of table.batches) {
    const vectors = fields.map((_, c) => batch.getChildAt(c));
    for (let r = 0; r < batch.numRows; ++r) {
      rows.push(
        vectors.map((vector, c) => {
          const data = vector.data[0];
          return data.getValid(r) ? columns[c].encode(data, r, vector) : null;
        }),
      );
    }
  }
  return { schema: fields.map((f, i) => ({ name: f.name, type: columns[i].name })), rows };
}

await main('node read_parquet_wasm.mjs FILE.parquet [FILE.parquet...]', dump);
