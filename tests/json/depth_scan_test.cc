// The block-wise depth scan agrees with a byte-by-byte reference on random texts full of
// quotes, escapes and brackets, across block boundaries.
#include "json/depth_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace btstore::json {
namespace {

size_t reference(std::string_view json, int max_depth) {
  int depth = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    switch (json[i]) {
      case '"':
        for (++i; i < json.size() && json[i] != '"'; ++i) {
          if (json[i] == '\\') ++i;
        }
        break;
      case '{':
      case '[':
        if (++depth > max_depth) return i;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return std::string_view::npos;
}

TEST(DepthScan, AgreesWithByteByByteReference) {
  std::mt19937_64 rng(3);
  const std::string alphabet = "{}[]\"\\\"aa,:1 {[";
  for (int round = 0; round < 3000; ++round) {
    std::string text(std::uniform_int_distribution<size_t>(0, 400)(rng), 'x');
    const bool no_escapes = round % 3 == 0;
    for (char& c : text) {
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
      if (no_escapes && c == '\\') c = 'y';
    }
    for (int max_depth : {1, 3, 8, 64}) {
      ASSERT_EQ(find_too_deep(text, max_depth), reference(text, max_depth))
          << "round " << round << " depth " << max_depth << " text " << text;
    }
  }
}

TEST(DepthScan, FindsTheBracketThatGoesTooDeep) {
  const std::string text = R"({"a": "[[[[", "b": [[{"c": "\"[{"}]], "d": [[[1]]]})";
  // Brackets in strings (escaped quote included) do not count; the first level-4 bracket does.
  EXPECT_EQ(find_too_deep(text, 3), text.find("[[{") + 2);
  EXPECT_EQ(find_too_deep(text, 4), std::string_view::npos);
}

TEST(DepthScan, DeepTextBeyondOneBlock) {
  const std::string text = std::string(100, ' ') + std::string(70, '[') + std::string(70, ']');
  EXPECT_EQ(find_too_deep(text, 64), 100u + 64);
  EXPECT_EQ(find_too_deep(text, 70), std::string_view::npos);
}

}  // namespace
}  // namespace btstore::json
