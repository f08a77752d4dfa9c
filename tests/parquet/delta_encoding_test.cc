// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(b));
  return s;
}

// Header for block size 128 with 4 miniblocks: 128 is 0x80 0x01 in ULEB128.
std::string header(int count, int first_zigzag) {
  return bytes({0x80, 0x01, 0x04, count, first_zigzag});
}

std::vector<int64_t> decode64(std::string_view in, size_t count, Status* st,
                              size_t* consumed = nullptr) {
  std::vector<int64_t> out;
  size_t used = 0;
  *st = decode_delta_binary_packed(in, count, out, &used);
  if (consumed != nullptr) *consumed = used;
  return out;
}

// Values whose deltas need about `bits` bits, so every miniblock width gets exercised.
std::vector<int64_t> random_walk(std::mt19937_64& rng, int bits, size_t n) {
  std::vector<int64_t> v;
  uint64_t x = rng();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t step = bits == 0 ? 0 : bits == 64 ? rng() : rng() & ((uint64_t{1} << bits) - 1);
    x += step;
    v.push_back(static_cast<int64_t>(x));
  }
  return v;
}

TEST(DeltaBinaryPacked, EncodesSpecExample1) {
  // Encodings.md example 1 (1, 2, 3, 4, 5) with the real block size 128 instead of 8.
  const std::string golden = header(5, 2) + bytes({0x02, 0, 0, 0, 0});
  std::string out;
  encode_delta_binary_packed(std::vector<int64_t>{1, 2, 3, 4, 5}, out);
  EXPECT_EQ(out, golden);
  Status st;
  EXPECT_EQ(decode64(golden, 5, &st), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(DeltaBinaryPacked, EncodesSpecExample2) {
  // 7, 5, 3, 1, 2, 3, 4, 5: min delta -2 (zigzag 3), relative deltas 0,0,0,3,3,3,3 in 2 bits.
  const std::vector<int64_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
  const std::string golden =
      header(8, 14) + bytes({0x03, 2, 0, 0, 0}) + bytes({0xC0, 0x3F, 0, 0, 0, 0, 0, 0});
  std::string out;
  encode_delta_binary_packed(values, out);
  EXPECT_EQ(out, golden);
  Status st;
  size_t consumed = 0;
  EXPECT_EQ(decode64(golden + "next", 8, &st, &consumed), values);
  EXPECT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(consumed, golden.size());
}

TEST(DeltaBinaryPacked, RejectsTheSpecsShortBlockSize) {
  // The spec's examples use block size 8 for brevity; real streams must use multiples of 128.
  Status st;
  decode64(bytes({8, 1, 5, 2, 2, 0}), 5, &st);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
}

TEST(DeltaBinaryPacked, DecodesOtherBlockShapes) {
  // Block size 256 in 2 miniblocks of 128: 0..199 has every delta 1 (width 0).
  Status st;
  std::vector<int64_t> got =
      decode64(bytes({0x80, 0x02, 0x02, 0xC8, 0x01, 0x00, 0x02, 0, 0}), 200, &st);
  ASSERT_TRUE(st.ok()) << st.to_string();
  for (int64_t i = 0; i < 200; ++i) EXPECT_EQ(got[i], i);
}

TEST(DeltaBinaryPacked, IgnoresWidthsOfUnusedMiniblocks) {
  Status st;
  decode64(header(5, 2) + bytes({0x02, 0, 0xFF, 0xFF, 0xFF}), 5, &st);
  EXPECT_TRUE(st.ok()) << st.to_string();
  decode64(header(5, 2) + bytes({0x02, 65, 0, 0, 0}), 5, &st);  // a used one is checked
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
}

TEST(DeltaBinaryPacked, HandlesZeroAndOneValue) {
  for (size_t n : {0, 1}) {
    std::vector<int64_t> values(n, -7);
    std::string out;
    encode_delta_binary_packed(values, out);
    EXPECT_EQ(out.size(), 5u);  // header only: no deltas, no block
    Status st;
    EXPECT_EQ(decode64(out, n, &st), values);
    EXPECT_TRUE(st.ok()) << st.to_string();
  }
}

TEST(DeltaBinaryPacked, RoundTripsEveryDeltaWidth) {
  std::mt19937_64 rng(1);
  for (int bits = 0; bits <= 64; ++bits) {
    for (size_t n : {2, 33, 128, 129, 1000}) {
      std::vector<int64_t> values = random_walk(rng, bits, n);
      std::string out;
      encode_delta_binary_packed(values, out);
      Status st;
      EXPECT_EQ(decode64(out, n, &st), values) << "bits " << bits << " n " << n;
      EXPECT_TRUE(st.ok()) << st.to_string();
    }
  }
}

TEST(DeltaBinaryPacked, RoundTripsExtremesWithWrappingDeltas) {
  std::vector<int64_t> values = {kMax64, kMin64, kMax64, 0, kMin64, -1, 1, kMin64, kMin64, kMax64};
  std::string out;
  encode_delta_binary_packed(values, out);
  Status st;
  EXPECT_EQ(decode64(out, values.size(), &st), values);
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(DeltaBinaryPacked, Int32WrapsInThirtyTwoBits) {
  // INT32_MAX -> INT32_MIN is a delta of +1 modulo 2^32: min delta 1, width 0.
  std::vector<int32_t> values = {kMax32, kMin32};
  std::string out;
  encode_delta_binary_packed_int32(values, out);
  EXPECT_EQ(out, bytes({0x80, 0x01, 0x04, 0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F}) +
                     bytes({0x02, 0, 0, 0, 0}));
  std::vector<int32_t> got;
  size_t consumed = 0;
  ASSERT_TRUE(decode_delta_binary_packed_int32(out, 2, got, &consumed).ok());
  EXPECT_EQ(got, values);
  EXPECT_EQ(consumed, out.size());
}

TEST(DeltaBinaryPacked, Int32RoundTripsAndKeepsWidthsWithin32) {
  std::mt19937_64 rng(5);
  std::vector<int32_t> values = {kMin32, kMax32, kMin32, 0, -1};
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<int32_t>(rng()));
  std::string out;
  encode_delta_binary_packed_int32(values, out);
  std::vector<int32_t> got;
  size_t consumed = 0;
  ASSERT_TRUE(decode_delta_binary_packed_int32(out, values.size(), got, &consumed).ok());
  EXPECT_EQ(got, values);
  // The same stream through the int64 decoder agrees modulo 2^32.
  Status st;
  std::vector<int64_t> wide = decode64(out, values.size(), &st);
  ASSERT_TRUE(st.ok()) << st.to_string();
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(static_cast<int32_t>(static_cast<uint32_t>(wide[i])), values[i]);
  }
  // A miniblock wider than 64 bits is refused.
  std::string wide_block = header(2, 0) + bytes({0x00, 65, 0, 0, 0}) + std::string(132, '\0');
  EXPECT_EQ(decode_delta_binary_packed_int32(wide_block, 2, got, &consumed).code(),
            StatusCode::kCorruption);
}

TEST(DeltaBinaryPacked, Int32ReadsDeltasComputedIn64Bits) {
  // DuckDB encodes int32 columns with 64-bit deltas: INT32_MIN after INT32_MAX
  // needs a 33-bit miniblock. The int32 decoder must read such pages.
  std::vector<int64_t> values = {0, INT32_MAX, INT32_MIN, 5, INT32_MAX, -1};
  std::string out;
  encode_delta_binary_packed(values, out);
  std::vector<int32_t> got;
  size_t consumed = 0;
  ASSERT_TRUE(decode_delta_binary_packed_int32(out, values.size(), got, &consumed).ok());
  ASSERT_EQ(got.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(got[i], values[i]) << i;
}

TEST(DeltaBinaryPacked, RejectsCountMismatch) {
  std::string out;
  encode_delta_binary_packed(std::vector<int64_t>{1, 2, 3}, out);
  Status st;
  decode64(out, 4, &st);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  decode64(out, 2, &st);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
}

TEST(DeltaBinaryPacked, RejectsEveryTruncation) {
  std::mt19937_64 rng(11);
  std::vector<int64_t> values = random_walk(rng, 20, 300);
  std::string out;
  encode_delta_binary_packed(values, out);
  for (size_t n = 0; n < out.size(); ++n) {
    Status st;
    decode64(std::string_view(out).substr(0, n), values.size(), &st);
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << "cut at " << n;
  }
}

TEST(DeltaBinaryPacked, SurvivesBitFlips) {
  std::mt19937_64 rng(12);
  std::vector<int64_t> values = random_walk(rng, 9, 260);
  std::string out;
  encode_delta_binary_packed(values, out);
  for (size_t bit = 0; bit < out.size() * 8; ++bit) {
    std::string damaged = out;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    Status st;
    std::vector<int64_t> got = decode64(damaged, values.size(), &st);
    if (st.ok()) {
      EXPECT_EQ(got.size(), values.size());
    }
  }
}

TEST(DeltaBinaryPacked, RejectsBadHeaders) {
  Status st;
  decode64(bytes({0x00, 0x04, 0x01, 0x00}), 1, &st);  // block size 0
  EXPECT_FALSE(st.ok());
  decode64(bytes({0x80, 0x01, 0x00, 0x01, 0x00}), 1, &st);  // no miniblocks
  EXPECT_FALSE(st.ok());
  decode64(bytes({0x80, 0x01, 0x08, 0x01, 0x00}), 1, &st);  // miniblocks of 16 values
  EXPECT_FALSE(st.ok());
  decode64(bytes({0x80, 0x01, 0x03, 0x01, 0x00}), 1, &st);  // 128 / 3
  EXPECT_FALSE(st.ok());
  // Block size 2^32 (too large), then a huge count with only a few bytes behind it.
  decode64(bytes({0x80, 0x80, 0x80, 0x80, 0x10, 0x01, 0x01, 0x00}), 1, &st);
  EXPECT_FALSE(st.ok());
  decode64("", 1, &st);
  EXPECT_FALSE(st.ok());
  decode64("", 0, &st);
  EXPECT_TRUE(st.ok());
}

TEST(DeltaBinaryPacked, ZeroWidthBlocksOfAnyLength) {
  // 2^20 values in a handful of bytes: block size 2^20 with one zero-width miniblock.
  const size_t n = size_t{1} << 20;
  std::string in = bytes({0x80, 0x80, 0x40, 0x01, 0x80, 0x80, 0x40, 0x00, 0x02, 0x00});
  Status st;
  std::vector<int64_t> got = decode64(in, n, &st);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(got.back(), static_cast<int64_t>(n - 1));
}

// The spec example: "Hello", "World", "Foobar", "ABCDEF" -> lengths 5, 5, 6, 6 then the bytes.
std::string dlba_golden() {
  return header(4, 10) + bytes({0x00, 1, 0, 0, 0, 0x02, 0, 0, 0}) + "HelloWorldFoobarABCDEF";
}

TEST(DeltaLengthByteArray, DecodesTheSpecExample) {
  std::string lengths;
  encode_delta_binary_packed(std::vector<int64_t>{5, 5, 6, 6}, lengths);
  EXPECT_EQ(lengths + "HelloWorldFoobarABCDEF", dlba_golden());
  std::vector<std::string> got;
  ASSERT_TRUE(decode_delta_length_byte_array(dlba_golden(), 4, got).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"Hello", "World", "Foobar", "ABCDEF"}));
}

