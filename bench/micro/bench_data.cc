#include "bench_data.h"

#include <cmath>
#include <random>

#include "json/result_writer.h"

namespace btstore::bench {
namespace {

constexpr int64_t kMicrosPerHour = int64_t{3'600'000'000};
constexpr int64_t kStart = int64_t{1'704'067'200} * 1'000'000;  // 2024-01-01T00:00:00Z

double round_to(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

void add_signals(std::mt19937_64& rng, const std::string& name, size_t n, model::SignalsTable& t) {
  std::normal_distribution<double> step(0, 0.01), move(0, 0.02);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> hours(1, 8), bars(1, 48), decimals(4, 6);
  double price = 1 + unit(rng) * 50'000;
  int64_t ts = kStart;
  for (size_t i = 0; i < n; ++i) {
    ts += hours(rng) * kMicrosPerHour;
    price = std::max(0.01, price * (1 + step(rng)));
    const double entry = round_to(price, 2);
    const double qty = round_to(0.001 + unit(rng) * 10, decimals(rng));
    const bool open = unit(rng) < 0.02;
    t.symbol.push(name);
    t.signal_index.push(static_cast<int32_t>(i + 1));
    t.timestamp.push(ts);
    t.type.push(unit(rng) < 0.5 ? "buy" : "sell");
    t.entry_price.push(entry);
    t.quantity.push(qty);
    if (open) {
      t.exit_price.push_null(), t.return_pct.push_null(), t.hold_bars.push_null();
    } else {
      const double exit = round_to(entry * (1 + move(rng)), 2);
      t.exit_price.push(exit);
      t.return_pct.push((exit - entry) / entry * 100);
      t.hold_bars.push(bars(rng));
    }
    t.fee_amount.push(entry * qty * 0.0004);
    t.slippage_amount.push(entry * qty * unit(rng) * 0.0002);
    t.status.push(open ? "open" : "closed");
  }
}

void add_curve(std::mt19937_64& rng, const std::string& name, size_t n, model::CurveTable& t) {
  std::normal_distribution<double> step(0, 0.003);
  double equity = 100'000, peak = equity;
  for (size_t i = 0; i < n; ++i) {
    equity *= 1 + step(rng);
    peak = std::max(peak, equity);
    t.symbol.push(name);
    t.idx.push(static_cast<int32_t>(i));
    t.timestamp.push(kStart + static_cast<int64_t>(i) * kMicrosPerHour);
    t.equity.push(equity);
    t.drawdown.push((peak - equity) / peak * 100);
    t.cumulative_pnl.push(equity - 100'000);
    t.cumulative_pnl_pct.push((equity - 100'000) / 1'000);
  }
}

void add_summary(std::mt19937_64& rng, const std::string& name, size_t signals,
                 model::SummaryTable& t) {
  std::normal_distribution<double> g(0, 1);
  t.symbol.push(name);
  for (model::DoubleColumn* c :
       {&t.win_rate, &t.avg_return, &t.max_return, &t.min_return, &t.max_drawdown, &t.avg_hold_bars,
        &t.total_pnl, &t.total_pnl_pct}) {
    c->push(g(rng) * 10);
  }
  t.total_signals.push(static_cast<int32_t>(signals));
  t.winning_signals.push(static_cast<int32_t>(signals / 2));
  t.losing_signals.push(static_cast<int32_t>(signals - signals / 2));
}

}  // namespace

model::BacktestResult make_result(const DataShape& shape) {
  std::mt19937_64 rng(42);
  model::BacktestResult r;
  r.header.task_id = "550e8400-e29b-41d4-a716-446655440000";
  r.header.strategy = "volume_zone_breakout";
  r.header.timeframe = "1h";
  r.header.start_date = "2024-01-01";
  r.header.end_date = "2024-12-31";
  r.header.metadata_json = R"({"engine":"v2.3"})";
  for (size_t s = 0; s < shape.symbols; ++s) {
    const std::string name = "SYM" + std::to_string(s) + "/USDT";
    add_summary(rng, name, shape.signals, r.summary);
    add_signals(rng, name, shape.signals, r.signals);
    add_curve(rng, name, shape.curve, r.curve);
  }
  return r;
}

const model::BacktestResult& result_model() {
  static const model::BacktestResult result = make_result();
  return result;
}

const std::string& result_json() {
  static const std::string json = json::write_result(result_model(), 0);
  return json;
}

}  // namespace btstore::bench
