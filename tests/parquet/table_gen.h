// Test helper: deterministic random BacktestResult tables with the values that stress a codec
// (nulls, -0.0, subnormals, +-1e308, int32 limits, timestamps far before 1970 and after 2100,
// unicode and empty strings).
#pragma once

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "model/result.h"

namespace btstore::parquet::testing {

class TableGen {
 public:
  explicit TableGen(uint32_t seed) : rng_(seed) {}

  double any_double() {
    static constexpr double kSpecial[] = {0.0,
                                          -0.0,
                                          1e308,
                                          -1e308,
                                          std::numeric_limits<double>::denorm_min(),
                                          -std::numeric_limits<double>::denorm_min(),
                                          std::numeric_limits<double>::min() / 3,
                                          std::numeric_limits<double>::max(),
                                          std::numeric_limits<double>::lowest(),
                                          0.1,
                                          1.0 / 3};
    if (pick(4) == 0) return kSpecial[pick(std::size(kSpecial))];
    return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
  }

  int32_t any_int32() {
    static constexpr int32_t kSpecial[] = {0, -1, 1, std::numeric_limits<int32_t>::min(),
                                           std::numeric_limits<int32_t>::max()};
    if (pick(4) == 0) return kSpecial[pick(std::size(kSpecial))];
    return static_cast<int32_t>(rng_());
  }

  // Microseconds from year ~1700 to ~2300.
  int64_t any_timestamp() {
    return std::uniform_int_distribution<int64_t>(-8'520'000'000'000'000,
                                                  10'400'000'000'000'000)(rng_);
  }

  std::string any_symbol() {
    static const std::string kSymbols[] = {
        "BTC/USDT", "ETH/USDT", "비트코인/원", "€uro/¥en",
        "",         "XRP/ETH",  "😀/USD",       std::string("nul\0byte", 8)};
    return kSymbols[pick(std::size(kSymbols))];
  }

  std::string unique_string(size_t i) { return "s" + std::to_string(i) + "-" + any_symbol(); }

  template <typename T, typename Fn>
  void fill(model::Column<T>& c, size_t rows, bool nulls, Fn&& gen) {
    for (size_t i = 0; i < rows; ++i) {
      if (nulls && pick(5) == 0) {
        c.push_null();
      } else {
        c.push(gen(i));
      }
    }
  }

  model::SignalsTable signals(size_t rows, bool nulls = true) {
    model::SignalsTable t;
    auto d = [&](size_t) { return any_double(); };
    fill(t.symbol, rows, nulls, [&](size_t) { return any_symbol(); });
    fill(t.signal_index, rows, nulls, [&](size_t) { return any_int32(); });
    fill(t.timestamp, rows, nulls, [&](size_t) { return any_timestamp(); });
    fill(t.type, rows, nulls, [&](size_t) { return std::string(pick(2) ? "buy" : "sell"); });
    for (auto* c : {&t.entry_price, &t.exit_price, &t.quantity, &t.return_pct}) {
      fill(*c, rows, nulls, d);
    }
    fill(t.hold_bars, rows, nulls, [&](size_t) { return any_int32(); });
    fill(t.fee_amount, rows, nulls, d);
    fill(t.slippage_amount, rows, nulls, d);
    fill(t.status, rows, nulls, [&](size_t i) { return unique_string(i); });
    return t;
  }

  model::CurveTable curve(size_t rows, bool nulls = true) {
    model::CurveTable t;
    auto d = [&](size_t) { return any_double(); };
    fill(t.symbol, rows, nulls, [&](size_t) { return any_symbol(); });
    fill(t.idx, rows, nulls, [&](size_t i) { return static_cast<int32_t>(i); });
    fill(t.timestamp, rows, nulls, [&](size_t) { return any_timestamp(); });
    for (auto* c : {&t.equity, &t.drawdown, &t.cumulative_pnl, &t.cumulative_pnl_pct}) {
      fill(*c, rows, nulls, d);
    }
    return t;
  }

  model::SummaryTable summary(size_t rows, bool nulls = true) {
    model::SummaryTable t;
    auto d = [&](size_t) { return any_double(); };
    auto n = [&](size_t) { return any_int32(); };
    fill(t.symbol, rows, false, [&](size_t i) { return unique_string(i); });
    for (auto* c : {&t.win_rate, &t.avg_return, &t.max_return, &t.min_return, &t.max_drawdown,
                    &t.avg_hold_bars}) {
      fill(*c, rows, nulls, d);
    }
    for (auto* c : {&t.total_signals, &t.winning_signals, &t.losing_signals})
      fill(*c, rows, nulls, n);
    fill(t.total_pnl, rows, nulls, d);
    fill(t.total_pnl_pct, rows, nulls, d);
    return t;
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  std::mt19937_64 rng_;
};

}  // namespace btstore::parquet::testing
