// usage: node read_duckdb.mjs FILE.parquet [FILE.parquet...]
// Prints the canonical document (canonical.mjs) of each file as DuckDB reads it.
import { main } from './canonical.mjs';
import { dumpWithDuckdb } from './duckdb_dump.mjs';

await main('node read_duckdb.mjs FILE.parquet [FILE.parquet...]', dumpWithDuckdb);
