// A small valid document and helpers to break it one rule at a time.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "json/result_parser.h"

namespace btstore::json::test {

// One symbol, two signals, two curve points; every field present.
inline constexpr std::string_view kValidDocument = R"({
  "task_id": "550e8400-e29b-41d4-a716-446655440000",
  "strategy": "volume_zone_breakout",
  "timeframe": "1h",
  "start_date": "2024-01-01",
  "end_date": "2024-01-31",
  "status": "completed",
  "metadata": {"engine": "v2.3", "params": {"zone_len": 20}},
  "symbols": [
    {
      "symbol": "BTC/USDT",
      "summary": {"win_rate": 58.5, "avg_return": 2.15, "max_return": 9.8, "min_return": -4.1,
                  "max_drawdown": 8.3, "avg_hold_bars": 6.5, "total_signals": 200,
                  "winning_signals": 117, "losing_signals": 83, "total_pnl": 21500.0,
                  "total_pnl_pct": 21.5},
      "signals": [
        {"signal_index": 1, "timestamp": "2024-01-01T10:00:00Z", "type": "buy",
         "entry_price": 42000, "exit_price": 42840, "quantity": 0.5, "return_pct": 2.0,
         "hold_bars": 4, "fee_amount": 16.8, "slippage_amount": 4.2, "status": "closed"},
        {"signal_index": 2, "timestamp": "2024-01-01T14:00:00Z", "type": "sell",
         "entry_price": 42840, "exit_price": null, "quantity": 0.5, "return_pct": null,
         "hold_bars": null, "fee_amount": 17.1, "slippage_amount": 4.3, "status": "open"}
      ],
      "performance_curve": [
        {"idx": 0, "timestamp": "2024-01-01T00:00:00Z", "equity": 100000, "drawdown": 0.0,
         "cumulative_pnl": 0, "cumulative_pnl_pct": 0},
        {"idx": 1, "timestamp": "2024-01-01T01:00:00Z", "equity": 102000, "drawdown": 0.0,
         "cumulative_pnl": 2000, "cumulative_pnl_pct": 2.0}
      ]
    }
  ]
})";

// kValidDocument (or `base`) with the first `from` replaced by `to`.
inline std::string with(std::string_view from, std::string_view to,
                        std::string_view base = kValidDocument) {
  std::string out(base);
  const size_t pos = out.find(from);
  EXPECT_NE(pos, std::string::npos) << "not in the document: " << from;
  if (pos != std::string::npos) out.replace(pos, from.size(), to);
  return out;
}

// The error message of parsing `json` ("" and a test failure when it parses).
inline std::string problems_of(std::string_view json) {
  Result<model::BacktestResult> r = parse_result(json);
  EXPECT_FALSE(r.ok()) << "parsed although it should not";
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

inline model::BacktestResult parsed(std::string_view json) {
  Result<model::BacktestResult> r = parse_result(json);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? std::move(r).value() : model::BacktestResult{};
}

}  // namespace btstore::json::test
