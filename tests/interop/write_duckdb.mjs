// usage: node write_duckdb.mjs [--compression snappy|zstd|gzip|uncompressed]
//          [--parquet-version v1|v2] [--row-group-size N] RESULT.json OUTDIR [RESULT.json OUTDIR...]
// Writes the three Parquet files of each BacktestResult (symbol_summary,
// symbol_signals, performance_curve) with DuckDB, in the design's schemas, so
// btstore's reader can be checked against another writer. Values go in through
// DuckDB's appender, never through SQL or DuckDB's JSON reader: JSON.parse
// gives the exact double of shortest round-trip text, and timestamps are
// parsed here to integer microseconds. No metadata.json is written.
import { mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, DuckDBTimestampValue } from '@duckdb/node-api';
import { kTables } from './result_tables.mjs';

const kCompressions = ['snappy', 'zstd', 'gzip', 'uncompressed'];

function usage(message) {
  process.stderr.write(`write_duckdb.mjs: ${message}\n` +
    'usage: node write_duckdb.mjs [--compression snappy|zstd|gzip|uncompressed] ' +
    '[--parquet-version v1|v2] [--row-group-size N] RESULT.json OUTDIR [RESULT.json OUTDIR...]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { compression: 'snappy', version: 'v1', rowGroupSize: 10000, positional: [] };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--compression') opts.compression = argv[++i];
    else if (a === '--parquet-version') opts.version = argv[++i];
    else if (a === '--row-group-size') opts.rowGroupSize = Number(argv[++i]);
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.positional.push(a);
  }
  if (opts.positional.length === 0 || opts.positional.length % 2 !== 0) {
    usage('expected pairs of RESULT.json and OUTDIR');
  }
  if (!kCompressions.includes(opts.compression)) usage(`unknown compression ${opts.compression}`);
  if (!['v1', 'v2'].includes(opts.version)) usage(`unknown parquet version ${opts.version}`);
  if (!Number.isInteger(opts.rowGroupSize) || opts.rowGroupSize < 1) usage('bad --row-group-size');
  return opts;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const kRfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([Zz]|[+-]\d{2}:\d{2})?$/;

// RFC 3339 text (no zone means UTC) -> UTC microseconds since the epoch.
function timestampMicros(text) {
  const m = kRfc3339.exec(text);
  if (!m) throw new Error(`not an RFC 3339 timestamp: ${JSON.stringify(text)}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0'));
  let offsetMinutes = 0;
  if (m[8] && m[8] !== 'Z' && m[8] !== 'z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
  }
  const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s - offsetMinutes * 60);
  return seconds * 1000000n + fraction;
}

function appendValue(appender, sqlType, value) {
  if (value === null || value === undefined) return appender.appendNull();
  switch (sqlType) {
    case 'VARCHAR': return appender.appendVarchar(value);
    case 'DOUBLE': return appender.appendDouble(value);
    case 'INTEGER': return appender.appendInteger(value);
    case 'TIMESTAMP': return appender.appendTimestamp(new DuckDBTimestampValue(timestampMicros(value)));
    default: throw new Error(`no appender for ${sqlType}`);
  }
}

// Rows of each table in document order: symbol order, then each symbol's rows.
function tableRows(result) {
  const rows = { symbol_summary: [], symbol_signals: [], performance_curve: [] };
  for (const sym of result.symbols ?? []) {
    rows.symbol_summary.push({ symbol: sym.symbol, ...(sym.summary ?? {}) });
    for (const s of sym.signals ?? []) rows.symbol_signals.push({ symbol: sym.symbol, ...s });
    for (const p of sym.performance_curve ?? []) rows.performance_curve.push({ symbol: sym.symbol, ...p });
  }
  return rows;
}

async function writeTable(con, name, rows, outPath, opts) {
  const fields = kTables[name];
  await con.run(`CREATE OR REPLACE TABLE ${name} (${fields.map(([f, t]) => `"${f}" ${t}`).join(', ')})`);
  const appender = await con.createAppender(name);
  for (const row of rows) {
    for (const [field, type] of fields) appendValue(appender, type, row[field]);
    appender.endRow();
  }
  appender.closeSync();
  const options = [
    'FORMAT parquet',
    `COMPRESSION ${opts.compression}`,
    `ROW_GROUP_SIZE ${opts.rowGroupSize}`,
    `PARQUET_VERSION ${opts.version.toUpperCase()}`,
  ];
  // ORDER BY rowid keeps the appended order whatever DuckDB's scheduling does.
  await con.run(`COPY (SELECT * FROM ${name} ORDER BY rowid) TO '${outPath.replaceAll("'", "''")}' (${options.join(', ')})`);
}

async function run() {
  const opts = parseArgs(process.argv.slice(2));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  for (let i = 0; i < opts.positional.length; i += 2) {
    const [resultPath, outDir] = opts.positional.slice(i, i + 2);
    const result = JSON.parse(readFileSync(resultPath, 'utf8'));
    await mkdir(outDir, { recursive: true });
    const rows = tableRows(result);
    for (const name of Object.keys(kTables)) {
      await writeTable(con, name, rows[name], path.join(outDir, `${name}.parquet`), opts);
    }
  }
}

try {
  await run();
} catch (err) {
  process.stderr.write(`write_duckdb.mjs: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
}
