// "metadata": any JSON object, kept as minified text.
#include <gtest/gtest.h>

#include "json/parser_test_util.h"

namespace btstore::json::test {
namespace {

std::string with_metadata(std::string_view metadata) {
  return with(R"({"engine": "v2.3", "params": {"zone_len": 20}})", metadata);
}

std::string metadata_of(std::string_view metadata) {
  return parsed(with_metadata(metadata)).header.metadata_json;
}

TEST(ParseMetadata, DefaultsToAnEmptyObject) {
  EXPECT_EQ(parsed(with(R"("metadata": {"engine": "v2.3", "params": {"zone_len": 20}},)", ""))
                .header.metadata_json,
            "{}");
}

TEST(ParseMetadata, MinifiesAndKeepsKeyOrder) {
  EXPECT_EQ(metadata_of(" { \"z\" : [ 1 , { } , [ ] ] ,\n \"a\" : { \"b\" : null , \"c\" : true , "
                        "\"d\" : false } } "),
            R"({"z":[1,{},[]],"a":{"b":null,"c":true,"d":false}})");
}

TEST(ParseMetadata, KeepsNumbersAsTheirSourceText) {
  EXPECT_EQ(
      metadata_of(R"({"a": 1.50, "b": 1E400, "c": 123456789012345678901234567890,
                            "d": -0, "e": 0.1e-2, "f": -0.0})"),
      R"({"a":1.50,"b":1E400,"c":123456789012345678901234567890,"d":-0,"e":0.1e-2,"f":-0.0})");
}

TEST(ParseMetadata, RewritesStringEscapesCanonically) {
  EXPECT_EQ(metadata_of(R"({"\u0061": "\u00e9\/\"\n\u001F\ud83d\ude00"})"),
            "{\"a\":\"\xc3\xa9/\\\"\\n\\u001f\xf0\x9f\x98\x80\"}");
}

TEST(ParseMetadata, RejectsANonObject) {
  EXPECT_EQ(problems_of(with_metadata("[1]")), "metadata: expected an object, got an array");
  EXPECT_EQ(problems_of(with_metadata("null")),
            "metadata: expected an object, got null (this field cannot be null)");
}

TEST(ParseMetadata, RejectsDuplicateKeysAtAnyDepth) {
  EXPECT_EQ(problems_of(with_metadata(R"({"a": 1, "a": 2})")),
            "metadata.a: duplicate key; each key may appear only once in an object");
  EXPECT_EQ(problems_of(with_metadata(R"({"p": [{"x": 1, "y": 2, "x": 3}]})")),
            "metadata.p[0].x: duplicate key; each key may appear only once in an object");
}

TEST(ParseMetadata, QuotesOddKeysInPaths) {
  EXPECT_EQ(problems_of(with_metadata(R"({"a b": {"": 1, "": 2}})")),
            R"(metadata["a b"][""]: duplicate key; each key may appear only once in an object)");
}

TEST(ParseMetadata, AcceptsSixtyFourLevels) {
  const std::string nested = std::string(63, '[') + std::string(63, ']');
  EXPECT_EQ(metadata_of("{\"a\": " + nested + "}"), "{\"a\":" + nested + "}");
}

TEST(ParseMetadata, RejectsDeeperNesting) {
  const std::string nested = std::string(64, '[') + std::string(64, ']');
  const std::string message = problems_of(with_metadata("{\"a\": " + nested + "}"));
  EXPECT_EQ(
      message, "metadata.a" + [] {
        std::string s;
        for (int i = 0; i < 63; ++i) s += "[0]";
        return s;
      }() + ": metadata is nested deeper than 64 levels");
}

TEST(ParseMetadata, SurvivesHostileNesting) {
  const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  const std::string message = problems_of(with_metadata("{\"a\": " + deep + "}"));
  EXPECT_NE(message.find("nested deeper than 64 levels"), std::string::npos);
  const std::string open_only = std::string(200'000, '{');
  EXPECT_FALSE(parse_result(with_metadata("{\"a\": " + open_only + "}")).ok());
}

TEST(ParseMetadata, RejectsNaNWithItsLocation) {
  const std::string json = with_metadata(R"({"a": NaN})");
  const size_t offset = json.find("NaN");
  EXPECT_EQ(problems_of(json), "metadata.a: NaN at byte " + std::to_string(offset) +
                                   " (line 8, column 21) is not valid JSON: NaN and Infinity are "
                                   "not JSON numbers; write null instead");
}

TEST(ParseMetadata, RejectsMalformedNumbers) {
  const std::string message = problems_of(with_metadata(R"({"a": 01})"));
  EXPECT_EQ(message.substr(0, 16), "metadata.a: 01 a");
  EXPECT_NE(message.find("is not a valid JSON number"), std::string::npos);
}

TEST(ParseMetadata, RejectsLiteralTypos) {
  const std::string message = problems_of(with_metadata(R"({"a": nul, "b": tru})"));
  EXPECT_NE(message.find("metadata.a: nul at byte"), std::string::npos) << message;
  EXPECT_NE(message.find("metadata.b: tru at byte"), std::string::npos) << message;
}

TEST(ParseMetadata, RejectsNulCharacters) {
  EXPECT_EQ(problems_of(with_metadata(R"({"a": "x\u0000"})")),
            "metadata.a: the string contains U+0000, which PostgreSQL jsonb cannot store");
}

}  // namespace
}  // namespace btstore::json::test
