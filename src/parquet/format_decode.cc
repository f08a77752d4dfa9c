// Compact-protocol decoders for the structs of format.h. Unknown fields are skipped (newer
// writers add fields); known fields must have the spec's wire type, enums must be in range and
// required fields present, otherwise the footer or page header is reported as corrupt.
#include <string>

#include "parquet/format_decode_util.h"

namespace btstore::parquet {
using namespace detail;  // NOLINT(google-build-using-namespace): decoder helpers

namespace {

Status read_encoding_list(StructReader& s, std::string_view field, std::vector<Encoding>* out) {
  ListHeader list;
  BTSTORE_RETURN_IF_ERROR(s.begin_list(field, CType::kI32, &list));
  out->clear();
  for (uint32_t i = 0; i < list.size; ++i) {
    int32_t v = 0;
    BTSTORE_RETURN_IF_ERROR(s.reader().read_i32(&v));
    if (v < 0 || v > kMaxEncoding) {
      return s.error(field, std::to_string(v) + " is not a valid Encoding");
    }
    out->push_back(static_cast<Encoding>(v));
  }
  s.reader().end_container();
  return Status::OK();
}

Status read_string_list(StructReader& s, std::string_view field, std::vector<std::string>* out) {
  ListHeader list;
  BTSTORE_RETURN_IF_ERROR(s.begin_list(field, CType::kBinary, &list));
  out->clear();
  for (uint32_t i = 0; i < list.size; ++i) {
    std::string v;
    BTSTORE_RETURN_IF_ERROR(s.reader().read_string(&v));
    out->push_back(std::move(v));
  }
  s.reader().end_container();
  return Status::OK();
}

// Reads a union: exactly one member, returned by id; `member` decodes a known member.
template <typename Fn>
Status read_union(CompactReader& r, std::string_view name, int16_t* id, Fn&& member) {
  StructReader s(r, name);
  BTSTORE_RETURN_IF_ERROR(s.begin());
  int members = 0;
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    if (++members > 1) return Status::Corruption(std::string(name) + ": union has two members");
    *id = s.id();
    BTSTORE_RETURN_IF_ERROR(member(s));
  }
  if (members == 0) return Status::Corruption(std::string(name) + ": union has no member set");
  return Status::OK();
}

Status decode_time_unit(CompactReader& r, TimeUnit* unit) {
  int16_t id = 0;
  BTSTORE_RETURN_IF_ERROR(read_union(r, "TimeUnit", &id, [](StructReader& s) {
    if (s.id() < 1 || s.id() > 3)
      return s.error("unit", "unknown time unit " + std::to_string(s.id()));
    BTSTORE_RETURN_IF_ERROR(s.expect_struct("unit"));
    return s.skip();
  }));
  *unit = static_cast<TimeUnit>(id);
  return Status::OK();
}

// TimestampType and TimeType: 1: required bool isAdjustedToUTC, 2: required TimeUnit unit.
Status decode_time_params(CompactReader& r, std::string_view name, LogicalType* v) {
  StructReader s(r, name);
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    if (s.id() == 1) {
      BTSTORE_RETURN_IF_ERROR(s.read("isAdjustedToUTC", &v->is_adjusted_to_utc));
    } else if (s.id() == 2) {
      BTSTORE_RETURN_IF_ERROR(s.expect_struct("unit"));
      BTSTORE_RETURN_IF_ERROR(decode_time_unit(r, &v->unit));
    } else {
      BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "isAdjustedToUTC"));
  return s.require(2, "unit");
}

Status decode_int_params(CompactReader& r, LogicalType* v) {
  StructReader s(r, "IntType");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    if (s.id() == 1) {
      BTSTORE_RETURN_IF_ERROR(s.read("bitWidth", &v->bit_width));
    } else if (s.id() == 2) {
      BTSTORE_RETURN_IF_ERROR(s.read("isSigned", &v->is_signed));
    } else {
      BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "bitWidth"));
  return s.require(2, "isSigned");
}

Status decode_decimal_params(CompactReader& r, LogicalType* v) {
  StructReader s(r, "DecimalType");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    if (s.id() == 1) {
      BTSTORE_RETURN_IF_ERROR(s.read("scale", &v->scale));
    } else if (s.id() == 2) {
      BTSTORE_RETURN_IF_ERROR(s.read("precision", &v->precision));
    } else {
      BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "scale"));
  return s.require(2, "precision");
}

}  // namespace

