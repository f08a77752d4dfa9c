#include "json/json_text.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "json/reference_result_writer.h"

namespace btstore::json::test {
namespace {

std::string double_text(double v) {
  char buf[kMaxNumberChars];
  return std::string(buf, put_double(buf, v));
}

std::string quoted_text(std::string_view s) {
  std::string buf(quoted_bound(s.size()), '\0');
  buf.resize(static_cast<size_t>(put_quoted(buf.data(), s) - buf.data()));
  return buf;
}

TEST(PutDouble, LaysOutLikePythonRepr) {
  EXPECT_EQ(double_text(42000.0), "42000.0");
  EXPECT_EQ(double_text(-0.0), "-0.0");
  EXPECT_EQ(double_text(0.0), "0.0");
  EXPECT_EQ(double_text(0.0001), "0.0001");
  EXPECT_EQ(double_text(0.00001), "1e-05");
  EXPECT_EQ(double_text(1e16), "1e+16");
  EXPECT_EQ(double_text(9999999999999998.0), "9999999999999998.0");
  EXPECT_EQ(double_text(1.2345678901234568e+20), "1.2345678901234568e+20");
  EXPECT_EQ(double_text(5e-324), "5e-324");
  EXPECT_EQ(double_text(-1.7976931348623157e308), "-1.7976931348623157e+308");
  EXPECT_EQ(double_text(0.1 + 0.2), "0.30000000000000004");
}

// The digits come from another algorithm than before (Dragonbox instead of
// std::to_chars): both must pick the same shortest, closest digits.
TEST(PutDouble, MatchesThePreviousWriterOnRandomBitPatterns) {
  std::mt19937_64 rng(20261126);
  for (int i = 0; i < 500'000; ++i) {
    const double v = std::bit_cast<double>(rng());
    if (!std::isfinite(v)) continue;
    ASSERT_EQ(double_text(v), reference_double_text(v)) << std::bit_cast<uint64_t>(v);
  }
}

TEST(PutDouble, MatchesThePreviousWriterOnEdgeValues) {
  std::vector<double> values = {std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                1e-4,
                                1e15,
                                1e16,
                                1e-5};
  for (int e = -1074; e <= 1023; ++e) values.push_back(std::ldexp(1.0, e));  // short intervals
  for (int e = -325; e <= 308; ++e) values.push_back(std::pow(10.0, e));
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> cents(-10'000'000'000, 10'000'000'000);
  for (int i = 0; i < 200'000; ++i) {  // prices with 2 to 6 decimals, as results hold them
    values.push_back(static_cast<double>(cents(rng)) / std::pow(10.0, 2 + i % 5));
  }
  for (double v : values) {
    for (double s : {v, -v, std::nextafter(v, 0.0), std::nextafter(v, HUGE_VAL)}) {
      if (std::isfinite(s)) {
        ASSERT_EQ(double_text(s), reference_double_text(s)) << s;
      }
    }
  }
}

TEST(PutQuoted, EscapesControlCharactersAndReplacesInvalidUtf8) {
  EXPECT_EQ(quoted_text("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
  EXPECT_EQ(quoted_text("\xC3\xA9"), "\"\xC3\xA9\"");
  EXPECT_EQ(quoted_text("\xFF"), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(quoted_text(std::string(100, '\x1f')).size(), quoted_bound(100));
}

}  // namespace
}  // namespace btstore::json::test
