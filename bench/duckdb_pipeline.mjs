// usage: node bench/duckdb_pipeline.mjs [--threads N] convert RESULT.json OUTDIR [RESULT.json OUTDIR...]
//        node bench/duckdb_pipeline.mjs [--threads N] to-json DIR OUT.json
//        node bench/duckdb_pipeline.mjs count DIR
// The DuckDB side of the benchmark (docs/performance.md). Needs @duckdb/node-api:
// from NODE_PATH when set, else from tests/interop/node_modules.
//
// convert: read_json with the explicit schema into a table, three COPY ... TO
//   (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 10000), fsync of the
//   three files and the directory, then metadata.json (fsynced) like btstore's.
// to-json: the three files and metadata.json back into one BacktestResult
//   document, written by DuckDB's JSON writer, fsynced with its directory.
// count: the row count of each file as DuckDB reads it (a correctness check).
// Each prints one JSON line on stdout: its own timing of the pipeline, which
// leaves out node's start-up and the module load.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { kTables } from '../tests/interop/result_tables.mjs';

// NODE_PATH works for require(), not for import: resolve through require.
function loadDuckdb() {
  try {
    return createRequire(import.meta.url)('@duckdb/node-api');
  } catch {
    const interop = new URL('../tests/interop/package.json', import.meta.url);
    return createRequire(interop)('@duckdb/node-api');
  }
}
const moduleStart = performance.now();
const { DuckDBInstance } = loadDuckdb();
const moduleSeconds = (performance.now() - moduleStart) / 1000;

const kHeader = ['strategy', 'timeframe', 'start_date', 'end_date', 'status'];

const sql = (text) => `'${String(text).replaceAll("'", "''")}'`;
const ident = (name) => `"${name}"`;
const structOf = (fields) => `STRUCT(${fields.map(([f, t]) => `${ident(f)} ${t}`).join(', ')})`;
const rowFields = (name) => kTables[name].slice(1);  // without the symbol column

function usage(message) {
  process.stderr.write(`duckdb_pipeline.mjs: ${message}\n` +
    'usage: node duckdb_pipeline.mjs [--threads N] convert RESULT.json OUTDIR | ' +
    'to-json DIR OUT.json | count DIR\n');
  process.exit(2);
}

// The document's schema for read_json, as docs/format.md gives it.
function documentColumns() {
  const symbol = structOf([
    ['symbol', 'VARCHAR'],
    ['summary', structOf(rowFields('symbol_summary'))],
    ['signals', `${structOf(rowFields('symbol_signals'))}[]`],
    ['performance_curve', `${structOf(rowFields('performance_curve'))}[]`],
  ]);
  const columns = [['task_id', 'VARCHAR'], ...kHeader.map((h) => [h, 'VARCHAR']),
    ['metadata', 'JSON'], ['symbols', `${symbol}[]`]];
  return `{${columns.map(([f, t]) => `${ident(f)}: ${sql(t)}`).join(', ')}}`;
}

// The SELECT of each table from the one-row table `doc`, rows in document order.
function tableQuery(name) {
  const syms = 'SELECT unnest(symbols) AS s FROM doc';
  if (name === 'symbol_summary') {
    const cols = rowFields(name).map(([f]) => `s.summary.${ident(f)} AS ${ident(f)}`);
    return `SELECT s.symbol AS symbol, ${cols.join(', ')} FROM (${syms})`;
  }
  const list = name === 'symbol_signals' ? 'signals' : 'performance_curve';
  const cols = rowFields(name).map(([f]) => `r.${ident(f)} AS ${ident(f)}`);
  return `SELECT symbol, ${cols.join(', ')} FROM ` +
    `(SELECT s.symbol AS symbol, unnest(s.${list}) AS r FROM (${syms}))`;
}

