// Decodes the values section of a data page (or a dictionary page) into a typed vector, for
// every encoding the reader accepts. Dispatches on (physical type, encoding) to encoding.h and
// refuses combinations the spec does not allow with NotSupported naming both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "parquet/format.h"

namespace btstore::parquet {

// The values of one column as the reader stores them:
//   BOOLEAN -> uint8_t (0/1), INT32 -> int32_t, INT64 -> int64_t, FLOAT -> float,
//   DOUBLE -> double, INT96 / BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY -> std::string.
struct ValueSpec {
  Type type = Type::kBoolean;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY only
};

// Replaces `out` with exactly `count` values decoded from `data` in `encoding`. Dictionary
// encodings take their values from `dictionary` (null when the chunk has no dictionary page).
// `count` must already be capped by the caller (it is allocated).
template <typename V>
Status decode_values(const ValueSpec& spec, Encoding encoding, std::string_view data, size_t count,
                     const std::vector<V>* dictionary, std::vector<V>& out);

// PLAIN values of a dictionary page.
template <typename V>
Status decode_dictionary_page(const ValueSpec& spec, std::string_view data, size_t count,
                              std::vector<V>& out) {
  return decode_values<V>(spec, Encoding::kPlain, data, count, nullptr, out);
}

}  // namespace btstore::parquet
