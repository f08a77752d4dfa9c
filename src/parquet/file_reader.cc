#include "parquet/file_reader.h"

#include <algorithm>

#include "common/coding.h"
#include "parquet/column_reader.h"
#include "parquet/footer_limits.h"

namespace btstore::parquet {
namespace {

constexpr size_t kMinFileBytes = 4 + kFooterTailBytes;  // magic, footer length, magic

std::string column_where(const SchemaElement& leaf, size_t group) {
  return "column '" + leaf.name + "' row group " + std::to_string(group);
}

// The bytes of a chunk: from its first page (the dictionary page when there is one) for
// total_compressed_size bytes. Some writers put 0 in dictionary_page_offset for "none".
void chunk_range(const ColumnMetaData& md, int64_t* start, int64_t* length) {
  *start = md.data_page_offset;
  if (md.dictionary_page_offset && *md.dictionary_page_offset > 0 &&
      *md.dictionary_page_offset < *start) {
    *start = *md.dictionary_page_offset;
  }
  *length = md.total_compressed_size;
}

Status check_leaf(const SchemaElement& e) {
  if (!e.type || (e.num_children && *e.num_children > 0)) {
    return Status::NotSupported("column '" + e.name +
                                "' is a nested group; btstore reads flat schemas only");
  }
  if (!e.repetition_type) {
    return Status::Corruption("column '" + e.name + "' has no repetition_type");
  }
  if (*e.repetition_type != FieldRepetitionType::kRequired &&
      *e.repetition_type != FieldRepetitionType::kOptional) {
    return Status::NotSupported("column '" + e.name + "' is " +
                                repetition_name(*e.repetition_type) +
                                "; btstore reads flat schemas only");
  }
  if (*e.type == Type::kFixedLenByteArray && e.type_length.value_or(0) <= 0) {
    return Status::Corruption("column '" + e.name + "' is FIXED_LEN_BYTE_ARRAY with type_length " +
                              std::to_string(e.type_length.value_or(0)));
  }
  return Status::OK();
}

Status check_schema(const FileMetaData& md) {
  if (md.schema.empty()) return Status::Corruption("footer has an empty schema");
  const SchemaElement& root = md.schema[0];
  if (root.type) return Status::Corruption("schema root '" + root.name + "' is not a group");
  for (size_t i = 1; i < md.schema.size(); ++i) BTSTORE_RETURN_IF_ERROR(check_leaf(md.schema[i]));
  const int64_t leaves = static_cast<int64_t>(md.schema.size()) - 1;
  if (root.num_children.value_or(0) != leaves) {
    return Status::Corruption("schema root claims " +
                              std::to_string(root.num_children.value_or(0)) +
                              " children, the schema lists " + std::to_string(leaves) + " columns");
  }
  return Status::OK();
}

Status check_chunk(const ColumnChunk& chunk, const SchemaElement& leaf, const RowGroup& group,
                   int64_t footer_start) {
  if (chunk.encrypted) return Status::NotSupported("encrypted column chunks are not supported");
  if (chunk.file_path) {
    return Status::NotSupported("column data in another file ('" + *chunk.file_path +
                                "') is not supported");
  }
  if (!chunk.meta_data) return Status::Corruption("column chunk without ColumnMetaData");
  const ColumnMetaData& md = *chunk.meta_data;
  if (md.type != *leaf.type) {
    return Status::Corruption("ColumnMetaData type " + type_name(md.type) +
                              " differs from the schema's " + type_name(*leaf.type));
  }
  if (md.path_in_schema.size() != 1 || md.path_in_schema[0] != leaf.name) {
    return Status::Corruption("path_in_schema does not name column '" + leaf.name + "'");
  }
  if (md.num_values != group.num_rows) {
    return Status::Corruption("column chunk holds " + std::to_string(md.num_values) +
                              " values, the row group has " + std::to_string(group.num_rows) +
                              " rows");
  }
  if (group.num_rows == 0) return Status::OK();  // never read; some writers leave offsets at 0
  int64_t start = 0, length = 0;
  chunk_range(md, &start, &length);
  const auto magic = static_cast<int64_t>(kMagic.size());
  if (start < magic || length < 0 || start > footer_start || length > footer_start - start) {
    return Status::Corruption("column chunk at offset " + std::to_string(start) + " of " +
                              std::to_string(length) + " bytes lies outside the data section [" +
                              std::to_string(magic) + ", " + std::to_string(footer_start) + ")");
  }
  if (md.total_uncompressed_size < 0) {
    return Status::Corruption("negative total_uncompressed_size " +
                              std::to_string(md.total_uncompressed_size));
  }
  return Status::OK();
}

Status check_row_groups(const FileMetaData& md, int64_t footer_start) {
  if (md.num_rows < 0)
    return Status::Corruption("negative num_rows " + std::to_string(md.num_rows));
  if (md.num_rows > kMaxRowsPerFile) {
    return Status::NotSupported("file has " + std::to_string(md.num_rows) +
                                " rows; btstore reads at most " + std::to_string(kMaxRowsPerFile));
  }
  const size_t leaves = md.schema.size() - 1;
  int64_t rows = 0;
  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    const RowGroup& group = md.row_groups[g];
    const std::string where = "row group " + std::to_string(g);
    if (group.num_rows < 0 || group.num_rows > md.num_rows - rows) {
      return Status::Corruption(where + " claims " + std::to_string(group.num_rows) +
                                " rows, more than the file's " + std::to_string(md.num_rows));
    }
    rows += group.num_rows;
    if (group.columns.size() != leaves) {
      return Status::Corruption(where + " has " + std::to_string(group.columns.size()) +
                                " column chunks, the schema has " + std::to_string(leaves) +
                                " columns");
    }
    for (size_t c = 0; c < leaves; ++c) {
      Status st = check_chunk(group.columns[c], md.schema[c + 1], group, footer_start);
      if (!st.ok()) return st.with_context(column_where(md.schema[c + 1], g));
    }
  }
  if (rows != md.num_rows) {
    return Status::Corruption("row groups hold " + std::to_string(rows) +
                              " rows, the footer says " + std::to_string(md.num_rows));
  }
  return Status::OK();
}

Result<FileMetaData> parse_footer(std::string_view bytes, int64_t* footer_start) {
  if (bytes.size() < kMinFileBytes) {
    return Status::Corruption("file is " + std::to_string(bytes.size()) +
                              " bytes, too small to be a Parquet file (at least " +
                              std::to_string(kMinFileBytes) + ")");
  }
  const std::string_view tail = bytes.substr(bytes.size() - kMagic.size());
  if (tail == kEncryptedMagic) {
    return Status::NotSupported("encrypted Parquet files (footer magic PARE) are not supported");
  }
  if (tail != kMagic || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::Corruption("not a Parquet file (no PAR1 magic at its start and end)");
  }
  const uint32_t length = decode_fixed32(bytes.data() + bytes.size() - kFooterTailBytes);
  if (length > bytes.size() - kMinFileBytes) {
    return Status::Corruption("footer length " + std::to_string(length) + " exceeds the " +
                              std::to_string(bytes.size() - kMinFileBytes) +
                              " bytes between the magic numbers");
  }
  *footer_start = static_cast<int64_t>(bytes.size() - kFooterTailBytes - length);
  FileMetaData md;
  Status st = parse_file_metadata(bytes.substr(*footer_start, length), &md);
  if (!st.ok()) return st.with_context("footer");
  if (md.encrypted) return Status::NotSupported("encrypted columns are not supported");
  return md;
}

template <typename V>
Status read_chunks(std::string_view bytes, const FileMetaData& md, int column,
                   std::vector<V>& values, std::vector<uint8_t>& defined) {
  const SchemaElement& leaf = md.schema[column + 1];
  ChunkSpec chunk;
  chunk.value = ValueSpec{*leaf.type, leaf.type_length.value_or(0)};
  chunk.optional = leaf.repetition_type == FieldRepetitionType::kOptional;
  // One allocation per column rather than one per doubling; check_decoded_size() bounds num_rows.
  values.reserve(static_cast<size_t>(std::max<int64_t>(md.num_rows, 0)));
  defined.reserve(static_cast<size_t>(std::max<int64_t>(md.num_rows, 0)));
  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    if (md.row_groups[g].num_rows == 0) continue;
    const ColumnMetaData& meta = *md.row_groups[g].columns[column].meta_data;
    int64_t start = 0, length = 0;
    chunk_range(meta, &start, &length);
    chunk.bytes = bytes.substr(static_cast<size_t>(start), static_cast<size_t>(length));
    chunk.meta_data = &meta;
    chunk.num_rows = md.row_groups[g].num_rows;
    Status st = read_column_chunk(chunk, values, defined);
    if (!st.ok()) return st.with_context(column_where(leaf, g));
  }
  return Status::OK();
}

