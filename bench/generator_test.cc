// The benchmark generator: deterministic, valid and of the preset's shape.
#include <gtest/gtest.h>

#include "generator/result_generator.h"
#include "json/result_parser.h"

namespace btstore::bench {
namespace {

GeneratorOptions tiny(uint64_t seed) {
  GeneratorOptions o;
  o.symbols = 3, o.signals = 120, o.curve_points = 200, o.seed = seed;
  return o;
}

TEST(ResultGenerator, SameSeedGivesIdenticalBytes) {
  EXPECT_EQ(generate_result_text(tiny(7)), generate_result_text(tiny(7)));
}

TEST(ResultGenerator, DifferentSeedGivesDifferentDocument) {
  EXPECT_NE(generate_result_text(tiny(7)), generate_result_text(tiny(8)));
}

TEST(ResultGenerator, SmallPresetParsesWithItsCounts) {
  Result<GeneratorOptions> small = preset_options("small");
  ASSERT_TRUE(small.ok());
  std::string text = generate_result_text(*small);
  Result<model::BacktestResult> parsed = json::parse_result(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string().substr(0, 2000);
  EXPECT_EQ(parsed->summary.num_rows(), 5u);
  EXPECT_EQ(parsed->signals.num_rows(), 5u * 250);
  EXPECT_EQ(parsed->curve.num_rows(), 5u * 720);
  // About 2% open positions: their exit fields are null.
  size_t open = parsed->signals.exit_price.null_count();
  EXPECT_GT(open, 0u);
  EXPECT_LT(open, parsed->signals.num_rows() / 10);
  EXPECT_EQ(parsed->signals.return_pct.null_count(), open);
  EXPECT_EQ(parsed->summary.total_signals.values[0], 250);
}

TEST(ResultGenerator, PresetsHaveTheIssuesCounts) {
  Result<GeneratorOptions> big = preset_options("100mb");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->symbols, 200);
  EXPECT_EQ(big->signals, 1000);
  EXPECT_EQ(big->curve_points, 1500);
  Result<GeneratorOptions> huge = preset_options("500mb");
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge->symbols, 1000);
  EXPECT_FALSE(preset_options("1gb").ok());
}

TEST(ResultGenerator, EmptyCountsStillGiveAValidDocument) {
  GeneratorOptions o = tiny(1);
  o.signals = 0, o.curve_points = 0;
  Result<model::BacktestResult> parsed = json::parse_result(generate_result_text(o));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->summary.num_rows(), 3u);
  EXPECT_EQ(parsed->signals.num_rows(), 0u);
}

}  // namespace
}  // namespace btstore::bench
