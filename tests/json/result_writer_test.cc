#include "json/result_writer.h"

#include <gtest/gtest.h>

#include "json/parser_test_util.h"

namespace btstore::json::test {
namespace {

constexpr std::string_view kSmall =
    R"({"task_id":"550e8400-e29b-41d4-a716-446655440000",)"
    R"("strategy":"s","timeframe":null,"start_date":"2024-01-01","end_date":"2024-01-02",)"
    R"("status":"running","metadata":{"k":[1.50,"v"]},"symbols":[{"symbol":"BTC/USDT",)"
    R"("summary":{"win_rate":58.5,"avg_return":null,"max_return":null,"min_return":null,)"
    R"("max_drawdown":null,"avg_hold_bars":null,"total_signals":200,"winning_signals":null,)"
    R"("losing_signals":null,"total_pnl":21500.0,"total_pnl_pct":null},"signals":[)"
    R"({"signal_index":1,"timestamp":"2024-01-01T10:00:00.5Z","type":"buy","entry_price":42000.0,)"
    R"("exit_price":null,"quantity":0.5,"return_pct":-0.0,"hold_bars":4,"fee_amount":16.8,)"
    R"("slippage_amount":null,"status":"open"}],"performance_curve":[{"idx":0,)"
    R"("timestamp":"2024-01-01T00:00:00Z","equity":100000.0,"drawdown":0.0,)"
    R"("cumulative_pnl":null,"cumulative_pnl_pct":0.0}]}]})";

TEST(WriteResult, WritesEveryFieldInDocumentedOrder) {
  EXPECT_EQ(write_result(parsed(kSmall)), kSmall);
}

TEST(WriteResult, WritesNullsForAbsentOptionalFields) {
  const std::string json = write_result(parsed(
      R"({"strategy": "s", "start_date": "2024-01-01", "end_date": "2024-01-01", "symbols": [
          {"symbol": "A", "signals": [{"signal_index": 1, "timestamp": "2024-01-01 02:00:00+01:00"}]}]})"));
  const std::string tail = json.substr(json.find(R"("strategy")"));
  EXPECT_EQ(tail,
            R"("strategy":"s","timeframe":null,"start_date":"2024-01-01","end_date":"2024-01-01",)"
            R"("status":"completed","metadata":{},"symbols":[{"symbol":"A","summary":{)"
            R"("win_rate":null,"avg_return":null,"max_return":null,"min_return":null,)"
            R"("max_drawdown":null,"avg_hold_bars":null,"total_signals":null,)"
            R"("winning_signals":null,"losing_signals":null,"total_pnl":null,)"
            R"("total_pnl_pct":null},"signals":[{"signal_index":1,)"
            R"("timestamp":"2024-01-01T01:00:00Z","type":null,"entry_price":null,)"
            R"("exit_price":null,"quantity":null,"return_pct":null,"hold_bars":null,)"
            R"("fee_amount":null,"slippage_amount":null,"status":null}],)"
            R"("performance_curve":[]}]})");
}

TEST(WriteResult, IndentsWhenAsked) {
  const std::string json = write_result(parsed(kSmall), 2);
  EXPECT_EQ(
      json.rfind(
          "{\n  \"task_id\": \"550e8400-e29b-41d4-a716-446655440000\",\n  \"strategy\": \"s\",\n",
          0),
      0u);
  EXPECT_NE(json.find("\n  \"metadata\": {\"k\":[1.50,\"v\"]},\n"), std::string::npos);
  EXPECT_NE(json.find("\n      \"signals\": [\n        {\n          \"signal_index\": 1,\n"),
            std::string::npos);
}

TEST(WriteResult, GroupsInterleavedRowsUnderTheirSymbol) {
  model::BacktestResult r = parsed(R"({"strategy": "s", "start_date": "2024-01-01",
      "end_date": "2024-01-01", "symbols": [{"symbol": "A"}, {"symbol": "B"}]})");
  for (const char* symbol : {"B", "A", "B", "A"}) {
    r.signals.symbol.push(symbol);
    r.signals.signal_index.push(static_cast<int32_t>(r.signals.num_rows()));
    r.signals.timestamp.push(0);
    for (auto* c : {&r.signals.entry_price, &r.signals.exit_price, &r.signals.quantity,
                    &r.signals.return_pct, &r.signals.fee_amount, &r.signals.slippage_amount}) {
      c->push_null();
    }
    r.signals.type.push_null(), r.signals.status.push_null(), r.signals.hold_bars.push_null();
  }
  const model::BacktestResult back = parsed(write_result(r));
  EXPECT_EQ(back.signals.symbol.values, (std::vector<std::string>{"A", "A", "B", "B"}));
  EXPECT_EQ(back.signals.signal_index.values, (std::vector<int32_t>{2, 4, 1, 3}));
}

TEST(WriteResult, KeepsRowsOfSymbolsMissingFromTheSummary) {
  model::BacktestResult r = parsed(R"({"strategy": "s", "start_date": "2024-01-01",
      "end_date": "2024-01-01", "symbols": [{"symbol": "A"}]})");
  r.curve.symbol.push("orphan");
  r.curve.idx.push(0);
  r.curve.timestamp.push(0);
  for (auto* c :
       {&r.curve.equity, &r.curve.drawdown, &r.curve.cumulative_pnl, &r.curve.cumulative_pnl_pct}) {
    c->push(1.0);
  }
  const model::BacktestResult back = parsed(write_result(r));
  EXPECT_EQ(back.summary.symbol.values, (std::vector<std::string>{"A", "orphan"}));
  EXPECT_TRUE(back.summary.win_rate.is_null(1));
  EXPECT_EQ(back.curve.symbol.values, (std::vector<std::string>{"orphan"}));
}

}  // namespace
}  // namespace btstore::json::test
