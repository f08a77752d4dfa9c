// RLE/bit-packing hybrid, dictionary indices, PLAIN and BYTE_STREAM_SPLIT.
#include "parquet/encoding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace btstore::parquet {
namespace {

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(b));
  return s;
}

std::vector<uint32_t> decode_rle(std::string_view in, int width, size_t count, Status* st) {
  std::vector<uint32_t> out(count);
  *st = decode_rle_hybrid(in, width, count, out.data());
  return out;
}

// Runs of random length (1..20) of random values below 2^width: both run kinds appear.
std::vector<uint32_t> random_levels(std::mt19937_64& rng, int width, size_t n) {
  const uint64_t limit = width == 0 ? 1 : uint64_t{1} << width;
  std::vector<uint32_t> v;
  while (v.size() < n) {
    const auto value = static_cast<uint32_t>(rng() % limit);
    const size_t run = 1 + rng() % 20;
    for (size_t i = 0; i < run && v.size() < n; ++i) v.push_back(value);
  }
  return v;
}

TEST(RleHybrid, BitWidthFor) {
  EXPECT_EQ(bit_width_for(0), 0);
  EXPECT_EQ(bit_width_for(1), 1);
  EXPECT_EQ(bit_width_for(7), 3);
  EXPECT_EQ(bit_width_for(8), 4);
  EXPECT_EQ(bit_width_for(0xFFFFFFFFu), 32);
  EXPECT_EQ(bit_width_for(~uint64_t{0}), 64);
}