TEST(DeltaLengthByteArray, RejectsEveryTruncationAndBadLengths) {
  const std::string golden = dlba_golden();
  std::vector<std::string> got;
  for (size_t n = 0; n < golden.size(); ++n) {
    EXPECT_EQ(decode_delta_length_byte_array(golden.substr(0, n), 4, got).code(),
              StatusCode::kCorruption)
        << n;
  }
  std::string negative;
  encode_delta_binary_packed(std::vector<int64_t>{3, -1}, negative);
  EXPECT_FALSE(decode_delta_length_byte_array(negative + "abcdef", 2, got).ok());
  std::string huge;
  encode_delta_binary_packed(std::vector<int64_t>{kMax64, kMax64}, huge);
  EXPECT_FALSE(decode_delta_length_byte_array(huge + "abc", 2, got).ok());
}

// The spec example: "axis", "axle", "babble", "babyhood".
std::string dba_golden() {
  const std::string prefixes = header(4, 0) + bytes({0x03, 3, 0, 0, 0, 0x44, 0x01}) +
                               std::string(10, '\0');  // 0,2,0,3: min -2, relative 4,0,5 in 3 bits
  const std::string suffix_lengths =
      header(4, 8) + bytes({0x03, 3, 0, 0, 0, 0x70}) + std::string(11, '\0');
  return prefixes + suffix_lengths + "axislebabbleyhood";
}

