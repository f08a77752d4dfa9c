// Chooses the value encoding of a numeric data page and encodes its non-null values.
// The choices are ones every reader btstore is tested with (DuckDB, parquet-wasm, hyparquet)
// decodes in v1 data pages:
//   INT32, INT64 (timestamps)  DELTA_BINARY_PACKED, unless PLAIN is smaller (wild deltas)
//   DOUBLE                     a dictionary when values repeat (see DoubleDictionary), else
//                              BYTE_STREAM_SPLIT or PLAIN, whichever the codec compresses better:
//                              split streams line up the sign and exponent bytes of
//                              full-precision values, while PLAIN keeps whole repeated 8-byte
//                              values (prices that stay put) that the codec can match.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "parquet/compression.h"
#include "parquet/format.h"

namespace btstore::parquet {

// Appends the encoded `values` to `out` and returns the encoding used.
Encoding encode_int32_values(std::span<const int32_t> values, std::string& out);
Encoding encode_int64_values(std::span<const int64_t> values, std::string& out);
Encoding encode_double_values(std::span<const double> values, CompressionCodec codec,
                              std::string& out);

// A dictionary of double bit patterns (so -0.0 and 0.0, and NaNs, stay distinct):
// entries in order of first appearance and, per row, the entry's index.
struct DoubleDictionary {
  std::vector<double> entries;
  std::vector<uint32_t> row_index;  // one slot per row; 0 for nulls (never written)
};

// Builds the dictionary of the defined values, or returns false when it would not make the
// chunk clearly smaller than BYTE_STREAM_SPLIT. A sample of the first values decides quickly for
// columns of distinct values, which are the common case.
bool build_double_dictionary(std::span<const double> values, std::span<const uint8_t> defined,
                             DoubleDictionary& dict);

}  // namespace btstore::parquet
