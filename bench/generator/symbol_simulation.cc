#include "symbol_simulation.h"

#include <algorithm>
#include <cmath>

namespace btstore::bench {
namespace {

constexpr int kMaxHoldBars = 48;
constexpr double kHourlyVolatility = 0.006;
constexpr double kOpenShare = 0.02;       // positions still open at the end
constexpr double kFeeRate = 0.0004;       // per side, of the notional
constexpr double kSlippageRate = 0.0002;  // at most, of the entry notional
constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

// Integer cents of a random walk long enough for every signal's exit.
std::vector<int64_t> price_walk(Random& rng, int bars) {
  static constexpr double kMagnitudes[] = {1, 10, 100, 1000, 10000};
  double start = kMagnitudes[rng.below(5)] * (1.0 + 5.0 * rng.uniform());
  std::vector<int64_t> cents(static_cast<size_t>(bars + kMaxHoldBars + 1));
  cents[0] = std::llround(start * 100.0);
  for (size_t i = 1; i < cents.size(); ++i) {
    double step = 1.0 + kHourlyVolatility * rng.roughly_normal();
    cents[i] = std::max<int64_t>(1, std::llround(static_cast<double>(cents[i - 1]) * step));
  }
  return cents;
}

// Profit of a position at `price` per unit (fees excluded).
double position_pnl(const GeneratedSignal& s, double price) {
  double qty =
      static_cast<double>(s.quantity_units) / static_cast<double>(kPow10[s.quantity_decimals]);
  double entry = static_cast<double>(s.entry_cents) / 100.0;
  return (s.buy ? price - entry : entry - price) * qty;
}

GeneratedSignal make_signal(Random& rng, const std::vector<int64_t>& cents, int i, int n,
                            int bars) {
  GeneratedSignal s;
  s.signal_index = i + 1;
  // floor((i + u) * bars / n) never decreases with i: timestamps stay ordered.
  s.bar = static_cast<int64_t>((i + rng.uniform()) * bars / n);
  s.buy = rng.uniform() < 0.55;
  s.entry_cents = cents[static_cast<size_t>(s.bar)];
  double entry = static_cast<double>(s.entry_cents) / 100.0;
  s.quantity_decimals = 4 + static_cast<int>(rng.below(3));
  double notional = 500.0 + 9500.0 * rng.uniform();
  double scale = static_cast<double>(kPow10[s.quantity_decimals]);
  s.quantity_units = std::max<int64_t>(1, std::llround(notional / entry * scale));
  double qty = static_cast<double>(s.quantity_units) / scale;
  s.slippage_amount = entry * qty * kSlippageRate * rng.uniform();
  s.open = rng.uniform() < kOpenShare;
  if (s.open) {
    s.fee_amount = entry * qty * kFeeRate;
    return s;
  }
  s.hold_bars = 1 + static_cast<int32_t>(rng.below(kMaxHoldBars));
  s.exit_cents = cents[static_cast<size_t>(s.bar + s.hold_bars)];
  double exit = static_cast<double>(s.exit_cents) / 100.0;
  s.fee_amount = (entry + exit) * qty * kFeeRate;
  double costs = s.fee_amount + s.slippage_amount;
  s.return_pct = (position_pnl(s, exit) - costs) / (entry * qty) * 100.0;
  return s;
}

// Equity = initial + realized profit of closed positions + the open ones marked to market.
void build_curve(const std::vector<int64_t>& cents, int bars, GeneratedSymbol& out) {
  std::vector<double> realized(static_cast<size_t>(bars), 0.0);
  std::vector<double> unrealized(static_cast<size_t>(bars), 0.0);
  for (const GeneratedSignal& s : out.signals) {
    int64_t end = s.open ? bars : std::min<int64_t>(bars, s.bar + s.hold_bars);
    for (int64_t t = s.bar; t < end; ++t) {
      unrealized[static_cast<size_t>(t)] +=
          position_pnl(s, static_cast<double>(cents[static_cast<size_t>(t)]) / 100.0);
    }
    if (!s.open && s.bar + s.hold_bars < bars) {
      double pnl = position_pnl(s, static_cast<double>(s.exit_cents) / 100.0) - s.fee_amount -
                   s.slippage_amount;
      realized[static_cast<size_t>(s.bar + s.hold_bars)] += pnl;
    }
  }
  out.curve.resize(static_cast<size_t>(bars));
  double cumulative = 0, peak = kInitialEquity;
  for (size_t t = 0; t < out.curve.size(); ++t) {
    cumulative += realized[t];
    GeneratedPoint& p = out.curve[t];
    p.equity = kInitialEquity + cumulative + unrealized[t];
    peak = std::max(peak, p.equity);
    p.drawdown = (peak - p.equity) / peak * 100.0;
    p.cumulative_pnl = p.equity - kInitialEquity;
    p.cumulative_pnl_pct = p.cumulative_pnl / kInitialEquity * 100.0;
    out.summary.max_drawdown = std::max(out.summary.max_drawdown, p.drawdown);
  }
}

void summarize(GeneratedSymbol& out) {
  GeneratedSummary& sum = out.summary;
  sum.total_signals = static_cast<int32_t>(out.signals.size());
  double returns = 0, holds = 0;
  int32_t closed = 0;
  for (const GeneratedSignal& s : out.signals) {
    if (s.open) continue;
    ++closed;
    (s.return_pct > 0 ? sum.winning_signals : sum.losing_signals) += 1;
    returns += s.return_pct;
    holds += s.hold_bars;
    sum.max_return = std::max(sum.max_return.value_or(s.return_pct), s.return_pct);
    sum.min_return = std::min(sum.min_return.value_or(s.return_pct), s.return_pct);
    double notional = static_cast<double>(s.entry_cents) / 100.0 *
                      static_cast<double>(s.quantity_units) /
                      static_cast<double>(kPow10[s.quantity_decimals]);
    sum.total_pnl += s.return_pct / 100.0 * notional;
  }
  if (closed > 0) {
    sum.win_rate = 100.0 * sum.winning_signals / closed;
    sum.avg_return = returns / closed;
    sum.avg_hold_bars = holds / closed;
  }
  sum.total_pnl_pct = sum.total_pnl / kInitialEquity * 100.0;
}

}  // namespace

uint64_t Random::next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Random::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

int64_t Random::below(int64_t n) {
  return static_cast<int64_t>(uniform() * static_cast<double>(n));
}

double Random::roughly_normal() {
  // The sum of 4 uniforms has variance 1/3; scale to 1.
  double s = uniform() + uniform() + uniform() + uniform() - 2.0;
  return s * 1.7320508075688772;
}

std::string symbol_name(int index) {
  std::string name(4, 'A');
  for (int i = 3, v = index; i >= 0; --i, v /= 26)
    name[static_cast<size_t>(i)] = static_cast<char>('A' + v % 26);
  if (index >= 26 * 26 * 26 * 26) name += std::to_string(index);
  return name + "/USDT";
}

void simulate_symbol(uint64_t seed, int index, int signals, int curve_points,
                     GeneratedSymbol& out) {
  Random rng(seed * 0x100000001b3ULL + static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ULL + 1);
  out = GeneratedSymbol{};
  out.name = symbol_name(index);
  int bars = std::max(curve_points, 1);
  std::vector<int64_t> cents = price_walk(rng, bars);
  out.signals.reserve(static_cast<size_t>(signals));
  for (int i = 0; i < signals; ++i)
    out.signals.push_back(make_signal(rng, cents, i, signals, bars));
  build_curve(cents, curve_points, out);
  summarize(out);
}

}  // namespace btstore::bench