TEST(DeltaByteArray, DecodesTheSpecExample) {
  std::string encoded;
  encode_delta_binary_packed(std::vector<int64_t>{0, 2, 0, 3}, encoded);
  encode_delta_binary_packed(std::vector<int64_t>{4, 2, 6, 5}, encoded);
  EXPECT_EQ(encoded + "axislebabbleyhood", dba_golden());
  std::vector<std::string> got;
  ASSERT_TRUE(decode_delta_byte_array(dba_golden(), 4, got).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"axis", "axle", "babble", "babyhood"}));
}

TEST(DeltaByteArray, RejectsEveryTruncationAndLongPrefixes) {
  const std::string golden = dba_golden();
  std::vector<std::string> got;
  for (size_t n = 0; n < golden.size(); ++n) {
    EXPECT_EQ(decode_delta_byte_array(golden.substr(0, n), 4, got).code(), StatusCode::kCorruption)
        << n;
  }
  // A first value cannot share a prefix, and no prefix may exceed the previous value.
  for (const std::vector<int64_t>& prefixes :
       {std::vector<int64_t>{1, 0}, std::vector<int64_t>{0, 3}, std::vector<int64_t>{0, -1}}) {
    std::string in;
    encode_delta_binary_packed(prefixes, in);
    encode_delta_binary_packed(std::vector<int64_t>{2, 1}, in);
    in += "abc";
    EXPECT_EQ(decode_delta_byte_array(in, 2, got).code(), StatusCode::kCorruption);
  }
}

TEST(DeltaByteArray, CapsTheDecodedSize) {
  // One 1 MiB suffix, then 2^11 values that repeat it through their prefixes: 2 GiB of output.
  const size_t n = 2048;
  const int64_t mib = int64_t{1} << 20;
  std::vector<int64_t> prefixes(n, mib);
  prefixes[0] = 0;
  std::vector<int64_t> suffixes(n, 0);
  suffixes[0] = mib;
  std::string in;
  encode_delta_binary_packed(prefixes, in);
  encode_delta_binary_packed(suffixes, in);
  in += std::string(static_cast<size_t>(mib), 'z');
  std::vector<std::string> got;
  EXPECT_EQ(decode_delta_byte_array(in, n, got).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace btstore::parquet
