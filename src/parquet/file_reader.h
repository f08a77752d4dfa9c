// Reads Parquet files held in memory (untrusted bytes). FileReader::open() parses and checks
// the footer; read_column() decodes one flat column over all row groups. read_table() reads a
// file of one of btstore's three schemas into the model, checking the schema first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "btstore/status.h"
#include "model/result.h"
#include "model/schema.h"
#include "parquet/format.h"

namespace btstore::parquet {

// Files with more rows are refused (NotSupported) before anything is read: values are
// materialized per row, so this bounds what a forged row count can make the reader allocate.
inline constexpr int64_t kMaxRowsPerFile = int64_t{1} << 26;

// One value slot per row (null rows hold a default value), by physical type:
//   BOOLEAN -> uint8_t (0/1), INT32 -> int32_t, INT64 -> int64_t, FLOAT -> float,
//   DOUBLE -> double, INT96 (12 raw bytes) / BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY -> std::string.
using ColumnValues =
    std::variant<std::vector<uint8_t>, std::vector<int32_t>, std::vector<int64_t>,
                 std::vector<float>, std::vector<double>, std::vector<std::string>>;

struct GenericColumn {
  std::string name;
  Type physical_type = Type::kBoolean;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY
  FieldRepetitionType repetition = FieldRepetitionType::kOptional;
  std::optional<LogicalType> logical_type;
  std::optional<ConvertedType> converted_type;
  std::vector<uint8_t> defined;  // 1 = value present, 0 = null
  ColumnValues values;
};

class FileReader {
 public:
  // Parses and validates the footer of `bytes` (which must outlive the reader): magic, footer
  // length, a flat schema (nested, repeated or encrypted columns -> NotSupported naming the
  // column), row group and column chunk metadata with every chunk inside the file.
  // Errors start with `file_name`.
  static Result<FileReader> open(std::string_view bytes, std::string file_name);

  const FileMetaData& metadata() const { return metadata_; }
  const std::string& file_name() const { return file_name_; }
  int64_t num_rows() const { return metadata_.num_rows; }
  int num_columns() const { return static_cast<int>(metadata_.schema.size()) - 1; }
  // The schema element of leaf column i (0-based, in schema order).
  const SchemaElement& column_schema(int i) const { return metadata_.schema[i + 1]; }

  // All row groups of column i concatenated: num_rows() values.
  Result<GenericColumn> read_column(int column_index) const;

 private:
  FileReader(std::string_view bytes, std::string file_name, FileMetaData metadata)
      : bytes_(bytes), file_name_(std::move(file_name)), metadata_(std::move(metadata)) {}

  std::string_view bytes_;
  std::string file_name_;
  FileMetaData metadata_;
};

// Reads a file of `kind`'s schema and appends its rows to the matching table of `out`.
// The schema must match (same field names in order, compatible types; see schema_check.h);
// timestamps in MILLIS or NANOS are converted to micros exactly. On error `out` is unchanged.
// `threads` threads (0 = one per core) decode the columns side by side.
Status read_table(std::string_view bytes, std::string_view file_name, model::TableKind kind,
                  model::BacktestResult& out, size_t threads = 1);

}  // namespace btstore::parquet
