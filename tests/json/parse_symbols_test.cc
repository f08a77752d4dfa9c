// The rules for symbols, summaries, signals and curve points.
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <limits>
#include <random>
#include <string>

#include "json/parser_test_util.h"

namespace btstore::json::test {
namespace {

// A document whose only symbol is `symbol_json`.
std::string with_symbol(std::string_view symbol_json) {
  return R"({"strategy": "s", "start_date": "2024-01-01", "end_date": "2024-01-01", "symbols": [)" +
         std::string(symbol_json) + "]}";
}

// A document with one symbol "A" holding the given signal objects.
std::string with_signals(std::string_view signals) {
  return with_symbol(R"({"symbol": "A", "signals": [)" + std::string(signals) + "]}");
}

std::string with_curve(std::string_view points) {
  return with_symbol(R"({"symbol": "A", "performance_curve": [)" + std::string(points) + "]}");
}

// A signal with the required fields and `extra` members.
std::string signal(std::string_view extra = "", std::string_view ts = "2024-01-01T00:00:00Z") {
  return R"({"signal_index": 1, "timestamp": ")" + std::string(ts) + "\"" +
         (extra.empty() ? "" : ", " + std::string(extra)) + "}";
}

uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }

// The symbols parsed apart by the DOM reader however small the document, or the whole document
// by the On-Demand reader.
ParseOptions split_or_whole(bool split) {
  ParseOptions options;
  options.split_symbols = split;
  options.min_bytes_per_thread = 0;
  return options;
}

// Keys are compared after unescaping: an escaped field name is that field, and a key that only
// starts like a field name is another key.
TEST(ParseSymbols, ReadsRecordKeysWithEscapes) {
  const model::BacktestResult r = parsed(with_signals(
      R"({"sign\u0061l_index": 1, "timestamp": "2024-01-01T00:00:00Z", "entry_pric\u0065": 2.5})"));
  ASSERT_EQ(r.signals.num_rows(), 1u);
  EXPECT_EQ(r.signals.signal_index.values[0], 1);
  EXPECT_EQ(r.signals.entry_price.values[0], 2.5);
  const auto first_part = [](const std::string& message) {
    return message.substr(0, message.find(';'));
  };
  EXPECT_EQ(first_part(problems_of(with_signals(signal(R"("quantity\"": 1)")))),
            R"(symbols[0].signals[0]["quantity\""]: unknown field)");
  EXPECT_EQ(first_part(problems_of(
                with_curve(R"({"idx": 1, "timestamp": "2024-01-01T00:00:00Z", "equityx": 1})"))),
            "symbols[0].performance_curve[0].equityx: unknown field");
}

TEST(ParseSymbols, FillsTheColumnsOfEveryTable) {
  const model::BacktestResult r = parsed(kValidDocument);
  EXPECT_EQ(r.summary.symbol.values[0], "BTC/USDT");
  EXPECT_EQ(r.summary.win_rate.values[0], 58.5);
  EXPECT_EQ(r.summary.total_signals.values[0], 200);
  EXPECT_EQ(r.signals.symbol.values, (std::vector<std::string>{"BTC/USDT", "BTC/USDT"}));
  EXPECT_EQ(r.signals.timestamp.values[0], 1'704'103'200'000'000);
  EXPECT_EQ(r.signals.type.values[1], "sell");
  EXPECT_TRUE(r.signals.exit_price.is_null(1));
  EXPECT_TRUE(r.signals.hold_bars.is_null(1));
  EXPECT_EQ(r.signals.hold_bars.values[0], 4);
  EXPECT_EQ(r.curve.idx.values, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(r.curve.equity.values[1], 102000.0);
}

TEST(ParseSymbols, FillsTheSymbolColumnWhenTheNameComesLast) {
  const model::BacktestResult r = parsed(
      with_symbol(R"({"signals": [)" + signal() + "," + signal() + R"(], "symbol": "late"})"));
  EXPECT_EQ(r.signals.symbol.values, (std::vector<std::string>{"late", "late"}));
  EXPECT_EQ(r.summary.symbol.values[0], "late");
}

TEST(ParseSymbols, RequiresASymbolName) {
  EXPECT_EQ(problems_of(with_symbol(R"({"signals": []})")),
            "symbols[0].symbol: required field is missing");
}

TEST(ParseSymbols, RejectsAnEmptySymbolName) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": ""})")), "symbols[0].symbol: must not be empty");
}

