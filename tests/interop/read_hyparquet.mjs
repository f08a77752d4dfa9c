// usage: node read_hyparquet.mjs FILE.parquet [FILE.parquet...]
// Prints the canonical document (canonical.mjs) of each flat file as hyparquet
// reads it; the type of a column is named from the schema element hyparquet
// decoded (physical type plus logical/converted type).
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { canonDouble, canonInt64, hex, main } from './canonical.mjs';

// Timestamps stay integers of their unit (the default parsers make Dates,
// which would lose the microseconds); strings stay bytes until encoded below.
const parsers = {
  timestampFromMilliseconds: (v) => BigInt(v),
  timestampFromMicroseconds: (v) => BigInt(v),
  timestampFromNanoseconds: (v) => BigInt(v),
};

const kUnits = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' };

function timestampType(unit, isAdjustedToUTC) {
  return `timestamp[${kUnits[unit]}${isAdjustedToUTC ? ', tz=UTC' : ''}]`;
}

// Schema element -> canonical type name and value encoder.
function column(el) {
  const logical = el.logical_type;
  const converted = el.converted_type;
  const self = (v) => v;
  switch (el.type) {
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'STRING' || converted === 'UTF8') return { name: 'string', encode: self };
      return { name: 'binary', encode: (v) => (typeof v === 'string' ? v : hex(v)) };
    case 'DOUBLE':
      return { name: 'double', encode: canonDouble };
    case 'FLOAT':
      return { name: 'float', encode: canonDouble };
    case 'BOOLEAN':
      return { name: 'bool', encode: self };
    case 'INT32':
      if (logical?.type === 'INTEGER') {
        return { name: `${logical.isSigned ? 'int' : 'uint'}${logical.bitWidth}`, encode: self };
      }
      return { name: 'int32', encode: self };
    case 'INT64':
      if (logical?.type === 'TIMESTAMP') {
        return { name: timestampType(logical.unit, logical.isAdjustedToUTC), encode: canonInt64 };
      }
      if (converted === 'TIMESTAMP_MICROS') return { name: 'timestamp[us, tz=UTC]', encode: canonInt64 };
      if (converted === 'TIMESTAMP_MILLIS') return { name: 'timestamp[ms, tz=UTC]', encode: canonInt64 };
      return { name: 'int64', encode: canonInt64 };
    default:
      return { name: String(el.type).toLowerCase(), encode: (v) => String(v) };
  }
}

async function dump(file) {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const root = metadata.schema[0];
  const leaves = metadata.schema.slice(1);
  if (leaves.length !== root.num_children || leaves.some((el) => el.num_children)) {
    throw new Error('not a flat schema');
  }
  const columns = leaves.map(column);
  let rows = [];
  await parquetRead({
    file: buffer,
    metadata,
    compressors,
    parsers,
    utf8: true,
    rowFormat: 'array',
    onComplete: (data) => {
      rows = data;
    },
  });
  return {
    schema: leaves.map((el, i) => ({ name: el.name, type: columns[i].name })),
    rows: rows.map((row) => row.map((v, i) => (v === null || v === undefined ? null : columns[i].encode(v)))),
  };
}

await main('node read_hyparquet.mjs FILE.parquet [FILE.parquet...]', dump);
