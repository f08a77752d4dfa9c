#include "model/validate.h"

#include <gtest/gtest.h>

namespace btstore::model {
namespace {

void add_symbol(BacktestResult& r, const std::string& name) {
  SummaryTable& s = r.summary;
  s.symbol.push(name);
  for (DoubleColumn* c : {&s.win_rate, &s.avg_return, &s.max_return, &s.min_return, &s.max_drawdown,
                          &s.avg_hold_bars, &s.total_pnl, &s.total_pnl_pct}) {
    c->push_null();
  }
  for (Int32Column* c : {&s.total_signals, &s.winning_signals, &s.losing_signals}) c->push_null();
}

void add_signal(BacktestResult& r, const std::string& symbol, int32_t index, int64_t ts) {
  SignalsTable& s = r.signals;
  s.symbol.push(symbol);
  s.signal_index.push(index);
  s.timestamp.push(ts);
  s.type.push("buy");
  s.status.push("closed");
  for (DoubleColumn* c : {&s.entry_price, &s.exit_price, &s.quantity, &s.return_pct, &s.fee_amount,
                          &s.slippage_amount}) {
    c->push(index * 1.5);
  }
  s.hold_bars.push_null();
}

void add_point(BacktestResult& r, const std::string& symbol, int32_t idx, int64_t ts) {
  CurveTable& c = r.curve;
  c.symbol.push(symbol);
  c.idx.push(idx);
  c.timestamp.push(ts);
  for (DoubleColumn* d : {&c.equity, &c.drawdown, &c.cumulative_pnl, &c.cumulative_pnl_pct}) {
    d->push(idx);
  }
}

TEST(GroupBySymbol, ReordersInterleavedRowsStably) {
  BacktestResult r;
  add_symbol(r, "A");
  add_symbol(r, "B");
  add_signal(r, "B", 1, 10);
  add_signal(r, "A", 1, 20);
  add_signal(r, "B", 2, 30);
  add_signal(r, "A", 2, 40);
  ASSERT_TRUE(group_by_symbol(r).ok());
  EXPECT_EQ(r.signals.symbol.values, (std::vector<std::string>{"A", "A", "B", "B"}));
  EXPECT_EQ(r.signals.timestamp.values, (std::vector<int64_t>{20, 40, 10, 30}));
  EXPECT_EQ(r.signals.signal_index.values, (std::vector<int32_t>{1, 2, 1, 2}));
  EXPECT_TRUE(check_tables(r).ok());
}

TEST(GroupBySymbol, RejectsRowOfUnknownSymbol) {
  BacktestResult r;
  add_symbol(r, "A");
  add_point(r, "Z", 0, 0);
  Status st = group_by_symbol(r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("performance_curve: row 0 names symbol 'Z'"), std::string::npos)
      << st.message();
}

TEST(GroupBySymbol, RejectsDuplicateSummarySymbol) {
  BacktestResult r;
  add_symbol(r, "A");
  add_symbol(r, "A");
  Status st = group_by_symbol(r);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("appears more than once"), std::string::npos);
}

TEST(CheckTables, RejectsSignalsGoingBackInTime) {
  BacktestResult r;
  add_symbol(r, "A");
  add_signal(r, "A", 1, 100);
  add_signal(r, "A", 2, 99);
  ASSERT_TRUE(group_by_symbol(r).ok());
  Status st = check_tables(r);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("symbol_signals: row 1 (symbol 'A'): timestamp is earlier"),
            std::string::npos)
      << st.message();
}

TEST(CheckTables, RejectsCurveIdxNotStrictlyIncreasing) {
  BacktestResult r;
  add_symbol(r, "A");
  add_point(r, "A", 3, 100);
  add_point(r, "A", 3, 100);
  ASSERT_TRUE(group_by_symbol(r).ok());
  Status st = check_tables(r);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("idx does not increase strictly"), std::string::npos);
}

TEST(CheckTables, OrderRestartsAtEachSymbol) {
  BacktestResult r;
  add_symbol(r, "A");
  add_symbol(r, "B");
  add_point(r, "A", 5, 500);
  add_point(r, "B", 0, 0);
  ASSERT_TRUE(group_by_symbol(r).ok());
  EXPECT_TRUE(check_tables(r).ok());
}

TEST(CheckTables, RejectsNullTimestamp) {
  BacktestResult r;
  add_symbol(r, "A");
  add_signal(r, "A", 1, 100);
  r.signals.timestamp.defined[0] = 0;
  ASSERT_TRUE(group_by_symbol(r).ok());
  Status st = check_tables(r);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("timestamp is null"), std::string::npos);
}

}  // namespace
}  // namespace btstore::model

namespace btstore::model {
namespace {

TEST(CheckTables, RejectsValuesJsonCannotCarry) {
  BacktestResult r;
  add_symbol(r, "A");
  add_signal(r, "A", 1, 100);
  r.signals.exit_price.values[0] = std::numeric_limits<double>::quiet_NaN();
  Status st = check_tables(r);
  EXPECT_EQ(st.code(), StatusCode::kNotSupported);
  EXPECT_NE(st.message().find("exit_price is NaN"), std::string::npos) << st.message();
  r.signals.exit_price.values[0] = 1;
  r.signals.timestamp.values[0] = INT64_MAX;
  st = check_tables(r);
  EXPECT_NE(st.message().find("timestamp is a time outside years 0001-9999"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace btstore::model
