// The in-memory BacktestResult: header fields plus the three tables of
// docs/format.md, held as columns in the order of the Parquet schemas.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/column.h"

namespace btstore::model {

struct SummaryTable {
  StringColumn symbol;
  DoubleColumn win_rate, avg_return, max_return, min_return, max_drawdown, avg_hold_bars;
  Int32Column total_signals, winning_signals, losing_signals;
  DoubleColumn total_pnl, total_pnl_pct;

  size_t num_rows() const { return symbol.size(); }
  bool operator==(const SummaryTable&) const = default;
};

struct SignalsTable {
  StringColumn symbol;
  Int32Column signal_index;
  TimestampColumn timestamp;
  StringColumn type;
  DoubleColumn entry_price, exit_price, quantity, return_pct;
  Int32Column hold_bars;
  DoubleColumn fee_amount, slippage_amount;
  StringColumn status;

  size_t num_rows() const { return symbol.size(); }
  bool operator==(const SignalsTable&) const = default;
};

struct CurveTable {
  StringColumn symbol;
  Int32Column idx;
  TimestampColumn timestamp;
  DoubleColumn equity, drawdown, cumulative_pnl, cumulative_pnl_pct;

  size_t num_rows() const { return symbol.size(); }
  bool operator==(const CurveTable&) const = default;
};

// Header fields of a result; they travel in metadata.json beside the Parquet files.
struct ResultHeader {
  std::string task_id;  // canonical lower-case UUID
  std::string strategy;
  std::optional<std::string> timeframe;
  std::string start_date;  // YYYY-MM-DD
  std::string end_date;    // YYYY-MM-DD
  std::string status = "completed";
  std::string metadata_json = "{}";  // a JSON object, minified

  bool operator==(const ResultHeader&) const = default;
};

// Symbols appear in `summary` once each, in document order; their signals and
// curve points follow in the same order in `signals` and `curve`.
struct BacktestResult {
  ResultHeader header;
  SummaryTable summary;
  SignalsTable signals;
  CurveTable curve;

  bool operator==(const BacktestResult&) const = default;
};

}  // namespace btstore::model
