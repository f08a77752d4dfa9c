#include "catalog/values.h"

#include <gtest/gtest.h>

namespace btstore::catalog {
namespace {

TEST(CanonicalTaskId, LowerCasesAndRefusesOtherSpellings) {
  EXPECT_EQ(*canonical_task_id("550E8400-E29B-41D4-A716-446655440000"),
            "550e8400-e29b-41d4-a716-446655440000");
  for (const char* bad :
       {"", "550e8400e29b41d4a716446655440000", "{550e8400-e29b-41d4-a716-446655440000}",
        "550e8400-e29b-41d4-a716-44665544000g", "x"}) {
    auto r = canonical_task_id(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("not a UUID"), std::string::npos);
  }
}

TEST(CheckText, RefusesNulBadUtf8AndTooManyCharacters) {
  EXPECT_TRUE(check_text("f", "전략", 2).ok());
  EXPECT_TRUE(check_text("f", "전략🚀", 3).ok());
  EXPECT_TRUE(check_text("f", "전략🚀x").ok());  // no limit
  EXPECT_NE(check_text("f", "전략x", 2).message().find("3 characters"), std::string::npos);
  EXPECT_NE(check_text("f", std::string("a\0", 2)).message().find("NUL"), std::string::npos);
  // Invalid bytes, overlong forms, surrogates, past U+10FFFF, truncated, a lone continuation.
  for (const char* bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "\xe2\x82", "a\x80"}) {
    EXPECT_NE(check_text("f", bad).message().find("not valid UTF-8"), std::string::npos) << bad;
    EXPECT_NE(check_text("f", bad, 100).message().find("not valid UTF-8"), std::string::npos);
  }
}

TEST(ParseInt64, AcceptsWholeIntegersOnly) {
  EXPECT_EQ(parse_int64("-42"), -42);
  EXPECT_EQ(parse_int64("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "1x", " 1", "9223372036854775808", "+1"}) {
    EXPECT_FALSE(parse_int64(bad)) << bad;
  }
}

TEST(Cursor, RoundTripsAndRefusesAnythingElse) {
  Cursor c{1704105000123456, "550e8400-e29b-41d4-a716-446655440000"};
  std::string text = format_cursor(c);
  EXPECT_EQ(text, "1704105000123456_550e8400-e29b-41d4-a716-446655440000");
  auto back = parse_cursor(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->created_at, c.created_at);
  EXPECT_EQ(back->task_id, c.task_id);
  auto negative = parse_cursor("-1_550e8400-e29b-41d4-a716-446655440000");
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(negative->created_at, -1);
  for (const char* bad :
       {"", "_", "1_", "_550e8400-e29b-41d4-a716-446655440000",
        "1.5_550e8400-e29b-41d4-a716-446655440000", "1_550e8400-e29b-41d4-a716-446655440000x",
        "999999999999999999_550e8400-e29b-41d4-a716-446655440000"}) {
    EXPECT_EQ(parse_cursor(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(StringArray, EncodesJsonThatDecodesToTheSameStrings) {
  std::vector<std::string> values = {
      "BTC/USDT", "quo\"te", "back\\slash", "tab\tnl\n", std::string("\x01", 1), "전략 🚀", ""};
  std::string json = encode_string_array(values);
  EXPECT_EQ(encode_string_array({"a", "b\"c"}), R"(["a","b\"c"])");
  EXPECT_EQ(encode_string_array({}), "[]");
  auto back = decode_string_array(json);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, values);
}

TEST(StringArray, DecodeRefusesOtherJson) {
  for (const char* bad : {"", "{}", "[1]", "[\"a\",", "\"a\"", "[[\"a\"]]"}) {
    EXPECT_EQ(decode_string_array(bad).status().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(CheckJsonObject, AcceptsObjectsOnly) {
  EXPECT_TRUE(check_json_object("m", "{}").ok());
  EXPECT_TRUE(check_json_object("m", R"({"a": [1, {"b": null}]})").ok());
  // Numbers no double holds are still JSON (jsonb keeps them as numeric).
  EXPECT_TRUE(
      check_json_object("m", R"({"big": 1E400, "int": 123456789012345678901234567890})").ok());
  for (const char* bad : {"", "[]", "null", "{", "{\"a\":1}x", "\"s\"", "[1E400]"}) {
    EXPECT_EQ(check_json_object("m", bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace btstore::catalog
