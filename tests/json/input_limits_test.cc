// The limits checked before a document is parsed: its size and its nesting depth, with
// messages that give the limit and the option that raises it.
#include "json/input_limits.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "btstore/convert.h"
#include "parser_test_util.h"
#include "support/temp_dir.h"

namespace btstore::json {
namespace {

using test::kValidDocument;
using test::with;

// kValidDocument whose metadata nests `levels` objects: {"a":{"a":...{}}} (document depth
// levels + 1).
std::string nested_metadata(int levels) {
  std::string inner = "{}";
  for (int i = 1; i < levels; ++i) inner = "{\"a\":" + inner + "}";
  return with(R"({"engine": "v2.3", "params": {"zone_len": 20}})", inner);
}

TEST(InputLimits, DefaultsAreTwoGibibytesAndSixtyFourLevels) {
  EXPECT_EQ(InputLimits{}.max_bytes, uint64_t{2} << 30);
  EXPECT_EQ(InputLimits{}.max_depth, 64);
  EXPECT_EQ(ConvertOptions{}.max_json_bytes, InputLimits{}.max_bytes);
  EXPECT_EQ(ConvertOptions{}.max_json_depth, InputLimits{}.max_depth);
}

TEST(InputLimits, ValidDocumentPassesTheDefaults) {
  EXPECT_TRUE(check_input_limits(kValidDocument, {}).ok());
  EXPECT_TRUE(parse_result(kValidDocument, InputLimits{}).ok());
}

TEST(InputLimits, LargerDocumentIsRefusedBeforeParsingSayingTheLimitAndTheOption) {
  InputLimits limits;
  limits.max_bytes = 100;
  // Not JSON at all: the refusal comes from the size alone, before any parsing.
  const std::string garbage(101, '\x01');
  Result<model::BacktestResult> r = parse_result(garbage, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("the document is 101 bytes, more than the limit of 100"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("--max-json-bytes"), std::string::npos);
  EXPECT_TRUE(check_input_limits(std::string(100, ' '), limits).ok());
}

TEST(InputLimits, SizeAloneIsCheckedWithoutTheBytes) {
  InputLimits limits;
  EXPECT_TRUE(check_document_size(uint64_t{2} << 30, limits).ok());
  Status st = check_document_size((uint64_t{2} << 30) + 1, limits);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("2147483648"), std::string::npos) << st.message();
}

TEST(InputLimits, DeeperDocumentIsRefusedBeforeParsingWithTheOffset) {
  InputLimits limits;
  limits.max_depth = 10;
  const std::string doc = nested_metadata(12);  // 13 levels with the root
  Status st = check_input_limits(doc, limits);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("nest deeper than the limit of 10 levels at byte"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("--max-json-depth"), std::string::npos);
  limits.max_depth = 13;
  EXPECT_TRUE(check_input_limits(doc, limits).ok());
  EXPECT_TRUE(parse_result(doc, limits).ok());
}

TEST(InputLimits, DefaultDepthRefusesAThousandLevelsOfBrackets) {
  const std::string doc = std::string(1000, '[') + std::string(1000, ']');
  Status st = check_input_limits(doc, {});
  EXPECT_NE(st.message().find("limit of 64 levels at byte 64"), std::string::npos) << st.message();
}

TEST(InputLimits, BracketsInsideStringsDoNotCount) {
  InputLimits limits;
  limits.max_depth = 5;  // what the schema itself needs
  const std::string doc = with(R"("volume_zone_breakout")", R"("[[[[[[[[\"{{{{{{{{[[[[")");
  EXPECT_TRUE(check_input_limits(doc, limits).ok());
  EXPECT_TRUE(parse_result(doc, limits).ok()) << parse_result(doc, limits).status().to_string();
}

TEST(InputLimits, DepthLimitOutsideItsRangeIsAnError) {
  for (int depth : {0, -1, kMaxAllowedDepth + 1}) {
    InputLimits limits;
    limits.max_depth = depth;
    EXPECT_EQ(check_input_limits(kValidDocument, limits).code(), StatusCode::kInvalidArgument);
  }
}

TEST(InputLimits, JsonToParquetAppliesTheOptionsAndWritesNothing) {
  btstore::testing::TempDir dir;
  ConvertOptions options;
  options.max_json_depth = 4;  // the schema needs 5
  auto r = json_to_parquet(kValidDocument, dir / "out", options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("limit of 4 levels"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  options.max_json_depth = 5;
  options.max_json_bytes = kValidDocument.size() - 1;
  r = json_to_parquet(kValidDocument, dir / "out", options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than the limit of"), std::string::npos);
  options.max_json_bytes = kValidDocument.size();
  EXPECT_TRUE(json_to_parquet(kValidDocument, dir / "out", options).ok());
}

}  // namespace
}  // namespace btstore::json