TEST(ParseSymbols, RejectsANullSymbolName) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": null})")),
            "symbols[0].symbol: expected a string, got null (this field cannot be null)");
}

TEST(ParseSymbols, RejectsDuplicateSymbolNames) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A"}, {"symbol": "B"}, {"symbol": "A"})")),
            "symbols[2].symbol: \"A\" is already the symbol of symbols[0]; symbol names must be "
            "unique");
}

TEST(ParseSymbols, AcceptsUnicodeSymbolNames) {
  const model::BacktestResult r = parsed(with_symbol(R"({"symbol": "\ud83d\ude00/\uD55C"})"));
  EXPECT_EQ(r.summary.symbol.values[0], "\xf0\x9f\x98\x80/\xed\x95\x9c");
}

TEST(ParseSymbols, RejectsASymbolThatIsNotAnObject) {
  EXPECT_EQ(problems_of(with_symbol(R"("BTC/USDT")")),
            "symbols[0]: expected an object, got a string");
}

TEST(ParseSymbols, RejectsAnUnknownSymbolField) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "trades": []})")),
            "symbols[0].trades: unknown field; the fields are symbol, summary, signals, "
            "performance_curve");
}

TEST(ParseSymbols, RejectsADuplicateSymbolField) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "signals": [], "signals": []})")),
            "symbols[0].signals: duplicate key; each field may appear only once");
}

TEST(ParseSymbols, TreatsAMissingOrNullSummaryAsAllNull) {
  for (const char* json : {R"({"symbol": "A"})", R"({"symbol": "A", "summary": null})",
                           R"({"symbol": "A", "summary": {}})"}) {
    const model::BacktestResult r = parsed(with_symbol(json));
    ASSERT_EQ(r.summary.num_rows(), 1u) << json;
    EXPECT_TRUE(r.summary.win_rate.is_null(0));
    EXPECT_TRUE(r.summary.total_signals.is_null(0));
    EXPECT_EQ(r.signals.num_rows(), 0u);
    EXPECT_EQ(r.curve.num_rows(), 0u);
  }
}

TEST(ParseSymbols, AllowsNullInEverySummaryField) {
  const model::BacktestResult r = parsed(with_symbol(
      R"({"symbol": "A", "summary": {"win_rate": null, "total_signals": null, "total_pnl": 1}})"));
  EXPECT_TRUE(r.summary.win_rate.is_null(0));
  EXPECT_TRUE(r.summary.total_signals.is_null(0));
  EXPECT_EQ(r.summary.total_pnl.values[0], 1.0);
}

TEST(ParseSymbols, RejectsAnUnknownSummaryField) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "summary": {"sharpe": 1.2}})")),
            "symbols[0].summary.sharpe: unknown field; the fields are win_rate, avg_return, "
            "max_return, min_return, max_drawdown, avg_hold_bars, total_signals, "
            "winning_signals, losing_signals, total_pnl, total_pnl_pct");
}

TEST(ParseSymbols, RejectsASummaryThatIsNotAnObject) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "summary": []})")),
            "symbols[0].summary: expected an object or null, got an array");
}

TEST(ParseSymbols, AcceptsIntegralDoublesInIntegerFields) {
  const model::BacktestResult r = parsed(with_symbol(
      R"({"symbol": "A", "summary": {"total_signals": 200.0, "winning_signals": 1e2,
          "losing_signals": -2147483648}})"));
  EXPECT_EQ(r.summary.total_signals.values[0], 200);
  EXPECT_EQ(r.summary.winning_signals.values[0], 100);
  EXPECT_EQ(r.summary.losing_signals.values[0], std::numeric_limits<int32_t>::min());
}

TEST(ParseSymbols, RejectsAFractionInAnIntegerField) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "summary": {"total_signals": 200.5}})")),
            "symbols[0].summary.total_signals: 200.5 is not an integer");
}

TEST(ParseSymbols, RejectsIntegersOutsideInt32) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "summary": {"total_signals": 3e9}})")),
            "symbols[0].summary.total_signals: 3e9 is outside the int32 range "
            "-2147483648..2147483647");
  EXPECT_EQ(problems_of(with_signals(signal(R"("hold_bars": 2147483648)"))),
            "symbols[0].signals[0].hold_bars: 2147483648 is outside the int32 range "
            "-2147483648..2147483647");
  EXPECT_EQ(problems_of(with_signals(signal(R"("hold_bars": 1e400)"))),
            "symbols[0].signals[0].hold_bars: 1e400 is outside the int32 range "
            "-2147483648..2147483647");
}

