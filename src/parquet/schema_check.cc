#include "parquet/schema_check.h"

namespace btstore::parquet {
namespace {

using Kind = LogicalType::Kind;

std::string unit_suffix(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis: return "ms";
    case TimeUnit::kMicros: return "us";
    case TimeUnit::kNanos: return "ns";
  }
  return "?";
}

std::string integer_name(int bits, bool is_signed) {
  return (is_signed ? "int" : "uint") + std::to_string(bits);
}

// Name from the logical type (or the converted type when there is none); empty if neither.
std::string annotated_name(const SchemaElement& e) {
  if (e.logical_type) {
    const LogicalType& t = *e.logical_type;
    switch (t.kind) {
      case Kind::kString: return "string";
      case Kind::kTimestamp:
        return "timestamp[" + unit_suffix(t.unit) + (t.is_adjusted_to_utc ? ", tz=UTC]" : "]");
      case Kind::kInteger: return integer_name(t.bit_width, t.is_signed);
      case Kind::kDate: return "date32";
      case Kind::kDecimal:
        return "decimal(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
      case Kind::kTime: return "time[" + unit_suffix(t.unit) + "]";
      default: return type_name(*e.type) + " (" + logical_type_name(t) + ")";
    }
  }
  if (!e.converted_type) return "";
  switch (*e.converted_type) {
    case ConvertedType::kUtf8: return "string";
    case ConvertedType::kTimestampMillis: return "timestamp[ms, tz=UTC]";
    case ConvertedType::kTimestampMicros: return "timestamp[us, tz=UTC]";
    case ConvertedType::kInt32: return "int32";
    case ConvertedType::kInt64: return "int64";
    case ConvertedType::kDate: return "date32";
    default: return type_name(*e.type) + " (" + converted_type_name(*e.converted_type) + ")";
  }
}

bool is_string(const SchemaElement& e) {
  if (*e.type != Type::kByteArray) return false;
  if (e.logical_type) return e.logical_type->kind == Kind::kString;
  return e.converted_type == ConvertedType::kUtf8;
}

bool is_plain_int32(const SchemaElement& e) {
  if (*e.type != Type::kInt32) return false;
  if (e.logical_type) {
    return e.logical_type->kind == Kind::kInteger && e.logical_type->bit_width == 32 &&
           e.logical_type->is_signed;
  }
  return !e.converted_type || *e.converted_type == ConvertedType::kInt32;
}

bool is_timestamp(const SchemaElement& e) {
  if (*e.type != Type::kInt64) return false;
  if (e.logical_type) return e.logical_type->kind == Kind::kTimestamp;
  return e.converted_type == ConvertedType::kTimestampMillis ||
         e.converted_type == ConvertedType::kTimestampMicros;
}

bool matches(const SchemaElement& e, model::FieldType type) {
  switch (type) {
    case model::FieldType::kString: return is_string(e);
    case model::FieldType::kDouble: return *e.type == Type::kDouble && !e.logical_type;
    case model::FieldType::kInt32: return is_plain_int32(e);
    case model::FieldType::kTimestamp: return is_timestamp(e);
  }
  return false;
}

}  // namespace

std::string arrow_type_name(const SchemaElement& leaf) {
  if (!leaf.type) return "group";
  if (std::string name = annotated_name(leaf); !name.empty()) return name;
  switch (*leaf.type) {
    case Type::kBoolean: return "bool";
    case Type::kInt32: return "int32";
    case Type::kInt64: return "int64 (no logical type)";
    case Type::kInt96: return "int96 (legacy timestamp)";
    case Type::kFloat: return "float";
    case Type::kDouble: return "double";
    case Type::kByteArray: return "binary (no logical type)";
    case Type::kFixedLenByteArray:
      return "fixed_size_binary[" + std::to_string(leaf.type_length.value_or(0)) + "]";
  }
  return type_name(*leaf.type);
}

Status check_field(const SchemaElement& leaf, const model::FieldSpec& expected) {
  if (leaf.type && matches(leaf, expected.type)) return Status::OK();
  return Status::Corruption("field '" + leaf.name + "' is " + arrow_type_name(leaf) +
                            ", expected " + std::string(model::field_type_name(expected.type)));
}

Status check_table_schema(const FileMetaData& metadata, model::TableKind kind) {
  const auto fields = model::table_fields(kind);
  const size_t columns = metadata.schema.empty() ? 0 : metadata.schema.size() - 1;
  std::string expected_names;
  for (const auto& f : fields) {
    expected_names += (expected_names.empty() ? "" : ", ") + std::string(f.name);
  }
  if (columns != fields.size()) {
    return Status::Corruption("the file has " + std::to_string(columns) + " fields, " +
                              std::string(model::table_name(kind)) + " has " +
                              std::to_string(fields.size()) + " (" + expected_names + ")");
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const SchemaElement& leaf = metadata.schema[i + 1];
    if (leaf.name != fields[i].name) {
      return Status::Corruption("field " + std::to_string(i) + " is '" + leaf.name +
                                "', expected '" + std::string(fields[i].name) +
                                "' (fields: " + expected_names + ")");
    }
    BTSTORE_RETURN_IF_ERROR(check_field(leaf, fields[i]));
  }
  return Status::OK();
}

TimeUnit timestamp_unit(const SchemaElement& leaf) {
  if (leaf.logical_type) return leaf.logical_type->unit;
  return leaf.converted_type == ConvertedType::kTimestampMillis ? TimeUnit::kMillis
                                                                : TimeUnit::kMicros;
}

}  // namespace btstore::parquet
