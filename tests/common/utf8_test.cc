#include "common/utf8.h"

#include <gtest/gtest.h>

namespace btstore {
namespace {

TEST(Utf8, CountsCodePointsOfValidText) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("전략🚀"), 3u);
  EXPECT_EQ(first_invalid_utf8("전략🚀"), std::string_view::npos);
  EXPECT_EQ(utf8_sequence_length("🚀"), 4u);
  EXPECT_EQ(utf8_sequence_length("전"), 3u);
}

TEST(Utf8, FindsTheFirstMalformedSequence) {
  // Invalid bytes, overlong forms, surrogates, past U+10FFFF, truncated, a lone continuation.
  for (const char* bad :
       {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    EXPECT_EQ(first_invalid_utf8(bad), 0u) << bad;
    EXPECT_EQ(utf8_sequence_length(bad), 0u) << bad;
  }
  EXPECT_EQ(first_invalid_utf8("a\x80"), 1u);
  EXPECT_EQ(first_invalid_utf8("전략\xed\xa0\x80"), 6u);
}

}  // namespace
}  // namespace btstore
