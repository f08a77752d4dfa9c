#include "thrift/struct_reader.h"

namespace btstore::thrift {

Status StructReader::next(bool* more) {
  Status st = r_.read_field_header(&field_);
  if (!st.ok()) return st.with_context(name_);
  *more = field_.type != CType::kStop;
  if (!*more) {
    r_.end_struct();
  } else if (field_.id > 0 && field_.id < 64) {
    seen_ |= uint64_t{1} << field_.id;
  }
  return Status::OK();
}

Status StructReader::error(std::string_view field, std::string_view what) const {
  return Status::Corruption(std::string(name_) + "." + std::string(field) + ": " +
                            std::string(what));
}

Status StructReader::expect(std::string_view field, CType type) {
  const bool match = is_bool(type) ? is_bool(field_.type) : field_.type == type;
  if (match) return Status::OK();
  return error(field, "wire type " + std::string(ctype_name(field_.type)) + ", expected " +
                          std::string(ctype_name(type)));
}

Status StructReader::require(int16_t id, std::string_view field) const {
  if (seen(id)) return Status::OK();
  return error(field, "required field " + std::to_string(id) + " is missing");
}

Status StructReader::read(std::string_view field, bool* v) {
  BTSTORE_RETURN_IF_ERROR(expect(field, CType::kBoolTrue));
  *v = field_.bool_value();
  return Status::OK();
}

// The value reads below add the struct and field name to the reader's byte-level message.
#define BTSTORE_STRUCT_READ(wire, call)                                    \
  BTSTORE_RETURN_IF_ERROR(expect(field, wire));                            \
  if (Status st = (call); !st.ok()) {                                      \
    return st.with_context(std::string(name_) + "." + std::string(field)); \
  }                                                                        \
  return Status::OK()

Status StructReader::read(std::string_view field, int8_t* v) {
  BTSTORE_STRUCT_READ(CType::kByte, r_.read_byte(v));
}
Status StructReader::read(std::string_view field, int16_t* v) {
  BTSTORE_STRUCT_READ(CType::kI16, r_.read_i16(v));
}
Status StructReader::read(std::string_view field, int32_t* v) {
  BTSTORE_STRUCT_READ(CType::kI32, r_.read_i32(v));
}
Status StructReader::read(std::string_view field, int64_t* v) {
  BTSTORE_STRUCT_READ(CType::kI64, r_.read_i64(v));
}
Status StructReader::read(std::string_view field, double* v) {
  BTSTORE_STRUCT_READ(CType::kDouble, r_.read_double(v));
}
Status StructReader::read(std::string_view field, std::string* v) {
  BTSTORE_STRUCT_READ(CType::kBinary, r_.read_string(v));
}
Status StructReader::read(std::string_view field, std::string_view* v) {
  BTSTORE_STRUCT_READ(CType::kBinary, r_.read_binary(v));
}
Status StructReader::begin_list(std::string_view field, CType element_type, ListHeader* header) {
  BTSTORE_RETURN_IF_ERROR(expect(field, CType::kList));
  if (Status st = r_.read_list_header(header); !st.ok()) {
    return st.with_context(std::string(name_) + "." + std::string(field));
  }
  const bool match =
      is_bool(element_type) ? is_bool(header->element_type) : header->element_type == element_type;
  if (!match) {
    r_.end_container();
    return error(field, "list of " + std::string(ctype_name(header->element_type)) +
                            ", expected list of " + std::string(ctype_name(element_type)));
  }
  return Status::OK();
}

#undef BTSTORE_STRUCT_READ

}  // namespace btstore::thrift
