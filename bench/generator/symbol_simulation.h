// One symbol of a generated result: an hourly random-walk price series, the
// strategy's signals on it, the equity curve they produce and the summary
// derived from the signals. Pure arithmetic on a seeded generator, so the
// same (seed, symbol index) always gives the same numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace btstore::bench {

// splitmix64: tiny, fast and fully determined by its 64-bit state.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next();
  double uniform();          // [0, 1)
  int64_t below(int64_t n);  // [0, n)
  double roughly_normal();   // mean 0, sd 1 (sum of uniforms; no libm)

 private:
  uint64_t state_;
};

struct GeneratedSignal {
  int32_t signal_index = 0;
  int64_t bar = 0;  // hours after the start
  bool buy = true;
  int64_t entry_cents = 0;     // the price with 2 decimals, as an integer
  int64_t exit_cents = 0;      // meaningful when !open
  int64_t quantity_units = 0;  // the quantity times 10^quantity_decimals
  int quantity_decimals = 4;   // 4 to 6
  double return_pct = 0;
  int32_t hold_bars = 0;
  double fee_amount = 0;
  double slippage_amount = 0;
  bool open = false;  // exit_price, return_pct and hold_bars are null
};

struct GeneratedPoint {
  double equity = 0;
  double drawdown = 0;
  double cumulative_pnl = 0;
  double cumulative_pnl_pct = 0;
};

struct GeneratedSummary {
  std::optional<double> win_rate, avg_return, max_return, min_return, avg_hold_bars;
  double max_drawdown = 0;
  int32_t total_signals = 0, winning_signals = 0, losing_signals = 0;
  double total_pnl = 0, total_pnl_pct = 0;
};

struct GeneratedSymbol {
  std::string name;
  GeneratedSummary summary;
  std::vector<GeneratedSignal> signals;
  std::vector<GeneratedPoint> curve;  // point i is at bar i
};

inline constexpr double kInitialEquity = 100000.0;

// Simulates symbol `index` of a result generated with `seed`.
void simulate_symbol(uint64_t seed, int index, int signals, int curve_points, GeneratedSymbol& out);

// "AAAB/USDT"-style names, unique per index.
std::string symbol_name(int index);

}  // namespace btstore::bench
