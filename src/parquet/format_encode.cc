// Compact-protocol encoders for the structs of format.h. Field ids are those of parquet.thrift;
// fields are written in ascending id order and optional fields only when set.
#include "parquet/format.h"

namespace btstore::parquet {
namespace {

using thrift::CompactWriter;
using thrift::CType;

template <typename E>
int32_t raw(E e) {
  return static_cast<int32_t>(e);
}

void encode_key_values(CompactWriter& w, int16_t id, const std::vector<KeyValue>& kvs) {
  w.field_list_begin(id, CType::kStruct, static_cast<uint32_t>(kvs.size()));
  for (const KeyValue& kv : kvs) encode(w, kv);
}

// An empty struct as a union member or annotation: header plus STOP.
void empty_struct_field(CompactWriter& w, int16_t id) {
  w.field_struct_begin(id);
  w.end_struct();
}

}  // namespace

void encode(CompactWriter& w, const LogicalType& v) {
  using Kind = LogicalType::Kind;
  w.begin_struct();
  const auto id = static_cast<int16_t>(v.kind);
  w.field_struct_begin(id);
  switch (v.kind) {
    case Kind::kTime:
    case Kind::kTimestamp:
      w.field_bool(1, v.is_adjusted_to_utc);
      w.field_struct_begin(2);  // TimeUnit union
      empty_struct_field(w, static_cast<int16_t>(v.unit));
      w.end_struct();
      break;
    case Kind::kInteger:
      w.field_byte(1, v.bit_width);
      w.field_bool(2, v.is_signed);
      break;
    case Kind::kDecimal:
      w.field_i32(1, v.scale);
      w.field_i32(2, v.precision);
      break;
    default: break;  // the other annotations are empty structs (or fields we do not write)
  }
  w.end_struct();
  w.end_struct();
}

void encode(CompactWriter& w, const SchemaElement& v) {
  w.begin_struct();
  if (v.type) w.field_i32(1, raw(*v.type));
  if (v.type_length) w.field_i32(2, *v.type_length);
  if (v.repetition_type) w.field_i32(3, raw(*v.repetition_type));
  w.field_binary(4, v.name);
  if (v.num_children) w.field_i32(5, *v.num_children);
  if (v.converted_type) w.field_i32(6, raw(*v.converted_type));
  if (v.scale) w.field_i32(7, *v.scale);
  if (v.precision) w.field_i32(8, *v.precision);
  if (v.field_id) w.field_i32(9, *v.field_id);
  if (v.logical_type) {
    w.field_struct_header(10);
    encode(w, *v.logical_type);
  }
  w.end_struct();
}

void encode(CompactWriter& w, const Statistics& v) {
  w.begin_struct();
  if (v.max) w.field_binary(1, *v.max);
  if (v.min) w.field_binary(2, *v.min);
  if (v.null_count) w.field_i64(3, *v.null_count);
  if (v.distinct_count) w.field_i64(4, *v.distinct_count);
  if (v.max_value) w.field_binary(5, *v.max_value);
  if (v.min_value) w.field_binary(6, *v.min_value);
  if (v.is_max_value_exact) w.field_bool(7, *v.is_max_value_exact);
  if (v.is_min_value_exact) w.field_bool(8, *v.is_min_value_exact);
  if (v.nan_count) w.field_i64(9, *v.nan_count);
  w.end_struct();
}

void encode(CompactWriter& w, const KeyValue& v) {
  w.begin_struct();
  w.field_binary(1, v.key);
  if (v.value) w.field_binary(2, *v.value);
  w.end_struct();
}

void encode(CompactWriter& w, const ColumnMetaData& v) {
  w.begin_struct();
  w.field_i32(1, raw(v.type));
  w.field_list_begin(2, CType::kI32, static_cast<uint32_t>(v.encodings.size()));
  for (Encoding e : v.encodings) w.write_i32(raw(e));
  w.field_list_begin(3, CType::kBinary, static_cast<uint32_t>(v.path_in_schema.size()));
  for (const std::string& p : v.path_in_schema) w.write_binary(p);
  w.field_i32(4, raw(v.codec));
  w.field_i64(5, v.num_values);
  w.field_i64(6, v.total_uncompressed_size);
  w.field_i64(7, v.total_compressed_size);
  if (!v.key_value_metadata.empty()) encode_key_values(w, 8, v.key_value_metadata);
  w.field_i64(9, v.data_page_offset);
  if (v.index_page_offset) w.field_i64(10, *v.index_page_offset);
  if (v.dictionary_page_offset) w.field_i64(11, *v.dictionary_page_offset);
  if (v.statistics) {
    w.field_struct_header(12);
    encode(w, *v.statistics);
  }
  w.end_struct();
}

void encode(CompactWriter& w, const ColumnChunk& v) {
  w.begin_struct();
  if (v.file_path) w.field_binary(1, *v.file_path);
  w.field_i64(2, v.file_offset);
  if (v.meta_data) {
    w.field_struct_header(3);
    encode(w, *v.meta_data);
  }
  w.end_struct();
}

void encode(CompactWriter& w, const RowGroup& v) {
  w.begin_struct();
  w.field_list_begin(1, CType::kStruct, static_cast<uint32_t>(v.columns.size()));
  for (const ColumnChunk& c : v.columns) encode(w, c);
  w.field_i64(2, v.total_byte_size);
  w.field_i64(3, v.num_rows);
  if (v.file_offset) w.field_i64(5, *v.file_offset);
  if (v.total_compressed_size) w.field_i64(6, *v.total_compressed_size);
  if (v.ordinal) w.field_i16(7, *v.ordinal);
  w.end_struct();
}

void encode(CompactWriter& w, const FileMetaData& v) {
  w.begin_struct();
  w.field_i32(1, v.version);
  w.field_list_begin(2, CType::kStruct, static_cast<uint32_t>(v.schema.size()));
  for (const SchemaElement& e : v.schema) encode(w, e);
  w.field_i64(3, v.num_rows);
  w.field_list_begin(4, CType::kStruct, static_cast<uint32_t>(v.row_groups.size()));
  for (const RowGroup& g : v.row_groups) encode(w, g);
  if (!v.key_value_metadata.empty()) encode_key_values(w, 5, v.key_value_metadata);
  if (v.created_by) w.field_binary(6, *v.created_by);
  if (!v.column_orders.empty()) {
    w.field_list_begin(7, CType::kStruct, static_cast<uint32_t>(v.column_orders.size()));
    for (ColumnOrder order : v.column_orders) {
      w.begin_struct();
      empty_struct_field(w, static_cast<int16_t>(order));
      w.end_struct();
    }
  }
  w.end_struct();
}

void encode(CompactWriter& w, const DataPageHeader& v) {
  w.begin_struct();
  w.field_i32(1, v.num_values);
  w.field_i32(2, raw(v.encoding));
  w.field_i32(3, raw(v.definition_level_encoding));
  w.field_i32(4, raw(v.repetition_level_encoding));
  if (v.statistics) {
    w.field_struct_header(5);
    encode(w, *v.statistics);
  }
  w.end_struct();
}

void encode(CompactWriter& w, const DictionaryPageHeader& v) {
  w.begin_struct();
  w.field_i32(1, v.num_values);
  w.field_i32(2, raw(v.encoding));
  if (v.is_sorted) w.field_bool(3, *v.is_sorted);
  w.end_struct();
}

void encode(CompactWriter& w, const DataPageHeaderV2& v) {
  w.begin_struct();
  w.field_i32(1, v.num_values);
  w.field_i32(2, v.num_nulls);
  w.field_i32(3, v.num_rows);
  w.field_i32(4, raw(v.encoding));
  w.field_i32(5, v.definition_levels_byte_length);
  w.field_i32(6, v.repetition_levels_byte_length);
  w.field_bool(7, v.is_compressed);
  if (v.statistics) {
    w.field_struct_header(8);
    encode(w, *v.statistics);
  }
  w.end_struct();
}

void encode(CompactWriter& w, const PageHeader& v) {
  w.begin_struct();
  w.field_i32(1, raw(v.type));
  w.field_i32(2, v.uncompressed_page_size);
  w.field_i32(3, v.compressed_page_size);
  if (v.crc) w.field_i32(4, *v.crc);
  if (v.data_page_header) {
    w.field_struct_header(5);
    encode(w, *v.data_page_header);
  }
  if (v.dictionary_page_header) {
    w.field_struct_header(7);
    encode(w, *v.dictionary_page_header);
  }
  if (v.data_page_header_v2) {
    w.field_struct_header(8);
    encode(w, *v.data_page_header_v2);
  }
  w.end_struct();
}

std::string serialize_file_metadata(const FileMetaData& v) {
  std::string out;
  CompactWriter w(out);
  encode(w, v);
  return out;
}

std::string serialize_page_header(const PageHeader& v) {
  std::string out;
  CompactWriter w(out);
  encode(w, v);
  return out;
}

}  // namespace btstore::parquet
