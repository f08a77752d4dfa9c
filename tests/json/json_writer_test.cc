#include "json/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace btstore::json {
namespace {

std::string string_json(std::string_view s) {
  JsonWriter w;
  w.string(s);
  return w.take();
}

std::string number_json(double v) {
  JsonWriter w;
  w.number(v);
  return w.take();
}

// Reads a JSON number the way parse_result does (simdjson On-Demand get_double).
double read_back(const std::string& number) {
  simdjson::ondemand::parser parser;
  const simdjson::padded_string json("[" + number + "]");
  simdjson::ondemand::document doc;
  EXPECT_EQ(parser.iterate(json).get(doc), simdjson::SUCCESS);
  double d = std::numeric_limits<double>::quiet_NaN();
  for (auto element : doc.get_array()) {
    EXPECT_EQ(element.get_double().get(d), simdjson::SUCCESS) << number;
  }
  return d;
}

TEST(JsonWriter, WritesCompactByDefault) {
  JsonWriter w;
  w.begin_object();
  w.key("a"), w.number(int64_t{1});
  w.key("b"), w.begin_array(), w.boolean(true), w.boolean(false), w.null(), w.end_array();
  w.key("c"), w.begin_object(), w.end_object();
  w.key("d"), w.begin_array(), w.end_array();
  w.key("e"), w.raw("{\"x\":1.50}");
  w.end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":[true,false,null],"c":{},"d":[],"e":{"x":1.50}})");
}

TEST(JsonWriter, IndentsWhenAsked) {
  JsonWriter w(2);
  w.begin_object();
  w.key("a"), w.number(int64_t{1});
  w.key("b"), w.begin_array(), w.string("x"), w.begin_object(), w.end_object(), w.end_array();
  w.key("c"), w.begin_array(), w.end_array();
  w.end_object();
  EXPECT_EQ(w.str(), "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {}\n  ],\n  \"c\": []\n}");
}

TEST(JsonWriter, WritesTopLevelScalars) {
  EXPECT_EQ(string_json("x"), "\"x\"");
  JsonWriter w(2);
  w.null();
  EXPECT_EQ(w.take(), "null");
}

TEST(JsonWriter, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(string_json("a\"b\\c/d"), R"("a\"b\\c/d")");
}

TEST(JsonWriter, EscapesControlCharacters) {
  EXPECT_EQ(string_json("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(string_json(std::string("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(string_json("\x7f"), "\"\x7f\"");  // DEL is not a JSON control character
}

TEST(JsonWriter, KeepsValidUtf8AsIs) {
  const std::string text = "BTC/\xed\x95\x9c \xf0\x9f\x98\x80 \xe2\x80\xa8 \xf4\x8f\xbf\xbf";
  EXPECT_EQ(string_json(text), "\"" + text + "\"");
}

TEST(JsonWriter, ReplacesInvalidUtf8WithReplacementCharacter) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(string_json("a\xff"
                        "b"),
            "\"a" + fffd + "b\"");
  EXPECT_EQ(string_json("\xc3"), "\"" + fffd + "\"");                        // truncated
  EXPECT_EQ(string_json("\xc0\xaf"), "\"" + fffd + fffd + "\"");             // overlong
  EXPECT_EQ(string_json("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");  // surrogate
}

TEST(JsonWriter, EscapesKeysLikeStrings) {
  JsonWriter w;
  w.begin_object(), w.key("a\"\n"), w.null(), w.end_object();
  EXPECT_EQ(w.str(), R"({"a\"\n":null})");
}

TEST(JsonWriter, KeepsDoublesRecognisableAsDoubles) {
  EXPECT_EQ(number_json(0.0), "0.0");
  EXPECT_EQ(number_json(-0.0), "-0.0");
  EXPECT_EQ(number_json(42000.0), "42000.0");
  EXPECT_EQ(number_json(-4.0), "-4.0");
  EXPECT_EQ(number_json(100000.0), "100000.0");
  EXPECT_EQ(number_json(1e15), "1000000000000000.0");
  EXPECT_EQ(number_json(9999999999999998.0), "9999999999999998.0");
}

TEST(JsonWriter, LaysOutDoublesLikePythonRepr) {
  EXPECT_EQ(number_json(123.456), "123.456");
  EXPECT_EQ(number_json(-4.1), "-4.1");
  EXPECT_EQ(number_json(0.0001), "0.0001");
  EXPECT_EQ(number_json(0.00012), "0.00012");
  EXPECT_EQ(number_json(0.00001), "1e-05");
  EXPECT_EQ(number_json(1e16), "1e+16");
  EXPECT_EQ(number_json(1.5e16), "1.5e+16");
  EXPECT_EQ(number_json(123456789012345680000.0), "1.2345678901234568e+20");
  EXPECT_EQ(number_json(-1.5e-300), "-1.5e-300");
}

TEST(JsonWriter, WritesShortestRoundTripDoubles) {
  EXPECT_EQ(number_json(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(number_json(2.15), "2.15");
  EXPECT_EQ(number_json(5e-324), "5e-324");
  EXPECT_EQ(number_json(2.2250738585072014e-308), "2.2250738585072014e-308");
  EXPECT_EQ(number_json(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(number_json(-1e308), "-1e+308");
  EXPECT_EQ(number_json(1e22), "1e+22");
  EXPECT_EQ(number_json(1e-7), "1e-07");
}

TEST(JsonWriter, WritesNonFiniteDoublesAsNull) {
  EXPECT_EQ(number_json(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(number_json(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(number_json(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonWriter, WritesIntegers) {
  JsonWriter w;
  w.begin_array();
  w.number(std::numeric_limits<int64_t>::min());
  w.number(std::numeric_limits<int64_t>::max());
  w.number(int32_t{-7});
  w.end_array();
  EXPECT_EQ(w.str(), "[-9223372036854775808,9223372036854775807,-7]");
}

TEST(JsonWriter, DoublesReadBackBitIdentical) {
  const double special[] = {0.0,
                            -0.0,
                            5e-324,
                            -5e-324,
                            2.2250738585072014e-308,
                            2.225073858507201e-308,
                            1.7976931348623157e308,
                            -1.7976931348623157e308,
                            1e308,
                            0.1 + 0.2,
                            1e22,
                            1e23,
                            9007199254740993.0,
                            123456789012345680000.0,
                            42000.0,
                            1e-7,
                            1e21};
  for (double d : special) {
    const std::string text = number_json(d);
    EXPECT_EQ(std::bit_cast<uint64_t>(read_back(text)), std::bit_cast<uint64_t>(d)) << text;
  }
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20'000; ++i) {
    const double d = std::bit_cast<double>(rng());
    if (!std::isfinite(d)) continue;
    const std::string text = number_json(d);
    ASSERT_EQ(std::bit_cast<uint64_t>(read_back(text)), std::bit_cast<uint64_t>(d)) << text;
  }
}

TEST(JsonWriter, TakeLeavesTheWriterEmpty) {
  JsonWriter w;
  w.string("x");
  EXPECT_EQ(w.take(), "\"x\"");
  EXPECT_EQ(w.str(), "");
}

}  // namespace
}  // namespace btstore::json
