// The block-wise depth scan (both kernels) agrees with a byte-by-byte reference on random texts
// full of quotes, escapes and brackets, across block boundaries.
#include "json/depth_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

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
      ASSERT_EQ(scan_outline(text, max_depth, 0, 0, ScanKernel::kPortable).too_deep,
                reference(text, max_depth))
          << "portable kernel, round " << round << " depth " << max_depth << " text " << text;
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

// The brackets of levels 1..max_level outside strings, byte by byte.
std::vector<Bracket> reference_brackets(std::string_view json, int max_level) {
  std::vector<Bracket> out;
  int depth = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"') {
      for (++i; i < json.size() && json[i] != '"'; ++i) {
        if (json[i] == '\\') ++i;
      }
    } else if (c == '{' || c == '[') {
      if (++depth <= max_level) out.push_back({i, depth, c});
    } else if ((c == '}' || c == ']') && depth > 0) {
      if (depth <= max_level) out.push_back({i, depth, c});
      --depth;
    }
  }
  return out;
}

TEST(Outline, RecordsTheOuterBracketsLikeTheReference) {
  std::mt19937_64 rng(5);
  const std::string alphabet = "{}[]\"\\\"aa,:1 {[";
  for (int round = 0; round < 2000; ++round) {
    std::string text(std::uniform_int_distribution<size_t>(0, 400)(rng), 'x');
    for (char& c : text) {
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    }
    const std::vector<Bracket> want = reference_brackets(text, 3);
    for (ScanKernel kernel : {ScanKernel::kBest, ScanKernel::kPortable}) {
      const Outline outline = scan_outline(text, 1024, 3, 1000, kernel);
      ASSERT_TRUE(outline.complete);
      ASSERT_EQ(outline.brackets.size(), want.size()) << text;
      for (size_t i = 0; i < want.size(); ++i) {
        ASSERT_EQ(outline.brackets[i].offset, want[i].offset) << text;
        ASSERT_EQ(outline.brackets[i].level, want[i].level) << text;
        ASSERT_EQ(outline.brackets[i].c, want[i].c) << text;
      }
    }
  }
}

TEST(Outline, StopsRecordingAtTheCapAndStillChecksTheDepth) {
  std::string text = "{\"m\": [";
  for (int i = 0; i < 50; ++i) text += "[1],";
  text += "[[[[[1]]]]]]}";
  const Outline capped = scan_outline(text, 5, 3, 10);
  EXPECT_FALSE(capped.complete);
  EXPECT_EQ(capped.brackets.size(), 10u);
  EXPECT_EQ(capped.too_deep, text.find("[[[[[") + 3);
  EXPECT_TRUE(scan_outline(text, 64, 3, 1000).complete);
}

}  // namespace
}  // namespace btstore::json
