// The three tables of a result in the design's schemas (docs/format.md), as DuckDB column
// types: each table's [column, type] pairs in file order. Shared by tests/interop/write_duckdb.mjs
// and bench/duckdb_pipeline.mjs.
export const kTables = {
  symbol_summary: [
    ['symbol', 'VARCHAR'], ['win_rate', 'DOUBLE'], ['avg_return', 'DOUBLE'], ['max_return', 'DOUBLE'],
    ['min_return', 'DOUBLE'], ['max_drawdown', 'DOUBLE'], ['avg_hold_bars', 'DOUBLE'],
    ['total_signals', 'INTEGER'], ['winning_signals', 'INTEGER'], ['losing_signals', 'INTEGER'],
    ['total_pnl', 'DOUBLE'], ['total_pnl_pct', 'DOUBLE'],
  ],
  symbol_signals: [
    ['symbol', 'VARCHAR'], ['signal_index', 'INTEGER'], ['timestamp', 'TIMESTAMP'], ['type', 'VARCHAR'],
    ['entry_price', 'DOUBLE'], ['exit_price', 'DOUBLE'], ['quantity', 'DOUBLE'], ['return_pct', 'DOUBLE'],
    ['hold_bars', 'INTEGER'], ['fee_amount', 'DOUBLE'], ['slippage_amount', 'DOUBLE'], ['status', 'VARCHAR'],
  ],
  performance_curve: [
    ['symbol', 'VARCHAR'], ['idx', 'INTEGER'], ['timestamp', 'TIMESTAMP'], ['equity', 'DOUBLE'],
    ['drawdown', 'DOUBLE'], ['cumulative_pnl', 'DOUBLE'], ['cumulative_pnl_pct', 'DOUBLE'],
  ],
};
