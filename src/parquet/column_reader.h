// Reads the pages of one column chunk of a flat column: data pages v1 and v2, an optional
// dictionary page, definition levels (max level 0 or 1), any codec of compression.h and any
// encoding of value_decoder.h. Every size from a page header is checked against the chunk's
// bytes and against caps before anything is allocated; every page consumes bytes, so a damaged
// chunk ends in an error, never a loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "parquet/format.h"
#include "parquet/value_decoder.h"

namespace btstore::parquet {

// Caps on what one page may make the reader allocate.
inline constexpr int64_t kMaxPageBytes = int64_t{1} << 28;   // uncompressed page size
inline constexpr int64_t kMaxPageValues = int64_t{1} << 22;  // values (rows) in one page

struct ChunkSpec {
  ValueSpec value;
  bool optional = true;  // max definition level 1 (OPTIONAL) or 0 (REQUIRED)
  int64_t num_rows = 0;  // rows of the row group = values of the flat chunk
  // The chunk's bytes, from its first page to the end of its last page (already range-checked
  // against the file), and its metadata.
  std::string_view bytes;
  const ColumnMetaData* meta_data = nullptr;
};

// Appends num_rows values and definedness flags (null rows hold V{}).
// Errors do not name the file or column; the caller adds that context.
template <typename V>
Status read_column_chunk(const ChunkSpec& chunk, std::vector<V>& values,
                         std::vector<uint8_t>& defined);

}  // namespace btstore::parquet