TEST(RleHybrid, BitPacksTheSpecExample) {
  // Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010.
  std::vector<uint32_t> values = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string out;
  encode_rle_hybrid(values, 3, out);
  EXPECT_EQ(out, bytes({0x03, 0x88, 0xC6, 0xFA}));  // header: 1 group << 1 | 1
  Status st;
  EXPECT_EQ(decode_rle(out, 3, 8, &st), values);
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(RleHybrid, EncodesRepeatsAsRleRuns) {
  std::string out;
  encode_rle_hybrid(std::vector<uint32_t>(8, 5), 3, out);
  EXPECT_EQ(out, bytes({0x10, 0x05}));  // 8 << 1, value in one byte
  out.clear();
  encode_rle_hybrid(std::vector<uint32_t>(300, 0x1234), 13, out);
  EXPECT_EQ(out, bytes({0xD8, 0x04, 0x34, 0x12}));  // 600 as ULEB128, value in two bytes
  out.clear();
  encode_rle_hybrid(std::vector<uint32_t>(10, 0), 0, out);
  EXPECT_EQ(out, bytes({0x14}));  // width 0: no value bytes
}

TEST(RleHybrid, PadsTheLastBitPackedGroupWithZeros) {
  std::string out;
  encode_rle_hybrid(std::vector<uint32_t>{1, 2, 3}, 2, out);
  EXPECT_EQ(out, bytes({0x03, 0x39, 0x00}));
}

TEST(RleHybrid, MixesRunKindsAtGroupBoundaries) {
  // 3 singles, then 12 repeats: 5 repeats complete the bit-packed group, 7 remain (< 8) and
  // stay bit-packed too; then 9 repeats on a group boundary become an RLE run.
  std::vector<uint32_t> values = {1, 2, 3};
  values.insert(values.end(), 12, 4);
  values.push_back(5);
  values.insert(values.end(), 9, 6);
  std::string out;
  encode_rle_hybrid(values, 3, out);
  EXPECT_EQ(static_cast<uint8_t>(out[0]), (2 << 1) | 1);  // 16 values bit-packed
  EXPECT_EQ(out.substr(1 + 2 * 3), bytes({9 << 1, 6}));
  Status st;
  EXPECT_EQ(decode_rle(out, 3, values.size(), &st), values);
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(RleHybrid, RoundTripsEveryWidth) {
  std::mt19937_64 rng(42);
  for (int width = 0; width <= 32; ++width) {
    for (size_t n : {0, 1, 7, 8, 9, 64, 1000}) {
      std::vector<uint32_t> values = random_levels(rng, width, n);
      if (width > 0 && n > 0) values[0] = static_cast<uint32_t>((uint64_t{1} << width) - 1);
      std::string out;
      encode_rle_hybrid(values, width, out);
      Status st;
      EXPECT_EQ(decode_rle(out, width, n, &st), values) << "width " << width << " n " << n;
      EXPECT_TRUE(st.ok()) << st.to_string();
    }
  }
}

TEST(RleHybrid, DecodesFewerValuesThanEncoded) {
  std::vector<uint32_t> values = {3, 1, 2, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2};
  std::string out;
  encode_rle_hybrid(values, 2, out);
  Status st;
  std::vector<uint32_t> got = decode_rle(out, 2, 5, &st);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(got, std::vector<uint32_t>(values.begin(), values.begin() + 5));
}

TEST(RleHybrid, AcceptsACutShortPaddingGroup) {
  // Some writers end the stream after the last needed byte of a padded group.
  std::string out;
  encode_rle_hybrid(std::vector<uint32_t>{1, 2, 3}, 2, out);
  Status st;
  EXPECT_EQ(decode_rle(out.substr(0, 2), 2, 3, &st), (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(RleHybrid, RejectsEveryTruncation) {
  std::mt19937_64 rng(7);
  for (int width : {1, 3, 8, 17, 32}) {
    std::vector<uint32_t> values = random_levels(rng, width, 200);
    // Ending on a long RLE run leaves only whole bit-packed groups: every byte is needed.
    values.insert(values.end(), 16, values.back() ^ 1);
    std::string out;
    encode_rle_hybrid(values, width, out);
    for (size_t n = 0; n < out.size(); ++n) {
      Status st;
      decode_rle(std::string_view(out).substr(0, n), width, values.size(), &st);
      EXPECT_EQ(st.code(), StatusCode::kCorruption) << "width " << width << " cut at " << n;
    }
  }
}

TEST(RleHybrid, SurvivesBitFlips) {
  std::mt19937_64 rng(9);
  std::vector<uint32_t> values = random_levels(rng, 5, 300);
  std::string out;
  encode_rle_hybrid(values, 5, out);
  for (size_t bit = 0; bit < out.size() * 8; ++bit) {
    std::string damaged = out;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    Status st;
    std::vector<uint32_t> got = decode_rle(damaged, 5, values.size(), &st);
    if (st.ok()) {
      for (uint32_t v : got) EXPECT_LT(v, 32u);  // never wider than the bit width
    }
  }
}

TEST(RleHybrid, RejectsMalformedHeaders) {
  uint32_t out[8];
  EXPECT_FALSE(decode_rle_hybrid(bytes({0x00, 0x01}), 1, 1, out).ok());  // RLE run of 0
  EXPECT_FALSE(decode_rle_hybrid(bytes({0x01}), 1, 1, out).ok());        // 0 bit-packed groups
  // RLE run of 2^31 values: longer than the spec allows.
  EXPECT_FALSE(decode_rle_hybrid(bytes({0x80, 0x80, 0x80, 0x80, 0x10, 0x01}), 1, 1, out).ok());
  // An 11-byte varint.
  std::string overlong(10, '\x80');
  overlong += bytes({0x02, 0x01});
  EXPECT_FALSE(decode_rle_hybrid(overlong, 1, 1, out).ok());
  EXPECT_FALSE(decode_rle_hybrid(bytes({0x10, 0x05}), 2, 1, out).ok());  // value 5 in 2 bits
  EXPECT_FALSE(decode_rle_hybrid(bytes({0x10, 0x00}), 33, 1, out).ok());
  EXPECT_FALSE(decode_rle_hybrid(bytes({0x10, 0x00}), -1, 1, out).ok());
  EXPECT_TRUE(decode_rle_hybrid("", 1, 0, out).ok());
}

TEST(DictionaryIndices, PrefixesTheBitWidth) {
  std::vector<uint32_t> indices = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string out;
  encode_dictionary_indices(indices, 3, out);
  EXPECT_EQ(out, bytes({0x03, 0x03, 0x88, 0xC6, 0xFA}));
  std::vector<uint32_t> got(8);
  ASSERT_TRUE(decode_dictionary_indices(out, 8, got.data()).ok());
  EXPECT_EQ(got, indices);
}

TEST(DictionaryIndices, RejectsWidthAbove32AndMissingWidth) {
  uint32_t out[1];
  EXPECT_EQ(decode_dictionary_indices(bytes({33, 0x02, 0, 0, 0, 0, 0}), 1, out).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(decode_dictionary_indices("", 1, out).code(), StatusCode::kCorruption);
  EXPECT_TRUE(decode_dictionary_indices("", 0, out).ok());
}

TEST(PlainByteArrays, GoldenBytesAndRoundTrip) {
  std::vector<std::string> values = {"ab", "", std::string(300, 'x')};
  std::string out;
  encode_plain_byte_arrays(values, out);
  EXPECT_EQ(out.substr(0, 10), bytes({2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0}));
  EXPECT_EQ(out.substr(10, 4), bytes({0x2C, 0x01, 0, 0}));
  out += "trailing";
  std::vector<std::string> got;
  size_t consumed = 0;
  ASSERT_TRUE(decode_plain_byte_arrays(out, 3, got, &consumed).ok());
  EXPECT_EQ(got, values);
  EXPECT_EQ(consumed, out.size() - 8);
}

TEST(PlainByteArrays, RejectsEveryTruncation) {
  std::vector<std::string> values = {"hello", "", "world!"};
  std::string out;
  encode_plain_byte_arrays(values, out);
  for (size_t n = 0; n < out.size(); ++n) {
    std::vector<std::string> got;
    size_t consumed = 0;
    EXPECT_EQ(decode_plain_byte_arrays(out.substr(0, n), 3, got, &consumed).code(),
              StatusCode::kCorruption)
        << n;
  }
}

TEST(PlainByteArrays, RejectsForgedCountAndLength) {
  std::vector<std::string> got;
  size_t consumed = 0;
  // A count that cannot fit is refused before anything is allocated for it.
  EXPECT_FALSE(decode_plain_byte_arrays(bytes({0, 0, 0, 0}), size_t{1} << 60, got, &consumed).ok());
  EXPECT_FALSE(
      decode_plain_byte_arrays(bytes({0xFF, 0xFF, 0xFF, 0xFF, 'a'}), 1, got, &consumed).ok());
}

TEST(PlainBooleans, UnpacksLsbFirst) {
  std::vector<uint8_t> got;
  ASSERT_TRUE(decode_plain_booleans(bytes({0x0D, 0x01}), 9, got).ok());
  EXPECT_EQ(got, (std::vector<uint8_t>{1, 0, 1, 1, 0, 0, 0, 0, 1}));
  EXPECT_FALSE(decode_plain_booleans(bytes({0x0D}), 9, got).ok());
  EXPECT_FALSE(decode_plain_booleans("", size_t{1} << 62, got).ok());
}

TEST(PlainFixed, CopiesLittleEndianAndChecksLength) {
  std::vector<int32_t> values = {1, -2, 0x7FFFFFFF};
  std::string out;
  encode_plain_fixed<int32_t>(values, out);
  EXPECT_EQ(out.substr(0, 8), bytes({1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF}));
  std::vector<int32_t> got(3);
  ASSERT_TRUE(decode_plain_fixed<int32_t>(out, 3, got.data()).ok());
  EXPECT_EQ(got, values);
  EXPECT_EQ(decode_plain_fixed<int32_t>(out.substr(0, 11), 3, got.data()).code(),
            StatusCode::kCorruption);
  EXPECT_FALSE(decode_plain_fixed<double>(out, size_t{1} << 62, nullptr).ok());
}

TEST(ByteStreamSplit, MatchesTheSpecExample) {
  const std::string values =
      bytes({0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6});
  const std::string split =
      bytes({0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6});
  std::string out;
  encode_byte_stream_split(values, 4, out);
  EXPECT_EQ(out, split);
  std::string got(12, '\0');
  ASSERT_TRUE(decode_byte_stream_split(split, 3, 4, reinterpret_cast<uint8_t*>(got.data())).ok());
  EXPECT_EQ(got, values);
}

TEST(ByteStreamSplit, PutsByteKOfValueIAtStreamKPositionI) {
  // The definition itself, for every count around the 8-value blocks of the fast path.
  std::mt19937_64 rng(5);
  for (size_t width : {4, 8}) {
    for (size_t count = 0; count <= 41; ++count) {
      std::string values(width * count, '\0');
      for (char& c : values) c = static_cast<char>(rng());
      std::string out = "prefix";
      encode_byte_stream_split(values, width, out);
      ASSERT_EQ(out.size(), 6 + values.size());
      for (size_t i = 0; i < count; ++i) {
        for (size_t k = 0; k < width; ++k) {
          ASSERT_EQ(out[6 + k * count + i], values[i * width + k])
              << "width " << width << " count " << count << " value " << i << " byte " << k;
        }
      }
      std::string back(values.size(), '\0');
      ASSERT_TRUE(decode_byte_stream_split(std::string_view(out).substr(6), count, width,
                                           reinterpret_cast<uint8_t*>(back.data()))
                      .ok());
      ASSERT_EQ(back, values) << "width " << width << " count " << count;
    }
  }
}

TEST(ByteStreamSplit, RoundTripsAnyWidthAndRejectsWrongSizes) {
  std::mt19937_64 rng(3);
  for (size_t width : {1, 2, 4, 8, 12, 16}) {
    std::string values(width * 37, '\0');
    for (char& c : values) c = static_cast<char>(rng());
    std::string out;
    encode_byte_stream_split(values, width, out);
    std::string got(values.size(), '\0');
    auto* dst = reinterpret_cast<uint8_t*>(got.data());
    ASSERT_TRUE(decode_byte_stream_split(out, 37, width, dst).ok());
    EXPECT_EQ(got, values) << width;
    EXPECT_FALSE(decode_byte_stream_split(out.substr(1), 37, width, dst).ok());
    EXPECT_FALSE(decode_byte_stream_split(out + "x", 37, width, dst).ok());
  }
  uint8_t dummy = 0;
  EXPECT_FALSE(decode_byte_stream_split("", size_t{1} << 62, 8, &dummy).ok());
  EXPECT_FALSE(decode_byte_stream_split("", 0, 0, &dummy).ok());
}

// Random bytes through every decoder: errors are fine, crashes and sanitizer reports are not.
TEST(Decoders, SurviveRandomInput) {
  std::mt19937_64 rng(2024);
  std::vector<uint32_t> u32(4096);
  std::vector<uint8_t> raw(4096 * 8);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string in(rng() % 64, '\0');
    for (char& c : in) c = static_cast<char>(rng() % 4 == 0 ? 0 : rng());
    const size_t count = rng() % 4096;
    std::vector<std::string> strings;
    std::vector<int64_t> i64;
    std::vector<int32_t> i32;
    std::vector<uint8_t> bools;
    size_t consumed = 0;
    (void)decode_rle_hybrid(in, static_cast<int>(rng() % 34), count, u32.data());
    (void)decode_dictionary_indices(in, count, u32.data());
    (void)decode_plain_byte_arrays(in, count, strings, &consumed);
    (void)decode_plain_booleans(in, count, bools);
    (void)decode_delta_binary_packed(in, count, i64, &consumed);
    (void)decode_delta_binary_packed_int32(in, count, i32, &consumed);
    (void)decode_delta_length_byte_array(in, count, strings);
    (void)decode_delta_byte_array(in, count, strings);
    (void)decode_byte_stream_split(in, count, 1 + rng() % 8, raw.data());
  }
}

}  // namespace
}  // namespace btstore::parquet
