#include "parquet/statistics.h"

#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "common/coding.h"

namespace btstore::parquet {
namespace {

template <typename T>
std::string plain_bytes(T v) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &v, sizeof(T));  // little-endian host (bit_util.h)
  return out;
}

// Strings compare as unsigned bytes, as std::string does.
Statistics string_min_max(std::span<const std::string> values, std::span<const uint8_t> defined) {
  Statistics stats;
  int64_t nulls = 0;
  const std::string* lo = nullptr;
  const std::string* hi = nullptr;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!defined[i]) {
      ++nulls;
      continue;
    }
    const std::string& v = values[i];
    if (lo == nullptr || v < *lo) lo = &v;
    if (hi == nullptr || *hi < v) hi = &v;
  }
  stats.null_count = nulls;
  if (lo != nullptr) {
    stats.min_value = *lo;
    stats.max_value = *hi;
  }
  return stats;
}

// Numbers by value, without a branch per value: the loop runs at the speed of its loads.
template <typename T>
Statistics number_min_max(std::span<const T> values, std::span<const uint8_t> defined) {
  constexpr bool kFloat = std::is_floating_point_v<T>;
  T lo = kFloat ? std::numeric_limits<T>::infinity() : std::numeric_limits<T>::max();
  T hi = kFloat ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
  int64_t nulls = 0, nans = 0, counted = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const T v = values[i];
    const bool is_defined = defined[i] != 0;
    bool use = is_defined;
    if constexpr (kFloat) {
      const bool nan = v != v;
      nans += is_defined & nan;
      use = is_defined & !nan;
    }
    nulls += !is_defined;
    counted += use;
    lo = (use & (v < lo)) ? v : lo;
    hi = (use & (hi < v)) ? v : hi;
  }
  Statistics stats;
  stats.null_count = nulls;
  if constexpr (kFloat) {
    stats.nan_count = nans;
    if (lo == 0) lo = -0.0;  // the row group may hold -0.0 and +0.0 alike
    if (hi == 0) hi = +0.0;
  }
  if (counted > 0) {
    stats.min_value = plain_bytes(lo);
    stats.max_value = plain_bytes(hi);
  }
  return stats;
}

template <typename F>
std::string shortest(F v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "?";
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);  // UTF-8 passes through
    }
  }
  return out + "\"";
}

std::string hex(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// Days since 1970-01-01 to a proleptic Gregorian date (era-based civil calendar arithmetic).
void civil_from_days(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::string format_timestamp(int64_t v, const LogicalType& t) {
  const int64_t per_second = t.unit == TimeUnit::kMillis   ? 1000
                             : t.unit == TimeUnit::kMicros ? 1000000
                                                           : 1000000000;
  int64_t seconds = v / per_second, fraction = v % per_second;
  if (fraction < 0) fraction += per_second, --seconds;
  int64_t days = seconds / 86400, secs = seconds % 86400;
  if (secs < 0) secs += 86400, --days;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  const int digits = t.unit == TimeUnit::kMillis ? 3 : t.unit == TimeUnit::kMicros ? 6 : 9;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%0*lld%s",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60), digits,
                static_cast<long long>(fraction), t.is_adjusted_to_utc ? "Z" : "");
  return std::to_string(v) + " (" + buf + ")";
}

bool is_string(const SchemaElement& e) {
  return (e.logical_type && e.logical_type->kind == LogicalType::Kind::kString) ||
         e.converted_type == ConvertedType::kUtf8;
}

}  // namespace

Statistics make_statistics(std::span<const double> values, std::span<const uint8_t> defined) {
  return number_min_max(values, defined);
}
Statistics make_statistics(std::span<const int32_t> values, std::span<const uint8_t> defined) {
  return number_min_max(values, defined);
}
Statistics make_statistics(std::span<const int64_t> values, std::span<const uint8_t> defined) {
  return number_min_max(values, defined);
}
Statistics make_statistics(std::span<const std::string> values, std::span<const uint8_t> defined) {
  return string_min_max(values, defined);
}

Statistics make_dictionary_statistics(std::span<const std::string> distinct, int64_t null_count) {
  const std::vector<uint8_t> all(distinct.size(), 1);
  Statistics stats = string_min_max(distinct, all);
  stats.null_count = null_count;
  return stats;
}

std::string format_stat_value(const SchemaElement& column, std::string_view plain) {
  const auto sized = [&](size_t n) { return plain.size() == n; };
  const Type type = column.type.value_or(Type::kByteArray);
  switch (type) {
    case Type::kBoolean:
      if (sized(1)) return plain[0] ? "true" : "false";
      break;
    case Type::kInt32:
      if (sized(4)) return std::to_string(static_cast<int32_t>(decode_fixed32(plain.data())));
      break;
    case Type::kInt64:
      if (sized(8)) {
        const auto v = static_cast<int64_t>(decode_fixed64(plain.data()));
        if (column.logical_type && column.logical_type->kind == LogicalType::Kind::kTimestamp) {
          return format_timestamp(v, *column.logical_type);
        }
        return std::to_string(v);
      }
      break;
    case Type::kFloat:
      if (sized(4)) return shortest(std::bit_cast<float>(decode_fixed32(plain.data())));
      break;
    case Type::kDouble:
      if (sized(8)) return shortest(std::bit_cast<double>(decode_fixed64(plain.data())));
      break;
    case Type::kByteArray: return is_string(column) ? quoted(plain) : hex(plain);
    case Type::kInt96:
    case Type::kFixedLenByteArray: return hex(plain);
  }
  return "<" + std::to_string(plain.size()) + " bytes>";
}

}  // namespace btstore::parquet
