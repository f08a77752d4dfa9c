#include "parquet/file_writer.h"

#include <limits>

#include "common/coding.h"
#include "common/parallel.h"
#include "parquet/column_writer.h"
#include "parquet/format.h"
#include "parquet/table_schema.h"

namespace btstore::parquet {
namespace {

size_t column_size(const model::ConstColumnPtr& column) {
  return std::visit(
      [](const auto* c) {
        return c->values.size() == c->defined.size() ? c->values.size()
                                                     : std::numeric_limits<size_t>::max();
      },
      column);
}

Status check_table(const model::ConstTableView& table, const WriterOptions& options) {
  const auto fields = model::table_fields(table.kind);
  const std::string table_name(model::table_name(table.kind));
  if (options.row_group_size < 1) {
    return Status::InvalidArgument("row_group_size must be at least 1, got " +
                                   std::to_string(options.row_group_size));
  }
  if (table.columns.size() != fields.size()) {
    return Status::InvalidArgument(table_name + ": " + std::to_string(table.columns.size()) +
                                   " columns given, the schema has " +
                                   std::to_string(fields.size()));
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (column_size(table.columns[i]) != table.num_rows) {
      return Status::InvalidArgument(table_name + ": column '" + std::string(fields[i].name) +
                                     "' does not have " + std::to_string(table.num_rows) +
                                     " rows (or its values and null flags differ in length)");
    }
  }
  return Status::OK();
}

Result<RowGroup> write_row_group(const model::ConstTableView& table, size_t begin, size_t end,
                                 const ColumnWriteOptions& options, std::string& file) {
  const auto fields = model::table_fields(table.kind);
  RowGroup group;
  group.num_rows = static_cast<int64_t>(end - begin);
  group.file_offset = static_cast<int64_t>(file.size());
  int64_t compressed = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    auto md = write_column_chunk(table.columns[i], fields[i].name, begin, end, options, file);
    if (!md.ok()) {
      return md.status().with_context(std::string(model::table_name(table.kind)) + ": column '" +
                                      std::string(fields[i].name) + "'");
    }
    group.total_byte_size += md->total_uncompressed_size;
    compressed += md->total_compressed_size;
    ColumnChunk chunk;
    chunk.meta_data = std::move(md).value();
    group.columns.push_back(std::move(chunk));
  }
  group.total_compressed_size = compressed;
  return group;
}

// Moves the offsets of a row group encoded on its own to where its bytes land in the file.
void shift_offsets(RowGroup& group, int64_t by) {
  if (group.file_offset) *group.file_offset += by;
  for (ColumnChunk& chunk : group.columns) {
    ColumnMetaData& md = *chunk.meta_data;
    md.data_page_offset += by;
    if (md.dictionary_page_offset) *md.dictionary_page_offset += by;
    if (md.index_page_offset) *md.index_page_offset += by;
  }
}

FileMetaData make_footer(const model::ConstTableView& table, const WriterOptions& options) {
  FileMetaData md;
  md.version = 1;
  md.schema = schema_for(table.kind);
  md.num_rows = static_cast<int64_t>(table.num_rows);
  for (const auto& [key, value] : options.key_value_metadata) {
    md.key_value_metadata.push_back({key, value});
  }
  if (!options.created_by.empty()) md.created_by = options.created_by;
  md.column_orders.assign(table.columns.size(), ColumnOrder::kTypeDefinedOrder);
  return md;
}

}  // namespace

Result<std::string> write_table(const model::ConstTableView& table, const WriterOptions& options) {
  BTSTORE_RETURN_IF_ERROR(check_table(table, options));
  ColumnWriteOptions column_options;
  column_options.codec = options.codec;
  FileMetaData footer = make_footer(table, options);
  const auto group_rows = static_cast<size_t>(options.row_group_size);
  const size_t groups = (table.num_rows + group_rows - 1) / group_rows;
  // Each row group is encoded into a buffer of its own, so several can be encoded at once.
  std::vector<std::string> bytes(groups);
  std::vector<RowGroup> meta(groups);
  BTSTORE_RETURN_IF_ERROR(
      run_parallel(groups, threads_for(options.threads, groups), [&](size_t g) -> Status {
        const size_t begin = g * group_rows;
        const size_t end = std::min(table.num_rows, begin + group_rows);
        BTSTORE_ASSIGN_OR_RETURN(meta[g],
                                 write_row_group(table, begin, end, column_options, bytes[g]));
        return Status::OK();
      }));
  size_t total = kMagic.size();
  for (const std::string& b : bytes) total += b.size();
  std::string file;
  file.reserve(total + (size_t{64} << 10));
  file.append(kMagic);
  // RowGroup.ordinal is an i16: written only when every group's ordinal fits.
  const bool with_ordinals = groups <= static_cast<size_t>(std::numeric_limits<int16_t>::max()) + 1;
  for (size_t g = 0; g < groups; ++g) {
    shift_offsets(meta[g], static_cast<int64_t>(file.size()));
    file.append(bytes[g]);
    std::string().swap(bytes[g]);
    if (with_ordinals) meta[g].ordinal = static_cast<int16_t>(g);
    footer.row_groups.push_back(std::move(meta[g]));
  }
  const std::string encoded = serialize_file_metadata(footer);
  file.append(encoded);
  put_fixed32(static_cast<uint32_t>(encoded.size()), file);
  file.append(kMagic);
  return file;
}

}  // namespace btstore::parquet
