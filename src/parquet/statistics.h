// Column chunk statistics as btstore writes them: min_value/max_value in the column's type
// order (TypeDefinedOrder), PLAIN-encoded, and null_count; and the inverse for display.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "parquet/format.h"

namespace btstore::parquet {

// Statistics of the non-null values of a chunk (`defined` flags one slot per row of `values`).
// Doubles: NaNs are left out of min/max and counted in nan_count; a zero min is written as -0.0
// and a zero max as +0.0 (parquet.thrift, ColumnOrder). Strings compare as unsigned bytes.
// Without non-null (non-NaN) values only null_count (and nan_count) is set.
Statistics make_statistics(std::span<const double> values, std::span<const uint8_t> defined);
Statistics make_statistics(std::span<const int32_t> values, std::span<const uint8_t> defined);
Statistics make_statistics(std::span<const int64_t> values, std::span<const uint8_t> defined);
Statistics make_statistics(std::span<const std::string> values, std::span<const uint8_t> defined);
// The same statistics from a chunk's dictionary: its `distinct` values and the chunk's nulls.
Statistics make_dictionary_statistics(std::span<const std::string> distinct, int64_t null_count);

// Text of one PLAIN-encoded statistics value of a column, for `btstore parquet-schema`:
// numbers in shortest round-trip form, strings quoted (non-printable bytes escaped),
// timestamps as given; "<n bytes>" when the size does not fit the type.
std::string format_stat_value(const SchemaElement& column, std::string_view plain);

}  // namespace btstore::parquet