TEST(ParseSymbols, TreatsMissingArraysAsEmpty) {
  const model::BacktestResult r = parsed(with_symbol(R"({"symbol": "A", "summary": {}})"));
  EXPECT_EQ(r.signals.num_rows(), 0u);
  EXPECT_EQ(r.curve.num_rows(), 0u);
}

TEST(ParseSymbols, RejectsNullSignals) {
  EXPECT_EQ(problems_of(with_symbol(R"({"symbol": "A", "signals": null})")),
            "symbols[0].signals: expected an array, got null (this field cannot be null)");
}

TEST(ParseSymbols, RejectsASignalThatIsNotAnObject) {
  EXPECT_EQ(problems_of(with_signals("[1, 2]")),
            "symbols[0].signals[0]: expected an object, got an array");
}

TEST(ParseSymbols, RequiresSignalIndexAndTimestamp) {
  EXPECT_EQ(problems_of(with_signals(R"({"type": "buy"})")),
            "symbols[0].signals[0].signal_index: required field is missing\n"
            "symbols[0].signals[0].timestamp: required field is missing");
}

TEST(ParseSymbols, RejectsANullSignalIndex) {
  EXPECT_EQ(
      problems_of(with_signals(R"({"signal_index": null, "timestamp": "2024-01-01T00:00:00Z"})")),
      "symbols[0].signals[0].signal_index: expected an integer, got null (this field cannot "
      "be null)");
}

TEST(ParseSymbols, NamesTheBadTimestampByItsPath) {
  EXPECT_EQ(problems_of(with_signals(signal("", "2024-13-01T00:00:00Z"))),
            "symbols[0].signals[0].timestamp: \"2024-13-01T00:00:00Z\" is not a valid RFC 3339 "
            "time (month 13 is not in 01-12)");
}

TEST(ParseSymbols, RejectsATimestampThatIsNotAString) {
  EXPECT_EQ(problems_of(with_signals(R"({"signal_index": 1, "timestamp": 1704067200000})")),
            "symbols[0].signals[0].timestamp: expected a string, got a number");
}

