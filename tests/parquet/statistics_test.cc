// Chunk statistics against a plain reading of their definition (parquet.thrift, Statistics and
// ColumnOrder), on random values with nulls, NaNs, infinities and signed zeros.
#include "parquet/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <vector>

namespace btstore::parquet {
namespace {

template <typename T>
std::string plain(T v) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

// The definition, value by value.
template <typename T>
Statistics expected_statistics(const std::vector<T>& values, const std::vector<uint8_t>& defined) {
  Statistics s;
  int64_t nulls = 0, nans = 0;
  std::optional<T> lo, hi;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!defined[i]) {
      ++nulls;
      continue;
    }
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(values[i])) {
        ++nans;
        continue;
      }
    }
    if (!lo || values[i] < *lo) lo = values[i];
    if (!hi || *hi < values[i]) hi = values[i];
  }
  s.null_count = nulls;
  if constexpr (std::is_floating_point_v<T>) {
    s.nan_count = nans;
    if (lo && *lo == 0) lo = -0.0;
    if (hi && *hi == 0) hi = +0.0;
  }
  if (lo) {
    s.min_value = plain(*lo);
    s.max_value = plain(*hi);
  }
  return s;
}

void expect_same(const Statistics& got, const Statistics& want, int round) {
  EXPECT_EQ(got.null_count, want.null_count) << round;
  EXPECT_EQ(got.nan_count, want.nan_count) << round;
  EXPECT_EQ(got.min_value, want.min_value) << round;
  EXPECT_EQ(got.max_value, want.max_value) << round;
}

TEST(Statistics, DoublesFollowTheDefinition) {
  std::mt19937_64 rng(21);
  const double specials[] = {std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             0.0,
                             -0.0,
                             5e-324,
                             -1.7976931348623157e308};
  for (int round = 0; round < 300; ++round) {
    const size_t n = rng() % 40;
    const unsigned null_every = 1 + static_cast<unsigned>(rng() % 5);
    std::vector<double> values(n);
    std::vector<uint8_t> defined(n);
    for (size_t i = 0; i < n; ++i) {
      values[i] = rng() % 3 == 0
                      ? specials[rng() % std::size(specials)]
                      : static_cast<double>(static_cast<int64_t>(rng() % 2001) - 1000) / 8;
      defined[i] = rng() % null_every != 0;
    }
    expect_same(make_statistics(values, defined), expected_statistics(values, defined), round);
  }
}

TEST(Statistics, IntegersFollowTheDefinitionUpToTheirLimits) {
  std::mt19937_64 rng(22);
  for (int round = 0; round < 300; ++round) {
    const size_t n = rng() % 40;
    std::vector<int32_t> small(n);
    std::vector<int64_t> large(n);
    std::vector<uint8_t> defined(n);
    for (size_t i = 0; i < n; ++i) {
      switch (rng() % 4) {
        case 0:
          small[i] = std::numeric_limits<int32_t>::max();
          large[i] = std::numeric_limits<int64_t>::min();
          break;
        case 1:
          small[i] = std::numeric_limits<int32_t>::min();
          large[i] = std::numeric_limits<int64_t>::max();
          break;
        default: small[i] = static_cast<int32_t>(rng()); large[i] = static_cast<int64_t>(rng());
      }
      defined[i] = rng() % 3 != 0;
    }
    expect_same(make_statistics(small, defined), expected_statistics(small, defined), round);
    expect_same(make_statistics(large, defined), expected_statistics(large, defined), round);
  }
}

TEST(Statistics, OnlyNaNsGiveNoMinOrMax) {
  const std::vector<double> values = {std::nan(""), std::nan(""), 1.0};
  const std::vector<uint8_t> defined = {1, 1, 0};
  const Statistics s = make_statistics(values, defined);
  EXPECT_FALSE(s.min_value.has_value());
  EXPECT_FALSE(s.max_value.has_value());
  EXPECT_EQ(s.nan_count, 2);
  EXPECT_EQ(s.null_count, 1);
}

TEST(Statistics, DictionaryStatisticsEqualThoseOfTheRows) {
  const std::vector<std::string> rows = {"sell", "", "buy", "\xc3\xa9", "buy", "sell", "x"};
  const std::vector<uint8_t> defined = {1, 0, 1, 1, 1, 1, 0};
  const std::vector<std::string> distinct = {"sell", "buy", "\xc3\xa9"};
  const Statistics from_rows = make_statistics(rows, defined);
  const Statistics from_dictionary = make_dictionary_statistics(distinct, 2);
  EXPECT_EQ(from_dictionary.min_value, from_rows.min_value);
  EXPECT_EQ(from_dictionary.max_value, from_rows.max_value);
  EXPECT_EQ(from_dictionary.null_count, 2);
  EXPECT_EQ(from_rows.min_value, "buy");
  EXPECT_EQ(from_rows.max_value, "\xc3\xa9");  // bytes compare unsigned
}

}  // namespace
}  // namespace btstore::parquet