Status decode(CompactReader& r, LogicalType* v) {
  using Kind = LogicalType::Kind;
  *v = LogicalType{};
  int16_t id = 0;
  BTSTORE_RETURN_IF_ERROR(read_union(r, "LogicalType", &id, [&](StructReader& s) {
    BTSTORE_RETURN_IF_ERROR(s.expect_struct("member"));
    switch (static_cast<Kind>(s.id())) {
      case Kind::kTimestamp: return decode_time_params(r, "TimestampType", v);
      case Kind::kTime: return decode_time_params(r, "TimeType", v);
      case Kind::kInteger: return decode_int_params(r, v);
      case Kind::kDecimal: return decode_decimal_params(r, v);
      default: return s.skip();  // empty or uninterpreted annotation
    }
  }));
  v->kind = static_cast<Kind>(id);
  return Status::OK();
}

Status decode(CompactReader& r, SchemaElement* v) {
  StructReader s(r, "SchemaElement");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1:
        BTSTORE_RETURN_IF_ERROR(read_enum(s, "type", kMaxType, "Type", &v->type.emplace()));
        break;
      case 2: BTSTORE_RETURN_IF_ERROR(s.read("type_length", &v->type_length.emplace())); break;
      case 3:
        BTSTORE_RETURN_IF_ERROR(read_enum(s, "repetition_type", kMaxRepetition,
                                          "FieldRepetitionType", &v->repetition_type.emplace()));
        break;
      case 4: BTSTORE_RETURN_IF_ERROR(s.read("name", &v->name)); break;
      case 5: BTSTORE_RETURN_IF_ERROR(s.read("num_children", &v->num_children.emplace())); break;
      case 6:
        BTSTORE_RETURN_IF_ERROR(read_enum(s, "converted_type", kMaxConverted, "ConvertedType",
                                          &v->converted_type.emplace()));
        break;
      case 7: BTSTORE_RETURN_IF_ERROR(s.read("scale", &v->scale.emplace())); break;
      case 8: BTSTORE_RETURN_IF_ERROR(s.read("precision", &v->precision.emplace())); break;
      case 9: BTSTORE_RETURN_IF_ERROR(s.read("field_id", &v->field_id.emplace())); break;
      case 10:
        BTSTORE_RETURN_IF_ERROR(read_optional_struct(s, "logicalType", &v->logical_type));
        break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  return s.require(4, "name");
}

Status decode(CompactReader& r, Statistics* v) {
  StructReader s(r, "Statistics");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("max", &v->max.emplace())); break;
      case 2: BTSTORE_RETURN_IF_ERROR(s.read("min", &v->min.emplace())); break;
      case 3: BTSTORE_RETURN_IF_ERROR(s.read("null_count", &v->null_count.emplace())); break;
      case 4:
        BTSTORE_RETURN_IF_ERROR(s.read("distinct_count", &v->distinct_count.emplace()));
        break;
      case 5: BTSTORE_RETURN_IF_ERROR(s.read("max_value", &v->max_value.emplace())); break;
      case 6: BTSTORE_RETURN_IF_ERROR(s.read("min_value", &v->min_value.emplace())); break;
      case 7:
        BTSTORE_RETURN_IF_ERROR(s.read("is_max_value_exact", &v->is_max_value_exact.emplace()));
        break;
      case 8:
        BTSTORE_RETURN_IF_ERROR(s.read("is_min_value_exact", &v->is_min_value_exact.emplace()));
        break;
      case 9: BTSTORE_RETURN_IF_ERROR(s.read("nan_count", &v->nan_count.emplace())); break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  return Status::OK();
}

Status decode(CompactReader& r, KeyValue* v) {
  StructReader s(r, "KeyValue");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("key", &v->key)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(s.read("value", &v->value.emplace())); break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  return s.require(1, "key");
}

