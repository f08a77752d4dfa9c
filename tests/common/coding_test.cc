#include "common/coding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace btstore {
namespace {

std::string hex_bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(Coding, Uleb128MatchesKnownEncodings) {
  std::string out;
  put_uleb128(0, out);
  put_uleb128(127, out);
  put_uleb128(128, out);
  put_uleb128(624485, out);  // the LEB128 example value
  EXPECT_EQ(out, hex_bytes({0x00, 0x7F, 0x80, 0x01, 0xE5, 0x8E, 0x26}));
}

TEST(Coding, Uleb128RoundTripsEdgeValues) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{0x7F}, uint64_t{0x80}, uint64_t{1} << 63,
                     std::numeric_limits<uint64_t>::max()}) {
    std::string buf;
    put_uleb128(v, buf);
    buf += "tail";
    std::string_view in = buf;
    uint64_t got = 0;
    ASSERT_TRUE(get_uleb128(in, &got));
    EXPECT_EQ(got, v);
    EXPECT_EQ(in, "tail");
  }
  std::string max;
  put_uleb128(std::numeric_limits<uint64_t>::max(), max);
  EXPECT_EQ(max.size(), 10u);
}

TEST(Coding, Uleb128RejectsTruncatedVarint) {
  std::string buf;
  put_uleb128(uint64_t{1} << 40, buf);
  for (size_t n = 0; n < buf.size(); ++n) {
    std::string_view in(buf.data(), n);
    uint64_t v = 0;
    EXPECT_FALSE(get_uleb128(in, &v)) << n;
    EXPECT_EQ(in.size(), n);  // nothing consumed on failure
  }
}

TEST(Coding, Uleb128RejectsOverflow) {
  // 10th byte carries bits 63..69: only 0 or 1 fit.
  std::string eleven(10, '\x80');
  eleven.push_back('\x00');
  std::string overflow(9, '\xFF');
  overflow.push_back('\x02');
  for (const std::string& buf : {eleven, overflow}) {
    std::string_view in = buf;
    uint64_t v = 0;
    EXPECT_FALSE(get_uleb128(in, &v));
  }
}

TEST(Coding, ZigZagMapsSmallMagnitudesToSmallNumbers) {
  EXPECT_EQ(zigzag_encode(0), 0u);
  EXPECT_EQ(zigzag_encode(-1), 1u);
  EXPECT_EQ(zigzag_encode(1), 2u);
  EXPECT_EQ(zigzag_encode(-2), 3u);
  EXPECT_EQ(zigzag_encode(std::numeric_limits<int64_t>::max()), ~uint64_t{0} - 1);
  EXPECT_EQ(zigzag_encode(std::numeric_limits<int64_t>::min()), ~uint64_t{0});
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{12345}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(zigzag_decode(zigzag_encode(v)), v);
  }
}

TEST(Coding, FixedWidthIsLittleEndian) {
  std::string out;
  put_fixed32(0x04030201u, out);
  put_fixed64(0x0C0B0A0908070605ull, out);
  EXPECT_EQ(out, hex_bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(decode_fixed32(out.data()), 0x04030201u);
  EXPECT_EQ(decode_fixed64(out.data() + 4), 0x0C0B0A0908070605ull);
  std::string high;
  put_fixed32(0xFFFFFFFFu, high);
  EXPECT_EQ(decode_fixed32(high.data()), 0xFFFFFFFFu);
}

}  // namespace
}  // namespace btstore
