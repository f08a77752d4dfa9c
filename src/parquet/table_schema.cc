#include "parquet/table_schema.h"

namespace btstore::parquet {

SchemaElement schema_element_for(const model::FieldSpec& field) {
  SchemaElement e;
  e.name = std::string(field.name);
  e.repetition_type = FieldRepetitionType::kOptional;
  switch (field.type) {
    case model::FieldType::kString:
      e.type = Type::kByteArray;
      e.logical_type = LogicalType::string();
      e.converted_type = ConvertedType::kUtf8;
      break;
    case model::FieldType::kDouble: e.type = Type::kDouble; break;
    case model::FieldType::kInt32: e.type = Type::kInt32; break;
    case model::FieldType::kTimestamp:
      e.type = Type::kInt64;
      e.logical_type = LogicalType::timestamp(false, TimeUnit::kMicros);
      break;
  }
  return e;
}

std::vector<SchemaElement> schema_for(model::TableKind kind) {
  const auto fields = model::table_fields(kind);
  std::vector<SchemaElement> schema;
  schema.reserve(fields.size() + 1);
  SchemaElement root;
  root.name = kRootName;
  root.num_children = static_cast<int32_t>(fields.size());
  schema.push_back(std::move(root));
  for (const model::FieldSpec& f : fields) schema.push_back(schema_element_for(f));
  return schema;
}

}  // namespace btstore::parquet