Status decode(CompactReader& r, ColumnMetaData* v) {
  StructReader s(r, "ColumnMetaData");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(read_enum(s, "type", kMaxType, "Type", &v->type)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(read_encoding_list(s, "encodings", &v->encodings)); break;
      case 3:
        BTSTORE_RETURN_IF_ERROR(read_string_list(s, "path_in_schema", &v->path_in_schema));
        break;
      case 4:
        BTSTORE_RETURN_IF_ERROR(read_enum(s, "codec", kMaxCodec, "CompressionCodec", &v->codec));
        break;
      case 5: BTSTORE_RETURN_IF_ERROR(s.read("num_values", &v->num_values)); break;
      case 6:
        BTSTORE_RETURN_IF_ERROR(s.read("total_uncompressed_size", &v->total_uncompressed_size));
        break;
      case 7:
        BTSTORE_RETURN_IF_ERROR(s.read("total_compressed_size", &v->total_compressed_size));
        break;
      case 8:
        BTSTORE_RETURN_IF_ERROR(read_struct_list(s, "key_value_metadata", &v->key_value_metadata));
        break;
      case 9: BTSTORE_RETURN_IF_ERROR(s.read("data_page_offset", &v->data_page_offset)); break;
      case 10:
        BTSTORE_RETURN_IF_ERROR(s.read("index_page_offset", &v->index_page_offset.emplace()));
        break;
      case 11:
        BTSTORE_RETURN_IF_ERROR(
            s.read("dictionary_page_offset", &v->dictionary_page_offset.emplace()));
        break;
      case 12:
        BTSTORE_RETURN_IF_ERROR(read_optional_struct(s, "statistics", &v->statistics));
        break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  constexpr std::pair<int16_t, std::string_view> kRequired[] = {{1, "type"},
                                                                {2, "encodings"},
                                                                {3, "path_in_schema"},
                                                                {4, "codec"},
                                                                {5, "num_values"},
                                                                {6, "total_uncompressed_size"},
                                                                {7, "total_compressed_size"},
                                                                {9, "data_page_offset"}};
  for (const auto& [id, name] : kRequired) BTSTORE_RETURN_IF_ERROR(s.require(id, name));
  return Status::OK();
}

Status decode(CompactReader& r, ColumnChunk* v) {
  StructReader s(r, "ColumnChunk");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("file_path", &v->file_path.emplace())); break;
      case 2: BTSTORE_RETURN_IF_ERROR(s.read("file_offset", &v->file_offset)); break;
      case 3: BTSTORE_RETURN_IF_ERROR(read_optional_struct(s, "meta_data", &v->meta_data)); break;
      case 8:
      case 9:
        v->encrypted = true;
        BTSTORE_RETURN_IF_ERROR(s.skip());
        break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  return Status::OK();
}

Status decode(CompactReader& r, RowGroup* v) {
  StructReader s(r, "RowGroup");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(read_struct_list(s, "columns", &v->columns)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(s.read("total_byte_size", &v->total_byte_size)); break;
      case 3: BTSTORE_RETURN_IF_ERROR(s.read("num_rows", &v->num_rows)); break;
      case 5: BTSTORE_RETURN_IF_ERROR(s.read("file_offset", &v->file_offset.emplace())); break;
      case 6:
        BTSTORE_RETURN_IF_ERROR(
            s.read("total_compressed_size", &v->total_compressed_size.emplace()));
        break;
      case 7: BTSTORE_RETURN_IF_ERROR(s.read("ordinal", &v->ordinal.emplace())); break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "columns"));
  BTSTORE_RETURN_IF_ERROR(s.require(2, "total_byte_size"));
  return s.require(3, "num_rows");
}

namespace {

Status read_column_orders(StructReader& s, std::vector<ColumnOrder>* out) {
  ListHeader list;
  BTSTORE_RETURN_IF_ERROR(s.begin_list("column_orders", CType::kStruct, &list));
  out->clear();
  for (uint32_t i = 0; i < list.size; ++i) {
    int16_t id = 0;
    BTSTORE_RETURN_IF_ERROR(
        read_union(s.reader(), "ColumnOrder", &id, [](StructReader& m) { return m.skip(); }));
    out->push_back(static_cast<ColumnOrder>(id));
  }
  s.reader().end_container();
  return Status::OK();
}

}  // namespace

Status decode(CompactReader& r, FileMetaData* v) {
  StructReader s(r, "FileMetaData");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("version", &v->version)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(read_struct_list(s, "schema", &v->schema)); break;
      case 3: BTSTORE_RETURN_IF_ERROR(s.read("num_rows", &v->num_rows)); break;
      case 4: BTSTORE_RETURN_IF_ERROR(read_struct_list(s, "row_groups", &v->row_groups)); break;
      case 5:
        BTSTORE_RETURN_IF_ERROR(read_struct_list(s, "key_value_metadata", &v->key_value_metadata));
        break;
      case 6: BTSTORE_RETURN_IF_ERROR(s.read("created_by", &v->created_by.emplace())); break;
      case 7: BTSTORE_RETURN_IF_ERROR(read_column_orders(s, &v->column_orders)); break;
      case 8:
        v->encrypted = true;
        BTSTORE_RETURN_IF_ERROR(s.skip());
        break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "version"));
  BTSTORE_RETURN_IF_ERROR(s.require(2, "schema"));
  BTSTORE_RETURN_IF_ERROR(s.require(3, "num_rows"));
  return s.require(4, "row_groups");
}

Status parse_file_metadata(std::string_view in, FileMetaData* v) {
  CompactReader r(in);
  *v = FileMetaData{};
  BTSTORE_RETURN_IF_ERROR(decode(r, v));
  if (r.remaining() != 0) {
    return Status::Corruption("FileMetaData: " + std::to_string(r.remaining()) +
                              " bytes after the end of the footer struct");
  }
  return Status::OK();
}

}  // namespace btstore::parquet
