// The shipped examples and the JSON Schema are valid and say what docs/format.md says.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "json/parser_test_util.h"
#include "json/result_writer.h"
#include "support/random_result.h"

namespace btstore::json::test {
namespace {

const std::filesystem::path kSourceDir = BTSTORE_SOURCE_DIR;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

model::BacktestResult example(const std::string& name) {
  return parsed(read_file(kSourceDir / "examples" / name));
}

TEST(Examples, EveryExampleParsesAndRoundTrips) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSourceDir / "examples")) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    Result<model::BacktestResult> first = parse_result(read_file(entry.path()));
    ASSERT_TRUE(first.ok()) << entry.path() << ": " << first.status().message();
    Result<model::BacktestResult> second = parse_result(write_result(*first, 2));
    ASSERT_TRUE(second.ok()) << entry.path() << ": " << second.status().message();
    EXPECT_EQ(btstore::testing::result_difference(*first, *second), "") << entry.path();
  }
  EXPECT_GE(count, 4u);
}

TEST(Examples, BasicIsTheIssueExample) {
  const model::BacktestResult r = example("basic.json");
  EXPECT_EQ(r.header.task_id, "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(r.header.metadata_json, R"({"engine":"v2.3","params":{"zone_len":20}})");
  EXPECT_EQ(r.summary.num_rows(), 1u);
  EXPECT_EQ(r.signals.num_rows(), 1u);
  EXPECT_EQ(r.curve.num_rows(), 1u);
  EXPECT_EQ(r.signals.exit_price.values[0], 42840.0);
}

TEST(Examples, TwoSymbolsHasAnOpenPosition) {
  const model::BacktestResult r = example("two_symbols.json");
  EXPECT_EQ(r.summary.symbol.values, (std::vector<std::string>{"BTC/USDT", "ETH/USDT"}));
  EXPECT_EQ(r.signals.num_rows(), 12u);
  EXPECT_EQ(r.curve.num_rows(), 24u);
  size_t open = 0;
  for (size_t row = 0; row < r.signals.num_rows(); ++row) {
    if (r.signals.exit_price.is_null(row)) {
      ++open;
      EXPECT_EQ(r.signals.status.values[row], "open");
    }
  }
  EXPECT_EQ(open, 1u);
}

TEST(Examples, RunningHasNoSymbolsYet) {
  const model::BacktestResult r = example("running.json");
  EXPECT_EQ(r.header.status, "running");
  EXPECT_EQ(r.summary.num_rows(), 0u);
}

TEST(Examples, FailedKeepsItsPartialData) {
  const model::BacktestResult r = example("failed.json");
  EXPECT_EQ(r.header.status, "failed");
  EXPECT_EQ(r.header.timeframe, std::nullopt);
  EXPECT_TRUE(r.summary.win_rate.is_null(0));
  EXPECT_EQ(r.signals.num_rows(), 2u);
}

TEST(Examples, TheJsonSchemaIsJson) {
  const std::string text = read_file(kSourceDir / "docs" / "backtest_result.schema.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(text).get(root), simdjson::SUCCESS);
  std::string_view dialect;
  ASSERT_EQ(root["$schema"].get(dialect), simdjson::SUCCESS);
  EXPECT_EQ(dialect, "https://json-schema.org/draft/2020-12/schema");
}

}  // namespace
}  // namespace btstore::json::test
