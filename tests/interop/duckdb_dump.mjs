// Reads a Parquet file with DuckDB and returns the canonical document of
// canonical.mjs: each column typed as DuckDB reports it.
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import { canonDouble, canonInt64, decimalText, hex } from './canonical.mjs';

let connection = null;

async function connect() {
  if (connection === null) {
    // One thread keeps the row order of the file and leaves the cores to the tests.
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    connection = await instance.connect();
  }
  return connection;
}

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// DuckDB's type -> the canonical spelling (pyarrow-like) and a value encoder.
function column(type) {
  const id = type.typeId;
  const plain = (name, encode) => ({ name, encode });
  switch (id) {
    case DuckDBTypeId.VARCHAR:
      return plain('string', (v) => v);
    case DuckDBTypeId.DOUBLE:
      return plain('double', canonDouble);
    case DuckDBTypeId.FLOAT:
      return plain('float', canonDouble);
    case DuckDBTypeId.TINYINT:
      return plain('int8', (v) => v);
    case DuckDBTypeId.SMALLINT:
      return plain('int16', (v) => v);
    case DuckDBTypeId.INTEGER:
      return plain('int32', (v) => v);
    case DuckDBTypeId.BIGINT:
      return plain('int64', canonInt64);
    case DuckDBTypeId.UTINYINT:
      return plain('uint8', (v) => v);
    case DuckDBTypeId.USMALLINT:
      return plain('uint16', (v) => v);
    case DuckDBTypeId.UINTEGER:
      return plain('uint32', (v) => v);
    case DuckDBTypeId.UBIGINT:
      return plain('uint64', canonInt64);
    case DuckDBTypeId.BOOLEAN:
      return plain('bool', (v) => v);
    case DuckDBTypeId.BLOB:
      return plain('binary', (v) => hex(v.bytes));
    case DuckDBTypeId.DATE:
      return plain('date32', (v) => v.days);
    case DuckDBTypeId.TIMESTAMP:
      return plain('timestamp[us]', (v) => v.micros.toString());
    case DuckDBTypeId.TIMESTAMP_TZ:
      return plain('timestamp[us, tz=UTC]', (v) => v.micros.toString());
    case DuckDBTypeId.TIMESTAMP_MS:
      return plain('timestamp[ms]', (v) => v.millis.toString());
    case DuckDBTypeId.TIMESTAMP_NS:
      return plain('timestamp[ns]', (v) => v.nanos.toString());
    case DuckDBTypeId.TIMESTAMP_S:
      return plain('timestamp[s]', (v) => v.seconds.toString());
    case DuckDBTypeId.DECIMAL:
      return plain(`decimal(${type.width},${type.scale})`, (v) => decimalText(BigInt(v.value), v.scale));
    default:
      // Nested and exotic types: DuckDB's own text, for eyes only; the C++
      // tests do not compare them.
      return plain(type.toString().toLowerCase(), (v) => String(v));
  }
}

export async function dumpWithDuckdb(file) {
  const con = await connect();
  const reader = await con.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`);
  const names = reader.columnNames();
  const columns = reader.columnTypes().map(column);
  const rows = reader.getRows().map((row) =>
    row.map((value, i) => (value === null ? null : columns[i].encode(value))),
  );
  return { schema: names.map((name, i) => ({ name, type: columns[i].name })), rows };
}
