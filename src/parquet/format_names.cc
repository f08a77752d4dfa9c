// Spec spellings of the format enums, for error messages and `btstore parquet-schema`.
#include <array>
#include <string>

#include "parquet/format.h"

namespace btstore::parquet {
namespace {

template <size_t N>
std::string lookup(const std::array<std::string_view, N>& names, int64_t v) {
  if (v >= 0 && static_cast<size_t>(v) < N && !names[v].empty()) return std::string(names[v]);
  return "UNKNOWN(" + std::to_string(v) + ")";
}

constexpr std::array<std::string_view, 8> kTypeNames = {
    "BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};

constexpr std::array<std::string_view, 22> kConvertedNames = {"UTF8",
                                                              "MAP",
                                                              "MAP_KEY_VALUE",
                                                              "LIST",
                                                              "ENUM",
                                                              "DECIMAL",
                                                              "DATE",
                                                              "TIME_MILLIS",
                                                              "TIME_MICROS",
                                                              "TIMESTAMP_MILLIS",
                                                              "TIMESTAMP_MICROS",
                                                              "UINT_8",
                                                              "UINT_16",
                                                              "UINT_32",
                                                              "UINT_64",
                                                              "INT_8",
                                                              "INT_16",
                                                              "INT_32",
                                                              "INT_64",
                                                              "JSON",
                                                              "BSON",
                                                              "INTERVAL"};

constexpr std::array<std::string_view, 4> kRepetitionNames = {"REQUIRED", "OPTIONAL", "REPEATED",
                                                              "VECTOR"};

constexpr std::array<std::string_view, 10> kEncodingNames = {
    "PLAIN",          "GROUP_VAR_INT",       "PLAIN_DICTIONARY",        "RLE",
    "BIT_PACKED",     "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
    "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};

constexpr std::array<std::string_view, 4> kPageTypeNames = {"DATA_PAGE", "INDEX_PAGE",
                                                            "DICTIONARY_PAGE", "DATA_PAGE_V2"};

constexpr std::array<std::string_view, 20> kLogicalNames = {
    "",     "STRING",    "MAP",     "LIST",     "ENUM",      "DECIMAL", "DATE",
    "TIME", "TIMESTAMP", "",        "INTEGER",  "UNKNOWN",   "JSON",    "BSON",
    "UUID", "FLOAT16",   "VARIANT", "GEOMETRY", "GEOGRAPHY", "VECTOR"};

}  // namespace

std::string type_name(Type v) { return lookup(kTypeNames, static_cast<int64_t>(v)); }

std::string converted_type_name(ConvertedType v) {
  return lookup(kConvertedNames, static_cast<int64_t>(v));
}

std::string repetition_name(FieldRepetitionType v) {
  return lookup(kRepetitionNames, static_cast<int64_t>(v));
}

std::string encoding_name(Encoding v) { return lookup(kEncodingNames, static_cast<int64_t>(v)); }

std::string page_type_name(PageType v) { return lookup(kPageTypeNames, static_cast<int64_t>(v)); }

std::string time_unit_name(TimeUnit v) {
  switch (v) {
    case TimeUnit::kMillis: return "MILLIS";
    case TimeUnit::kMicros: return "MICROS";
    case TimeUnit::kNanos: return "NANOS";
  }
  return "UNKNOWN(" + std::to_string(static_cast<int>(v)) + ")";
}

std::string logical_type_name(const LogicalType& v) {
  using Kind = LogicalType::Kind;
  const std::string base = lookup(kLogicalNames, static_cast<int64_t>(v.kind));
  const auto flag = [](bool b) { return b ? "true" : "false"; };
  switch (v.kind) {
    case Kind::kTime:
    case Kind::kTimestamp:
      return base + "(isAdjustedToUTC=" + flag(v.is_adjusted_to_utc) +
             ", unit=" + time_unit_name(v.unit) + ")";
    case Kind::kInteger:
      return base + "(bitWidth=" + std::to_string(v.bit_width) + ", isSigned=" + flag(v.is_signed) +
             ")";
    case Kind::kDecimal:
      return base + "(precision=" + std::to_string(v.precision) +
             ", scale=" + std::to_string(v.scale) + ")";
    default: return base;
  }
}

}  // namespace btstore::parquet