TEST(ParseSymbols, AllowsNullInEveryNullableSignalField) {
  const model::BacktestResult r = parsed(with_signals(signal(
      R"("type": null, "entry_price": null, "exit_price": null, "quantity": null,
         "return_pct": null, "hold_bars": null, "fee_amount": null, "slippage_amount": null,
         "status": null)")));
  EXPECT_EQ(r.signals.type.null_count() + r.signals.entry_price.null_count() +
                r.signals.exit_price.null_count() + r.signals.quantity.null_count() +
                r.signals.return_pct.null_count() + r.signals.hold_bars.null_count() +
                r.signals.fee_amount.null_count() + r.signals.slippage_amount.null_count() +
                r.signals.status.null_count(),
            9u);
}

TEST(ParseSymbols, TreatsMissingSignalFieldsAsNull) {
  const model::BacktestResult r = parsed(with_signals(signal()));
  EXPECT_TRUE(r.signals.type.is_null(0));
  EXPECT_TRUE(r.signals.entry_price.is_null(0));
  EXPECT_TRUE(r.signals.status.is_null(0));
}

TEST(ParseSymbols, RejectsAnUnknownSignalField) {
  const std::string message = problems_of(with_signals(signal(R"("price": 1)")));
  EXPECT_EQ(message.substr(0, message.find(';')), "symbols[0].signals[0].price: unknown field");
}

TEST(ParseSymbols, RejectsADuplicateSignalField) {
  EXPECT_EQ(problems_of(with_signals(signal(R"("type": "buy", "type": "sell")"))),
            "symbols[0].signals[0].type: duplicate key; each field may appear only once");
}

TEST(ParseSymbols, RejectsAStringWhereANumberBelongs) {
  EXPECT_EQ(problems_of(with_signals(signal(R"("entry_price": "42000")"))),
            "symbols[0].signals[0].entry_price: expected a number or null, got a string");
  EXPECT_EQ(problems_of(with_signals(signal(R"("type": 1)"))),
            "symbols[0].signals[0].type: expected a string or null, got a number");
  EXPECT_EQ(problems_of(with_signals(signal(R"("quantity": true)"))),
            "symbols[0].signals[0].quantity: expected a number or null, got a boolean");
}

TEST(ParseSymbols, ReadsIntegersAndSignedZerosAsExactDoubles) {
  const model::BacktestResult r = parsed(with_signals(
      signal(R"("entry_price": 42000, "exit_price": -0, "quantity": -0.0, "return_pct": 0,
                "fee_amount": 18446744073709551616, "slippage_amount": 9007199254740993)")));
  EXPECT_EQ(bits(r.signals.entry_price.values[0]), bits(42000.0));
  EXPECT_EQ(bits(r.signals.exit_price.values[0]), bits(-0.0));
  EXPECT_EQ(bits(r.signals.quantity.values[0]), bits(-0.0));
  EXPECT_EQ(bits(r.signals.return_pct.values[0]), bits(0.0));
  EXPECT_EQ(bits(r.signals.fee_amount.values[0]), bits(18446744073709551616.0));
  EXPECT_EQ(bits(r.signals.slippage_amount.values[0]), bits(9007199254740992.0));  // nearest
}

TEST(ParseSymbols, ReadsTheExtremeDoubles) {
  const model::BacktestResult r =
      parsed(with_signals(signal(R"("entry_price": 5e-324, "exit_price": 1.7976931348623157e308,
                "quantity": -1.7976931348623157e308, "return_pct": 2.2250738585072014e-308,
                "fee_amount": 1e-400)")));
  EXPECT_EQ(bits(r.signals.entry_price.values[0]), 1u);
  EXPECT_EQ(r.signals.exit_price.values[0], std::numeric_limits<double>::max());
  EXPECT_EQ(r.signals.quantity.values[0], -std::numeric_limits<double>::max());
  EXPECT_EQ(r.signals.return_pct.values[0], std::numeric_limits<double>::min());
  EXPECT_EQ(bits(r.signals.fee_amount.values[0]), bits(0.0));  // underflows to the nearest double
}

// Numbers written "0.<many digits>", as fixed-point writers emit them, read to the nearest
// double by both readers: the DOM reader of split symbols and the On-Demand reader of a whole
// document (which simdjson 3.0.1 gets wrong on its own).
TEST(ParseSymbols, ReadsLongFractionsToTheNearestDouble) {
  std::mt19937_64 rng(11);
  for (int n = 0; n < 500; ++n) {
    std::string token = rng() % 2 ? "-0." : "0.";
    token.append(rng() % 6, '0');
    for (size_t digits = 15 + rng() % 15; digits > 0; --digits) token += char('0' + rng() % 10);
    if (rng() % 3 == 0) token += "e" + std::to_string(static_cast<int>(rng() % 21) - 10);
    double expected = 0;
    ASSERT_EQ(std::from_chars(token.data(), token.data() + token.size(), expected).ec, std::errc());
    const std::string json = with_signals(signal(R"("entry_price": )" + token));
    for (bool split : {true, false}) {
      Result<model::BacktestResult> r = parse_result(json, split_or_whole(split));
      ASSERT_TRUE(r.ok()) << token << ": " << r.status().to_string();
      EXPECT_EQ(bits(r->signals.entry_price.values[0]), bits(expected))
          << token << (split ? " split" : " whole");
    }
  }
}

TEST(ParseSymbols, ReadsALongFractionThatIsAnIntegerAsOne) {
  for (bool split : {true, false}) {
    Result<model::BacktestResult> r = parse_result(
        with_signals(signal(R"("hold_bars": 0.50000000000000000000000e1)")), split_or_whole(split));
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->signals.hold_bars.values[0], 5);
  }
}

// Exponents of any length, as the DOM reader of split symbols reads them, and the On-Demand
// reader of a whole document too.
TEST(ParseSymbols, ReadsExponentsOfManyDigits) {
  const std::string zero = "5e-" + std::string(60, '5');
  const std::string also_zero = "1e-0000000000000000000400";
  const std::string one = "1e+00000000000000000000000";
  const std::string too_large = "-0.82413835437285658629988523e+315";
  for (bool split : {true, false}) {
    const ParseOptions options = split_or_whole(split);
    Result<model::BacktestResult> r =
        parse_result(with_signals(signal(R"("entry_price": )" + zero + R"(, "exit_price": )" +
                                         also_zero + R"(, "quantity": )" + one)),
                     options);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(bits(r->signals.entry_price.values[0]), bits(0.0));
    EXPECT_EQ(bits(r->signals.exit_price.values[0]), bits(0.0));
    EXPECT_EQ(r->signals.quantity.values[0], 1.0);
    r = parse_result(with_signals(signal(R"("entry_price": )" + too_large)), options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), "symbols[0].signals[0].entry_price: " + too_large +
                                        " is outside the range of a double (at most "
                                        "1.7976931348623157e308 in magnitude)");
  }
}

TEST(ParseSymbols, RejectsNumbersBeyondTheDoubleRange) {
  EXPECT_EQ(problems_of(with_signals(signal(R"("entry_price": 1e400)"))),
            "symbols[0].signals[0].entry_price: 1e400 is outside the range of a double (at most "
            "1.7976931348623157e308 in magnitude)");
}

TEST(ParseSymbols, AcceptsEqualSignalTimestamps) {
  EXPECT_EQ(parsed(with_signals(signal() + "," + signal())).signals.num_rows(), 2u);
}

TEST(ParseSymbols, RejectsSignalsGoingBackInTime) {
  EXPECT_EQ(problems_of(with_signals(signal("", "2024-01-01T10:00:00Z") + "," +
                                     signal("", "2024-01-01T09:59:59.999999Z"))),
            "symbols[0].signals[1].timestamp: 2024-01-01T09:59:59.999999Z is earlier than the "
            "previous signal's 2024-01-01T10:00:00Z; signals must be in non-decreasing timestamp "
            "order");
}

TEST(ParseSymbols, ComparesSignalTimestampsInUtc) {
  // 10:00+02:00 is 08:00Z, so 09:00Z is later even though it reads earlier.
  EXPECT_EQ(parsed(with_signals(signal("", "2024-01-01T10:00:00+02:00") + "," +
                                signal("", "2024-01-01T09:00:00Z")))
                .signals.num_rows(),
            2u);
}

TEST(ParseSymbols, ChecksOrderWithinEachSymbolOnly) {
  const model::BacktestResult r = parsed(with_symbol(
      R"({"symbol": "A", "signals": [)" + signal("", "2024-01-02T00:00:00Z") +
      R"(]}, {"symbol": "B", "signals": [)" + signal("", "2024-01-01T00:00:00Z") + "]}"));
  EXPECT_EQ(r.signals.symbol.values, (std::vector<std::string>{"A", "B"}));
}

TEST(ParseSymbols, RequiresIdxAndTimestampInCurvePoints) {
  EXPECT_EQ(problems_of(with_curve(R"({"equity": 1})")),
            "symbols[0].performance_curve[0].idx: required field is missing\n"
            "symbols[0].performance_curve[0].timestamp: required field is missing");
}

TEST(ParseSymbols, AllowsNullCurveValues) {
  const model::BacktestResult r = parsed(with_curve(
      R"({"idx": 0, "timestamp": "2024-01-01T00:00:00Z", "equity": null, "drawdown": null,
          "cumulative_pnl": null, "cumulative_pnl_pct": null})"));
  EXPECT_TRUE(r.curve.equity.is_null(0));
  EXPECT_TRUE(r.curve.cumulative_pnl_pct.is_null(0));
}

TEST(ParseSymbols, RejectsCurveIdxThatDoesNotIncrease) {
  EXPECT_EQ(problems_of(with_curve(R"({"idx": 5, "timestamp": "2024-01-01T00:00:00Z"},
                                      {"idx": 3, "timestamp": "2024-01-01T01:00:00Z"})")),
            "symbols[0].performance_curve[1].idx: 3 is not greater than the previous point's idx "
            "5; idx must be strictly increasing");
}

TEST(ParseSymbols, RejectsCurveGoingBackInTime) {
  EXPECT_EQ(problems_of(with_curve(R"({"idx": 0, "timestamp": "2024-01-01T01:00:00Z"},
                                      {"idx": 1, "timestamp": "2024-01-01T00:00:00Z"})")),
            "symbols[0].performance_curve[1].timestamp: 2024-01-01T00:00:00Z is earlier than the "
            "previous point's 2024-01-01T01:00:00Z; the curve must be in non-decreasing timestamp "
            "order");
}

TEST(ParseSymbols, RejectsAnUnknownCurveField) {
  const std::string message =
      problems_of(with_curve(R"({"idx": 0, "timestamp": "2024-01-01T00:00:00Z", "pnl": 1})"));
  EXPECT_EQ(message,
            "symbols[0].performance_curve[0].pnl: unknown field; the fields are idx, timestamp, "
            "equity, drawdown, cumulative_pnl, cumulative_pnl_pct");
}

}  // namespace
}  // namespace btstore::json::test
