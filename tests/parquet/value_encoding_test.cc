// The writer's choice of numeric encodings: each choice decodes back to the same values.
#include "parquet/value_encoding.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <limits>
#include <random>

#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

TEST(ValueEncoding, SortedInt32UsesDeltaAndDecodes) {
  std::vector<int32_t> values;
  for (int i = 0; i < 1000; ++i) values.push_back(i * 3 - 100);
  std::string out;
  ASSERT_EQ(encode_int32_values(values, out), Encoding::kDeltaBinaryPacked);
  EXPECT_LT(out.size(), values.size());
  std::vector<int32_t> back;
  size_t consumed = 0;
  ASSERT_TRUE(decode_delta_binary_packed_int32(out, values.size(), back, &consumed).ok());
  EXPECT_EQ(back, values);
}

TEST(ValueEncoding, WildInt32FallsBackToPlain) {
  std::mt19937 rng(5);  // uniformly random 32-bit values: deltas need 32 bits plus headers
  std::vector<int32_t> values;
  for (int i = 0; i < 256; ++i) values.push_back(static_cast<int32_t>(rng()));
  std::string out;
  ASSERT_EQ(encode_int32_values(values, out), Encoding::kPlain);
  ASSERT_EQ(out.size(), values.size() * sizeof(int32_t));
  EXPECT_EQ(0, std::memcmp(out.data(), values.data(), out.size()));
}

TEST(ValueEncoding, TimestampsUseDeltaAndDecode) {
  std::vector<int64_t> values;
  for (int64_t i = 0; i < 777; ++i) values.push_back(-62'135'596'800'000'000 + i * 3'600'000'000);
  std::string out;
  ASSERT_EQ(encode_int64_values(values, out), Encoding::kDeltaBinaryPacked);
  std::vector<int64_t> back;
  size_t consumed = 0;
  ASSERT_TRUE(decode_delta_binary_packed(out, values.size(), back, &consumed).ok());
  EXPECT_EQ(back, values);
}

TEST(ValueEncoding, FullPrecisionDoublesUseByteStreamSplitBitExactly) {
  std::vector<double> values = {
      -0.0, 0.0, 5e-324, 1.7976931348623157e308, std::numeric_limits<double>::quiet_NaN(), 42.125};
  double walk = 100'000;
  for (int i = 0; i < 3000; ++i) values.push_back(walk *= 1.0001234567891);
  std::string out;
  ASSERT_EQ(encode_double_values(values, CompressionCodec::kSnappy, out),
            Encoding::kByteStreamSplit);
  std::vector<double> back(values.size());
  ASSERT_TRUE(decode_byte_stream_split(out, values.size(), sizeof(double),
                                       reinterpret_cast<uint8_t*>(back.data()))
                  .ok());
  EXPECT_EQ(0, std::memcmp(back.data(), values.data(), values.size() * sizeof(double)));
}

TEST(ValueEncoding, RepeatsOfWholeDoublesStayPlain) {
  // A few hundred distinct full-precision values in random order: the codec matches whole
  // 8-byte values in PLAIN, while the split streams look random.
  std::mt19937_64 rng(9);
  std::vector<double> pool;
  for (int i = 0; i < 300; ++i) pool.push_back(std::generate_canonical<double, 53>(rng) * 1e4);
  std::vector<double> values;
  for (int i = 0; i < 3000; ++i) values.push_back(pool[rng() % pool.size()]);
  std::string out;
  ASSERT_EQ(encode_double_values(values, CompressionCodec::kSnappy, out), Encoding::kPlain);
  ASSERT_EQ(out.size(), values.size() * sizeof(double));
  EXPECT_EQ(0, std::memcmp(out.data(), values.data(), out.size()));
  out.clear();
  EXPECT_EQ(encode_double_values(values, CompressionCodec::kUncompressed, out), Encoding::kPlain);
}

TEST(ValueEncoding, RepeatedDoublesGetADictionaryKeepingZeroSigns) {
  std::vector<double> values;
  std::vector<uint8_t> defined;
  for (int i = 0; i < 3000; ++i) {
    values.push_back(i % 3 == 0 ? 0.0 : i % 3 == 1 ? -0.0 : 2.5);
    defined.push_back(i % 7 != 0);
  }
  DoubleDictionary dict;
  ASSERT_TRUE(build_double_dictionary(values, defined, dict));
  ASSERT_EQ(dict.entries.size(), 3u);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!defined[i]) continue;
    EXPECT_EQ(std::bit_cast<uint64_t>(dict.entries[dict.row_index[i]]),
              std::bit_cast<uint64_t>(values[i]))
        << "row " << i;
  }
}

TEST(ValueEncoding, DistinctDoublesGetNoDictionary) {
  std::vector<double> values;
  for (int i = 0; i < 3000; ++i) values.push_back(1.0 + i * 0.001);
  const std::vector<uint8_t> defined(values.size(), 1);
  DoubleDictionary dict;
  EXPECT_FALSE(build_double_dictionary(values, defined, dict));
}

TEST(ValueEncoding, DictionaryGivesUpWhenRepeatsComeLate) {
  // The sample repeats, the whole column does not: more entries than half the values.
  std::vector<double> values(600, 1.0);
  for (int i = 0; i < 3000; ++i) values.push_back(2.0 + i);
  const std::vector<uint8_t> defined(values.size(), 1);
  DoubleDictionary dict;
  EXPECT_FALSE(build_double_dictionary(values, defined, dict));
}

}  // namespace
}  // namespace btstore::parquet
