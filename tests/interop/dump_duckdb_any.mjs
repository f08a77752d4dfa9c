// usage: node dump_duckdb_any.mjs FILE.parquet [FILE.parquet...]
// Generic dump of any Parquet file for the conformance tests: every column,
// typed as DuckDB reports it, values canonical (canonical.mjs). Several files
// give one JSON line each; an unreadable file gives {"error":"..."}.
import { main } from './canonical.mjs';
import { dumpWithDuckdb } from './duckdb_dump.mjs';

await main('node dump_duckdb_any.mjs FILE.parquet [FILE.parquet...]', dumpWithDuckdb);
