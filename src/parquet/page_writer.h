// Appends the pages of one column chunk to a file being built: compresses each page body,
// frames it with its PageHeader (sizes and CRC) and keeps the chunk totals ColumnMetaData needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "btstore/status.h"
#include "parquet/compression.h"
#include "parquet/format.h"

namespace btstore::parquet {

class PageWriter {
 public:
  // `file` is the whole file so far; pages are appended at its end.
  PageWriter(std::string& file, CompressionCodec codec, bool write_crc)
      : file_(file), codec_(codec), write_crc_(write_crc) {}

  // Writes `header` (page sizes and crc are filled in here) and the compressed `body`.
  // Returns the file offset of the page header.
  Result<int64_t> write_page(PageHeader header, std::string_view body);

  int64_t total_uncompressed_size() const { return total_uncompressed_; }
  int64_t total_compressed_size() const { return total_compressed_; }

 private:
  std::string& file_;
  CompressionCodec codec_;
  bool write_crc_;
  std::string compressed_;  // reused between pages
  int64_t total_uncompressed_ = 0;
  int64_t total_compressed_ = 0;
};

}  // namespace btstore::parquet
