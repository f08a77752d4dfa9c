// The results both interop directions write and read: one document of edge
// values written by hand, one with several row groups, and generated ones.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "json/result_parser.h"
#include "json/result_writer.h"
#include "model/result.h"
#include "support/random_result.h"

namespace btstore::interop {

struct InteropCase {
  std::string name;
  std::string json;              // the document as written by json::write_result
  model::BacktestResult result;  // json parsed back: what every reader must see
};

// Values at the edges of each type: -0.0, subnormals, +-1e308 and the largest
// double, int32 limits, timestamps from year 1 to 9999 with offsets and
// microseconds, unicode symbols, nulls wherever the format allows them.
inline constexpr char kEdgeResultJson[] = R"({
  "task_id": "00000000-0000-4000-8000-000000000001",
  "strategy": "interop_edges", "timeframe": null,
  "start_date": "0001-01-01", "end_date": "9999-12-31", "status": "running",
  "metadata": {"note": "edge values"},
  "symbols": [
    {"symbol": "비트코인/USDT",
     "summary": {"win_rate": -0.0, "avg_return": 5e-324, "max_return": 1.7976931348623157e308,
                 "min_return": -1e308, "max_drawdown": 2.2250738585072014e-308,
                 "avg_hold_bars": 0.1, "total_signals": 2147483647,
                 "winning_signals": -2147483648, "losing_signals": 0,
                 "total_pnl": -2.2250738585072009e-308, "total_pnl_pct": 0.30000000000000004},
     "signals": [
       {"signal_index": -2147483648, "timestamp": "0001-01-01T00:00:00Z", "type": "buy",
        "entry_price": 1e308, "exit_price": null, "quantity": -5e-324, "return_pct": null,
        "hold_bars": 2147483647, "fee_amount": null, "slippage_amount": -0.0, "status": "open"},
       {"signal_index": 0, "timestamp": "1900-03-01T12:34:56.789012+05:30", "type": "sell",
        "entry_price": 123456789012345680000, "exit_price": 1e-7, "quantity": null,
        "return_pct": -1.5, "hold_bars": null, "fee_amount": 4.9406564584124654e-324,
        "slippage_amount": null, "status": null},
       {"signal_index": 2147483647, "timestamp": "1969-12-31T23:59:59.999999Z", "type": null,
        "entry_price": 42000, "exit_price": 42840.5, "quantity": 0.5, "return_pct": 2.0,
        "hold_bars": -2147483648, "fee_amount": 16.8, "slippage_amount": 4.2, "status": "closed"},
       {"signal_index": 3, "timestamp": "2100-02-28 23:59:59.5-01:00", "type": "매수",
        "entry_price": 9007199254740993, "exit_price": -9007199254740992, "quantity": 1e22,
        "return_pct": 1e21, "hold_bars": 0, "fee_amount": 0, "slippage_amount": 1e-300,
        "status": "🚀"}
     ],
     "performance_curve": [
       {"idx": -2147483648, "timestamp": "1800-01-01T00:00:00.000001Z", "equity": null,
        "drawdown": -0.0, "cumulative_pnl": 5e-324, "cumulative_pnl_pct": null},
       {"idx": 2147483647, "timestamp": "9999-12-31T23:59:59.999999Z", "equity": 1e308,
        "drawdown": null, "cumulative_pnl": -1.7976931348623157e308, "cumulative_pnl_pct": 0.1}
     ]},
    {"symbol": "ÉTH/€ \"quoted\" \\ back", "summary": {},
     "signals": [], "performance_curve": []},
    {"symbol": "x",
     "summary": {"win_rate": null, "avg_return": null, "max_return": null, "min_return": null,
                 "max_drawdown": null, "avg_hold_bars": null, "total_signals": null,
                 "winning_signals": null, "losing_signals": null, "total_pnl": null,
                 "total_pnl_pct": null},
     "signals": [
       {"signal_index": 1, "timestamp": "2024-01-01T00:00:00Z", "type": "buy",
        "entry_price": null, "exit_price": null, "quantity": null, "return_pct": null,
        "hold_bars": null, "fee_amount": null, "slippage_amount": null, "status": null}
     ],
     "performance_curve": [
       {"idx": 0, "timestamp": "2024-01-01T00:00:00Z", "equity": null, "drawdown": null,
        "cumulative_pnl": null, "cumulative_pnl_pct": null}
     ]}
  ]
})";

