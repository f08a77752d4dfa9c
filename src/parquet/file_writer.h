// Encodes one of btstore's three tables as a complete Parquet file in memory.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "btstore/status.h"
#include "model/schema.h"
#include "parquet/compression.h"

namespace btstore::parquet {

struct WriterOptions {
  CompressionCodec codec = CompressionCodec::kSnappy;
  int64_t row_group_size = 10'000;  // rows per row group; the last one may be smaller
  std::string created_by;           // e.g. "btstore version 0.1.0 (build ...)"
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  size_t threads = 1;  // row groups encoded side by side; 0 = one per core
};

// The whole file: magic, row groups of exactly row_group_size rows (none for an empty table),
// the footer (schema of table_schema.h, statistics, TYPE_ORDER column orders) and magic.
// InvalidArgument for a row_group_size < 1, a codec btstore does not write, or columns whose
// lengths disagree with table.num_rows.
Result<std::string> write_table(const model::ConstTableView& table, const WriterOptions& options);

}  // namespace btstore::parquet
