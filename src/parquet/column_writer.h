// Writes one column chunk (the rows of one column within one row group) as Parquet pages:
// data page v1 with RLE definition levels (bit width 1, every btstore field is OPTIONAL).
// Strings and repetitive doubles get a PLAIN dictionary page plus RLE_DICTIONARY data pages
// when the dictionary makes the chunk smaller; other numbers take the per-page encoding of
// value_encoding.h (DELTA_BINARY_PACKED for integers and timestamps, BYTE_STREAM_SPLIT or
// PLAIN for doubles).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "btstore/status.h"
#include "model/schema.h"
#include "parquet/compression.h"
#include "parquet/format.h"

namespace btstore::parquet {

struct ColumnWriteOptions {
  CompressionCodec codec = CompressionCodec::kSnappy;
  size_t target_page_bytes = size_t{1} << 20;  // data pages are split beyond this (uncompressed)
  bool write_crc = true;                       // PageHeader.crc over the stored page bytes
  bool allow_dictionary = true;                // strings: dictionary encoding when it pays
};

// Appends the pages of rows [begin, end) of `column` to `file` (whose current size is the file
// offset of the first page) and returns the chunk's metadata, path_in_schema = {name}.
// REQUIRES: begin < end <= the column's size; values and defined flags have equal sizes.
Result<ColumnMetaData> write_column_chunk(const model::ConstColumnPtr& column,
                                          std::string_view name, size_t begin, size_t end,
                                          const ColumnWriteOptions& options, std::string& file);

}  // namespace btstore::parquet
