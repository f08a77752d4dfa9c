// write_result and parse_result are inverse: every value, null and double bit survives.
#include <gtest/gtest.h>

#include <bit>

#include "json/parser_test_util.h"
#include "json/result_writer.h"
#include "support/random_result.h"

namespace btstore::json::test {
namespace {

using btstore::testing::random_result;
using btstore::testing::RandomResultOptions;
using btstore::testing::result_difference;

TEST(RoundTrip, RandomResultsSurviveWriteAndParse) {
  for (uint64_t seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed);
    RandomResultOptions options;
    options.max_signals = 25;
    options.max_curve = 25;
    options.null_rate = seed % 3 == 0 ? 0.5 : 0.1;
    options.extreme_values = seed % 5 != 4;
    const model::BacktestResult original = random_result(rng, options);
    const std::string text = write_result(original, seed % 2 == 0 ? 0 : 2);
    Result<model::BacktestResult> back = parse_result(text);
    ASSERT_TRUE(back.ok()) << "seed " << seed << ": " << back.status().message() << "\n" << text;
    ASSERT_EQ(result_difference(original, *back), "") << "seed " << seed;
    ASSERT_EQ(write_result(*back, seed % 2 == 0 ? 0 : 2), text) << "seed " << seed;
  }
}

TEST(RoundTrip, RandomResultsAreValidWithLargeTables) {
  std::mt19937_64 rng(99);
  RandomResultOptions options;
  options.max_symbols = 3;
  options.max_signals = 3000;
  options.max_curve = 3000;
  const model::BacktestResult original = random_result(rng, options);
  Result<model::BacktestResult> back = parse_result(write_result(original));
  ASSERT_TRUE(back.ok()) << back.status().message().substr(0, 2000);
  EXPECT_EQ(result_difference(original, *back), "");
}

TEST(RoundTrip, ParsedDocumentsAreAFixedPoint) {
  const model::BacktestResult first = parsed(kValidDocument);
  const model::BacktestResult second = parsed(write_result(first, 2));
  EXPECT_EQ(result_difference(first, second), "");
}

TEST(RoundTrip, KeepsTheBitsOfSpecialDoubles) {
  const double values[] = {-0.0,
                           5e-324,
                           1.7976931348623157e308,
                           -1.7976931348623157e308,
                           0.1 + 0.2,
                           42000.0,
                           9007199254740992.0,
                           1e22,
                           2.2250738585072014e-308};
  model::BacktestResult r = parsed(R"({"strategy": "s", "start_date": "2024-01-01",
      "end_date": "2024-01-01", "symbols": [{"symbol": "A"}]})");
  for (double v : values) {
    r.signals.symbol.push("A");
    r.signals.signal_index.push(0);
    r.signals.timestamp.push(0);
    for (model::DoubleColumn* c :
         {&r.signals.entry_price, &r.signals.exit_price, &r.signals.quantity, &r.signals.return_pct,
          &r.signals.fee_amount, &r.signals.slippage_amount}) {
      c->push(v);
    }
    for (model::StringColumn* c : {&r.signals.type, &r.signals.status}) c->push_null();
    r.signals.hold_bars.push_null();
  }
  const model::BacktestResult back = parsed(write_result(r));
  EXPECT_EQ(result_difference(r, back), "");
}

}  // namespace
}  // namespace btstore::json::test
