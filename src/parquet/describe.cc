#include "parquet/describe.h"

#include "parquet/file_reader.h"
#include "parquet/schema_check.h"
#include "parquet/statistics.h"

namespace btstore::parquet {
namespace {

void describe_schema(const FileMetaData& md, std::string& out) {
  out += "schema (root '" + md.schema[0].name + "', " + std::to_string(md.schema.size() - 1) +
         " columns):\n";
  for (size_t i = 1; i < md.schema.size(); ++i) {
    const SchemaElement& e = md.schema[i];
    out += "  " + e.name + ": " + repetition_name(*e.repetition_type) + " " + type_name(*e.type);
    if (e.type == Type::kFixedLenByteArray) out += "(" + std::to_string(*e.type_length) + ")";
    if (e.logical_type) out += ", logical " + logical_type_name(*e.logical_type);
    if (e.converted_type) out += ", converted " + converted_type_name(*e.converted_type);
    out += "  [" + arrow_type_name(e) + "]\n";
  }
}

std::string encodings_text(const std::vector<Encoding>& encodings) {
  std::string out;
  for (Encoding e : encodings) out += (out.empty() ? "" : ", ") + encoding_name(e);
  return out;
}

void describe_statistics(const SchemaElement& leaf, const Statistics& s, std::string& out) {
  // min_value/max_value follow the column order; the legacy min/max are signed-order and
  // only meaningful for types where that order is the type's order.
  const std::optional<std::string>& min = s.min_value ? s.min_value : s.min;
  const std::optional<std::string>& max = s.max_value ? s.max_value : s.max;
  out += "      statistics:";
  if (min) out += " min " + format_stat_value(leaf, *min) + (s.min_value ? "" : " (legacy)");
  if (max) out += ", max " + format_stat_value(leaf, *max) + (s.max_value ? "" : " (legacy)");
  if (s.null_count) out += ", null_count " + std::to_string(*s.null_count);
  if (s.nan_count) out += ", nan_count " + std::to_string(*s.nan_count);
  if (s.distinct_count) out += ", distinct_count " + std::to_string(*s.distinct_count);
  out += "\n";
}

void describe_chunk(const SchemaElement& leaf, const ColumnMetaData& md, std::string& out) {
  out += "    " + leaf.name + ": " + std::string(codec_name(md.codec)) + ", encodings [" +
         encodings_text(md.encodings) + "], " + std::to_string(md.num_values) + " values, " +
         std::to_string(md.total_compressed_size) + " bytes compressed / " +
         std::to_string(md.total_uncompressed_size) + " uncompressed, data page at " +
         std::to_string(md.data_page_offset);
  if (md.dictionary_page_offset) {
    out += ", dictionary page at " + std::to_string(*md.dictionary_page_offset);
  }
  out += "\n";
  if (md.statistics) describe_statistics(leaf, *md.statistics, out);
}

}  // namespace

Result<std::string> describe_file(std::string_view bytes, std::string_view file_name) {
  BTSTORE_ASSIGN_OR_RETURN(FileReader reader, FileReader::open(bytes, std::string(file_name)));
  const FileMetaData& md = reader.metadata();
  std::string out =
      "file: " + std::string(file_name) + " (" + std::to_string(bytes.size()) + " bytes)\n";
  out += "format version: " + std::to_string(md.version) + "\n";
  out += "created_by: " + md.created_by.value_or("(not set)") + "\n";
  out += "rows: " + std::to_string(md.num_rows) +
         ", row groups: " + std::to_string(md.row_groups.size()) + "\n";
  if (!md.key_value_metadata.empty()) {
    out += "key-value metadata:\n";
    for (const KeyValue& kv : md.key_value_metadata) {
      out += "  " + kv.key + " = " + kv.value.value_or("(null)") + "\n";
    }
  }
  describe_schema(md, out);
  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    const RowGroup& group = md.row_groups[g];
    out += "row group " + std::to_string(g) + ": " + std::to_string(group.num_rows) + " rows, " +
           std::to_string(group.total_byte_size) + " bytes uncompressed";
    if (group.total_compressed_size) {
      out += ", " + std::to_string(*group.total_compressed_size) + " compressed";
    }
    out += "\n";
    for (size_t c = 0; c < group.columns.size(); ++c) {
      describe_chunk(md.schema[c + 1], *group.columns[c].meta_data, out);
    }
  }
  return out;
}

}  // namespace btstore::parquet
