// symbols_layout() finds the symbol objects of plausible documents and declines anything else.
#include "json/symbols_layout.h"

#include <gtest/gtest.h>

#include <string>

namespace btstore::json {
namespace {

std::optional<SymbolsLayout> layout_of(std::string_view json) {
  return symbols_layout(json, scan_outline(json, 64, kSymbolsLayoutLevels, 1000));
}

std::vector<std::string> elements_of(std::string_view json) {
  std::vector<std::string> out;
  const std::optional<SymbolsLayout> layout = layout_of(json);
  EXPECT_TRUE(layout.has_value()) << json;
  if (!layout) return out;
  for (const ByteRange& e : layout->elements)
    out.emplace_back(json.substr(e.begin, e.end - e.begin));
  return out;
}

TEST(SymbolsLayout, FindsEachSymbolObject) {
  const std::string json =
      R"({"strategy": "s", "metadata": {"symbols": [{"x": 1}]}, "symbols" : [ {"a": [1, {"b": "}"}]} ,)"
      "\n"
      R"({"c": "\"{"}],"end_date": "2024-01-01"})";
  EXPECT_EQ(elements_of(json),
            (std::vector<std::string>{R"({"a": [1, {"b": "}"}]})", R"({"c": "\"{"})"}));
  const std::optional<SymbolsLayout> layout = layout_of(json);
  ASSERT_TRUE(layout);
  EXPECT_EQ(json[layout->open], '[');
  EXPECT_EQ(json[layout->close], ']');
  EXPECT_EQ(layout->open, json.find("\"symbols\" : [") + 12);
}

TEST(SymbolsLayout, AnEmptyArrayHasNoElements) {
  const std::optional<SymbolsLayout> layout = layout_of(R"({"symbols": [  ]})");
  ASSERT_TRUE(layout);
  EXPECT_TRUE(layout->elements.empty());
}

TEST(SymbolsLayout, DeclinesWhatItCannotSplitSafely) {
  for (const char* json : {
           R"({"symbols": [{"a": 1}], "symbols": [{"b": 2}]})",  // twice
           R"({"symbols": {"a": 1}})",                           // not an array
           R"({"symbols": [{"a": 1}, 5]})",                      // an element not an object
           R"({"symbols": [{"a": 1}, [2]]})",                    // an array element
           R"({"symbols": [{"a": 1} {"b": 2}]})",                // a comma missing
           R"({"symbols": [{"a": 1},, {"b": 2}]})",              // a comma too many
           R"({"symbols": [{"a": 1},]})",                        // a trailing comma
           R"({"symbols": [, {"a": 1}]})",                       // a leading comma
           R"({"s\u0079mbols": [{"a": 1}]})",                    // the key spelt with an escape
           R"({"x": "a\"symbols": [{"a": 1}]})",                 // "symbols" inside a string
           R"({"x": 1 "symbols": [{"a": 1}]})",                  // not after '{' or ','
           R"([{"symbols": [{"a": 1}]}])",                       // the root is not an object
           R"({"symbols": [{"a": 1}])",                          // the root is not closed
           R"({"other": [{"a": 1}]})",                           // no symbols at all
       }) {
    EXPECT_FALSE(layout_of(json).has_value()) << json;
  }
}

TEST(SymbolsLayout, DeclinesAnIncompleteOutline) {
  const std::string json = R"({"symbols": [{"a": 1}, {"b": 2}]})";
  EXPECT_TRUE(symbols_layout(json, scan_outline(json, 64, 3, 8)).has_value());
  EXPECT_FALSE(symbols_layout(json, scan_outline(json, 64, 3, 7)).has_value());
}

}  // namespace
}  // namespace btstore::json
