// The figures of a bench/run and the Markdown table printed from them, each
// against the target (docs/performance.md).
'use strict';

const kMB = 1e6;
const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
const r2 = (x) => Math.round(x * 100) / 100;

// The derived figures: medians, ratios, and whether each target is met.
function figures(f) {
  const out = {
    preset: f.preset, seed: f.seed, reps: f.reps, json_bytes: f.json_bytes, rows: f.rows,
    machine: f.machine, page_cache: f.page_cache,
  };
  const c = f.convert;
  if (c) {
    const bt = c.btstore.wall_seconds;
    const dd = c.duckdb.self_seconds;
    out.json_to_parquet = {
      btstore_seconds: bt, duckdb_seconds: dd, duckdb_process_seconds: c.duckdb.wall_seconds,
      floor_seconds: c.floor.wall_seconds,
      cpu_seconds: { btstore: c.btstore.cpu_seconds, duckdb: c.duckdb.cpu_seconds, floor: c.floor.cpu_seconds },
      btstore_stages_seconds: c.btstore.stages, duckdb_stages_seconds: c.duckdb.stages,
      duckdb_over_btstore: dd / bt, btstore_over_floor: bt / c.floor.wall_seconds,
      targets: { duckdb_over_btstore_min: 8, btstore_over_floor_max: 2.5 },
    };
    const btBytes = sum(c.bytes.btstore);
    const ddBytes = sum(c.bytes.duckdb);
    out.output_bytes = {
      btstore: btBytes, duckdb: ddBytes, files: c.bytes,
      btstore_fraction_of_json: btBytes / f.json_bytes, duckdb_fraction_of_json: ddBytes / f.json_bytes,
      btstore_over_duckdb: btBytes / ddBytes, target_max: 0.85,
      duckdb_reads_btstore_rows: c.duckdb_reads_btstore_rows,
    };
    out.peak_rss = {
      json_to_parquet: { btstore: c.btstore.max_rss_bytes, duckdb: c.duckdb.max_rss_bytes, floor: c.floor.max_rss_bytes },
      btstore_over_json: c.btstore.max_rss_bytes / f.json_bytes,
      duckdb_over_json: c.duckdb.max_rss_bytes / f.json_bytes, btstore_target_max: 1.6,
    };
  }
  const j = f.to_json;
  if (j) {
    out.parquet_to_json = {
      btstore_seconds: j.btstore.wall_seconds, duckdb_seconds: j.duckdb.self_seconds,
      duckdb_process_seconds: j.duckdb.wall_seconds,
      cpu_seconds: { btstore: j.btstore.cpu_seconds, duckdb: j.duckdb.cpu_seconds },
      duckdb_over_btstore: j.duckdb.self_seconds / j.btstore.wall_seconds, target_min: 4,
    };
    out.peak_rss.parquet_to_json = { btstore: j.btstore.max_rss_bytes, duckdb: j.duckdb.max_rss_bytes };
  }
  return out;
}

const sec = (s) => `${s.toFixed(3)} s`;
const rate = (bytes, s) => `${(bytes / kMB / s).toFixed(0)} MB/s`;
const mb = (b) => `${(b / kMB).toFixed(1)} MB`;
const verdict = (ok) => (ok ? 'pass' : 'miss');