template <typename V>
Status read_into(std::string_view bytes, const FileMetaData& md, int column, GenericColumn& out) {
  std::vector<V> values;
  BTSTORE_RETURN_IF_ERROR(read_chunks(bytes, md, column, values, out.defined));
  out.values = std::move(values);
  return Status::OK();
}

}  // namespace

Result<FileReader> FileReader::open(std::string_view bytes, std::string file_name) {
  int64_t footer_start = 0;
  auto md = parse_footer(bytes, &footer_start);
  if (!md.ok()) return md.status().with_context(file_name);
  Status st = check_schema(*md);
  if (st.ok()) st = check_row_groups(*md, footer_start);
  if (st.ok()) st = check_decoded_size(*md, bytes.size());
  if (!st.ok()) return st.with_context(file_name);
  return FileReader(bytes, std::move(file_name), std::move(md).value());
}

Result<GenericColumn> FileReader::read_column(int column_index) const {
  if (column_index < 0 || column_index >= num_columns()) {
    return Status::InvalidArgument(file_name_ + ": no column " + std::to_string(column_index) +
                                   " (the file has " + std::to_string(num_columns()) + ")");
  }
  const SchemaElement& leaf = column_schema(column_index);
  GenericColumn out;
  out.name = leaf.name;
  out.physical_type = *leaf.type;
  out.type_length = leaf.type_length.value_or(0);
  out.repetition = *leaf.repetition_type;
  out.logical_type = leaf.logical_type;
  out.converted_type = leaf.converted_type;
  Status st;
  switch (out.physical_type) {
    case Type::kBoolean: st = read_into<uint8_t>(bytes_, metadata_, column_index, out); break;
    case Type::kInt32: st = read_into<int32_t>(bytes_, metadata_, column_index, out); break;
    case Type::kInt64: st = read_into<int64_t>(bytes_, metadata_, column_index, out); break;
    case Type::kFloat: st = read_into<float>(bytes_, metadata_, column_index, out); break;
    case Type::kDouble: st = read_into<double>(bytes_, metadata_, column_index, out); break;
    case Type::kInt96:
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      st = read_into<std::string>(bytes_, metadata_, column_index, out);
      break;
  }
  if (!st.ok()) return st.with_context(file_name_);
  return out;
}

}  // namespace btstore::parquet