function fsyncPath(p) {
  const fd = fs.openSync(p, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

function md5File(p) {
  return createHash('md5').update(fs.readFileSync(p)).digest('hex');
}

// Adds the time of `fn` to stages[name] (summed over the documents of a run).
async function timed(stages, name, fn) {
  const start = performance.now();
  const value = await fn();
  stages[name] = (stages[name] ?? 0) + (performance.now() - start) / 1000;
  return value;
}

async function convert(con, jsonPath, outDir, stages) {
  fs.mkdirSync(outDir, { recursive: true });
  const maxObject = fs.statSync(jsonPath).size + (1 << 20);
  await timed(stages, 'read_json', () => con.run(
    `CREATE OR REPLACE TABLE doc AS SELECT * FROM read_json(${sql(jsonPath)}, format = 'unstructured', ` +
    `records = true, columns = ${documentColumns()}, maximum_object_size = ${maxObject})`));
  const files = {};
  for (const name of Object.keys(kTables)) {
    const file = path.join(outDir, `${name}.parquet`);
    const result = await timed(stages, `copy_${name}`, () => con.run(
      `COPY (${tableQuery(name)}) TO ${sql(file)} ` +
      '(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 10000)'));
    files[name] = { file, row_count: Number(result.rowsChanged) };
  }
  await timed(stages, 'fsync', () => {
    for (const { file } of Object.values(files)) fsyncPath(file);
    fsyncPath(outDir);
  });
  await timed(stages, 'metadata', async () => {
    const reader = await con.runAndReadAll(
      `SELECT task_id, ${kHeader.map(ident).join(', ')}, CAST(metadata AS VARCHAR) AS metadata FROM doc`);
    const [row] = reader.getRowObjects();
    const parquetFiles = {};
    for (const [name, { file, row_count }] of Object.entries(files)) {
      parquetFiles[name] = { row_count, file_size_bytes: fs.statSync(file).size, etag: md5File(file) };
    }
    const result = Object.fromEntries(kHeader.map((h) => [h, row[h]]));
    result.metadata = JSON.parse(row.metadata ?? '{}');
    const metadata = {
      schema_version: '1.0', compression: 'snappy', parquet_files: parquetFiles,
      created_at: new Date().toISOString(), task_id: row.task_id, result,
    };
    const metaPath = path.join(outDir, 'metadata.json');
    const fd = fs.openSync(metaPath, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(metadata, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fsyncPath(outDir);
  });
  await con.run('DROP TABLE doc');
  return Object.fromEntries(Object.entries(files).map(([n, f]) => [n, f.row_count]));
}

// btstore's form: UTC with Z, a fraction only when not zero, without trailing zeros.
function timestampText(column) {
  return `CASE WHEN epoch_us(${column}) % 1000000 = 0 THEN strftime(${column}, '%Y-%m-%dT%H:%M:%SZ') ` +
    `ELSE rtrim(strftime(${column}, '%Y-%m-%dT%H:%M:%S.%f'), '0') || 'Z' END`;
}

// One symbol's rows as a list of structs in file order.
function rowsList(dir, name, alias) {
  const fields = rowFields(name).map(([f, t]) => (t === 'TIMESTAMP'
    ? `${ident(f)}: ${timestampText(ident(f))}`
    : `${ident(f)}: ${ident(f)}`));
  return `SELECT symbol, list({${fields.join(', ')}} ORDER BY file_row_number) AS ${alias} ` +
    `FROM read_parquet(${sql(path.join(dir, `${name}.parquet`))}, file_row_number = true) GROUP BY symbol`;
}

async function toJson(con, dir, outPath, stages) {
  const summary = rowFields('symbol_summary').map(([f]) => `${ident(f)}: s.${ident(f)}`);
  const query =
    `WITH sig AS (${rowsList(dir, 'symbol_signals', 'signals')}), ` +
    `cur AS (${rowsList(dir, 'performance_curve', 'points')}), ` +
    'syms AS (SELECT list({symbol: s.symbol, summary: {' + summary.join(', ') + '}, ' +
    'signals: coalesce(sig.signals, []), performance_curve: coalesce(cur.points, [])} ' +
    'ORDER BY s.file_row_number) AS symbols ' +
    `FROM read_parquet(${sql(path.join(dir, 'symbol_summary.parquet'))}, file_row_number = true) s ` +
    'LEFT JOIN sig ON sig.symbol = s.symbol LEFT JOIN cur ON cur.symbol = s.symbol), ' +
    `meta AS (SELECT * FROM read_json(${sql(path.join(dir, 'metadata.json'))}, ` +
    `columns = {task_id: 'VARCHAR', result: 'STRUCT(${kHeader.map((h) => `${h} VARCHAR`).join(', ')}, metadata JSON)'})) ` +
    `SELECT meta.task_id AS task_id, ${kHeader.map((h) => `meta.result.${h} AS ${h}`).join(', ')}, ` +
    'meta.result.metadata AS metadata, syms.symbols AS symbols FROM meta, syms';
  await timed(stages, 'query_and_write', () => con.run(`COPY (${query}) TO ${sql(outPath)} (FORMAT json)`));
  // Durable like btstore's -o (which also writes beside the file and renames it).
  await timed(stages, 'fsync', () => {
    fsyncPath(outPath);
    fsyncPath(path.dirname(path.resolve(outPath)));
  });
}

async function count(con, dir) {
  const counts = {};
  for (const name of Object.keys(kTables)) {
    const reader = await con.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM read_parquet(${sql(path.join(dir, `${name}.parquet`))})`);
    counts[name] = Number(reader.getRowObjects()[0].n);
  }
  return counts;
}

async function main() {
  const argv = process.argv.slice(2);
  const options = {};
  while (argv[0]?.startsWith('--')) {
    const flag = argv.shift();
    if (flag === '--threads') options.threads = String(Number(argv.shift()));
    else usage(`unknown option ${flag}`);
  }
  const [command, ...args] = argv;
  const arity = { convert: 2, 'to-json': 2, count: 1 }[command];
  if (arity === undefined) usage(`unknown command ${command ?? '(none)'}`);
  const pairs = command === 'convert' && args.length > 0 && args.length % 2 === 0;
  if (args.length !== arity && !pairs) usage(`${command} takes ${arity} arguments`);
  const start = performance.now();
  const instance = await DuckDBInstance.create(':memory:', options);
  const con = await instance.connect();
  const stages = {};
  let rows;
  if (command === 'convert') {
    rows = {};
    for (let i = 0; i < args.length; i += 2) {
      const counts = await convert(con, args[i], args[i + 1], stages);
      for (const [n, c] of Object.entries(counts)) rows[n] = (rows[n] ?? 0) + c;
    }
  }
  else if (command === 'to-json') await toJson(con, args[0], args[1], stages);
  else rows = await count(con, args[0]);
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ command, seconds, module_load_seconds: moduleSeconds, stages, rows })}\n`);
}

try {
  await main();
} catch (err) {
  process.stderr.write(`duckdb_pipeline.mjs: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
}