// `f` is what figures() returns (bench/run --json prints it).
function table(f) {
  const rows = [];
  const row = (...cells) => rows.push(`| ${cells.join(' | ')} |`);
  const J = f.json_bytes;
  const m = f.machine;
  const lines = [
    `btstore vs DuckDB, preset ${f.preset} (seed ${f.seed}): ${mb(J)} of JSON, ` +
      `${f.rows.symbol_summary} symbols, ${f.rows.symbol_signals} signals, ${f.rows.performance_curve} curve points`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, Linux ${m.kernel}; ` +
      `load average ${m.load_average.map((x) => x.toFixed(1)).join(' ')} at the end`,
    `medians of ${f.reps} repetition(s); input file in the page cache (warm); ` +
      'DuckDB times are its own pipeline timing (node start-up and module load excluded)',
    '',
  ];
  row('figure', 'btstore', 'DuckDB', 'floor (simdjson)', 'ratio', 'target', 'result');
  row('---', '---', '---', '---', '---', '---', '---');
  const p = f.json_to_parquet;
  if (p) {
    row('JSON -> 3 Parquet + metadata.json, durable (wall)', `${sec(p.btstore_seconds)} (${rate(J, p.btstore_seconds)})`,
      `${sec(p.duckdb_seconds)} (process ${sec(p.duckdb_process_seconds)})`, `${sec(p.floor_seconds)} (${rate(J, p.floor_seconds)})`,
      `DuckDB/btstore ${r2(p.duckdb_over_btstore)}x`, '>= 8x', verdict(p.duckdb_over_btstore >= 8));
    row('btstore vs the floor (wall)', '', '', '', `btstore/floor ${r2(p.btstore_over_floor)}x`, '<= 2.5x',
      verdict(p.btstore_over_floor <= 2.5));
    row('JSON -> Parquet, CPU time (user+sys)', sec(p.cpu_seconds.btstore), sec(p.cpu_seconds.duckdb),
      sec(p.cpu_seconds.floor), `DuckDB/btstore ${r2(p.cpu_seconds.duckdb / p.cpu_seconds.btstore)}x`, '', 'info');
    const stages = (o) => Object.entries(o ?? {}).map(([k, v]) => `${k} ${(v * 1e3).toFixed(0)} ms`).join(', ');
    row('where the wall time goes (stages, medians)', stages(p.btstore_stages_seconds), stages(p.duckdb_stages_seconds),
      '', '', '', 'info');
    const b = f.output_bytes;
    row('output bytes (3 Parquet files)', `${mb(b.btstore)} (${r2(b.btstore_fraction_of_json)} of JSON)`,
      `${mb(b.duckdb)} (${r2(b.duckdb_fraction_of_json)} of JSON)`, '', `btstore/DuckDB ${r2(b.btstore_over_duckdb)}x`,
      '<= 0.85x', verdict(b.btstore_over_duckdb <= 0.85));
    row("DuckDB reads btstore's files back (rows)", Object.values(b.duckdb_reads_btstore_rows).join(' / '), '', '',
      'equal to the document', '', 'pass');
  }
  const q = f.parquet_to_json;
  if (q) {
    row('Parquet -> BacktestResult JSON (wall)', sec(q.btstore_seconds), `${sec(q.duckdb_seconds)} (process ${sec(q.duckdb_process_seconds)})`,
      '', `DuckDB/btstore ${r2(q.duckdb_over_btstore)}x`, '>= 4x', verdict(q.duckdb_over_btstore >= 4));
    row('Parquet -> JSON, CPU time (user+sys)', sec(q.cpu_seconds.btstore), sec(q.cpu_seconds.duckdb), '',
      `DuckDB/btstore ${r2(q.cpu_seconds.duckdb / q.cpu_seconds.btstore)}x`, '', 'info');
  }
  const r = f.peak_rss;
  if (r) {
    const x = (bytes) => `${mb(bytes)} (${r2(bytes / J)}x JSON)`;
    row('peak RSS, JSON -> Parquet', x(r.json_to_parquet.btstore), x(r.json_to_parquet.duckdb), x(r.json_to_parquet.floor),
      `btstore ${r2(r.btstore_over_json)}x JSON`, '<= 1.6x JSON', verdict(r.btstore_over_json <= 1.6));
    if (r.parquet_to_json) {
      row('peak RSS, Parquet -> JSON', x(r.parquet_to_json.btstore), x(r.parquet_to_json.duckdb), '', '', '', 'info');
    }
  }
  return `${lines.join('\n')}\n${rows.join('\n')}\n`;
}

module.exports = { figures, table };