// A result of `signals` signal rows and `points` curve rows spread over three
// symbols, with a null in every seventh value, so a file has several row groups.
inline model::BacktestResult many_rows_result(size_t signals, size_t points, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> price(-1e6, 1e6);
  model::BacktestResult r;
  r.header.task_id = "00000000-0000-4000-8000-000000000002";
  r.header.strategy = "interop_many_rows";
  r.header.start_date = "2020-01-01";
  r.header.end_date = "2024-12-31";
  const char* kSymbols[] = {"BTC/USDT", "ETH/USDT", "솔라나/KRW"};
  auto maybe = [&](model::DoubleColumn& col, size_t i) {
    if (i % 7 == 3)
      col.push_null();
    else
      col.push(price(rng));
  };
  for (size_t s = 0; s < 3; ++s) {
    auto& sum = r.summary;
    sum.symbol.push(kSymbols[s]);
    for (auto* col : {&sum.win_rate, &sum.avg_return, &sum.max_return, &sum.min_return,
                      &sum.max_drawdown, &sum.avg_hold_bars, &sum.total_pnl, &sum.total_pnl_pct}) {
      maybe(*col, s);
    }
    for (auto* col : {&sum.total_signals, &sum.winning_signals, &sum.losing_signals}) {
      col->push(static_cast<int32_t>(rng()));
    }
    int64_t t = 1'600'000'000'000'000 + static_cast<int64_t>(s);
    for (size_t i = s; i < signals; i += 3) {
      auto& sig = r.signals;
      sig.symbol.push(kSymbols[s]);
      sig.signal_index.push(static_cast<int32_t>(i));
      sig.timestamp.push(t += static_cast<int64_t>(rng() % 3'600'000'000));
      if (i % 5 == 0)
        sig.type.push_null();
      else
        sig.type.push(i % 2 ? "buy" : "sell");
      for (auto* col : {&sig.entry_price, &sig.exit_price, &sig.quantity, &sig.return_pct}) {
        maybe(*col, i);
      }
      if (i % 7 == 1)
        sig.hold_bars.push_null();
      else
        sig.hold_bars.push(static_cast<int32_t>(rng()));
      maybe(sig.fee_amount, i);
      maybe(sig.slippage_amount, i + 1);
      sig.status.push(i % 3 ? "closed" : "open");
    }
    t = -60'000'000'000'000'000;  // about year 68
    for (size_t i = s; i < points; i += 3) {
      auto& cur = r.curve;
      cur.symbol.push(kSymbols[s]);
      cur.idx.push(static_cast<int32_t>(i));
      cur.timestamp.push(t += static_cast<int64_t>(rng() % 1'000'000'000'000));
      for (auto* col : {&cur.equity, &cur.drawdown, &cur.cumulative_pnl, &cur.cumulative_pnl_pct}) {
        maybe(*col, i);
      }
    }
  }
  return r;
}

// Serializes `result`, parses it back (the parse must succeed) and records both.
inline InteropCase make_case(std::string name, const model::BacktestResult& result) {
  InteropCase c{std::move(name), json::write_result(result), {}};
  auto parsed = json::parse_result(c.json);
  EXPECT_TRUE(parsed.ok()) << c.name << ": " << parsed.status().to_string();
  if (parsed.ok()) c.result = std::move(*parsed);
  return c;
}

inline InteropCase edge_case() {
  auto parsed = json::parse_result(kEdgeResultJson);
  EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
  return parsed.ok() ? make_case("edges", *parsed) : InteropCase{"edges", kEdgeResultJson, {}};
}

// Generated results (tests/support/random_result.h): random sizes, nulls,
// unicode symbols and extreme values, different for each seed.
inline std::vector<InteropCase> random_cases(int count, uint64_t seed) {
  std::vector<InteropCase> cases;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < count; ++i) {
    cases.push_back(make_case("random" + std::to_string(i), testing::random_result(rng)));
  }
  return cases;
}

}  // namespace btstore::interop
