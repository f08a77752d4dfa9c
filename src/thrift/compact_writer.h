// Encoder for the Thrift compact protocol. It writes exactly what it is told and knows
// nothing about the structs it encodes; callers emit fields in ascending id order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "thrift/compact_types.h"

namespace btstore::thrift {

class CompactWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit CompactWriter(std::string& out) : out_(out) {}

  // A struct is begin_struct(), its fields, end_struct() (which writes the STOP byte).
  // Use these for a top-level struct or a struct that is a list element.
  void begin_struct();
  void end_struct();

  // Fields of the innermost open struct.
  void field_bool(int16_t id, bool v);  // the value travels in the field header
  void field_byte(int16_t id, int8_t v);
  void field_i16(int16_t id, int16_t v);
  void field_i32(int16_t id, int32_t v);
  void field_i64(int16_t id, int64_t v);
  void field_double(int16_t id, double v);
  void field_binary(int16_t id, std::string_view v);
  // A struct-valued field: the header, then begin_struct(); close it with end_struct().
  void field_struct_begin(int16_t id);
  // Only the header of a struct-valued field; the value follows as begin_struct() ... end_struct().
  void field_struct_header(int16_t id) { field_header(id, CType::kStruct); }
  // A list-valued field: the header and the list header; then write `size` elements.
  void field_list_begin(int16_t id, CType element_type, uint32_t size);

  // Bare values: list elements (and the payload of the field_* calls above).
  void list_begin(CType element_type, uint32_t size);
  void write_bool(bool v);  // list element: 1 = true, 2 = false
  void write_byte(int8_t v);
  void write_i16(int16_t v);
  void write_i32(int32_t v);
  void write_i64(int64_t v);
  void write_double(double v);
  void write_binary(std::string_view v);

 private:
  void field_header(int16_t id, CType type);

  std::string& out_;
  int16_t last_id_ = 0;
  std::vector<int16_t> stack_;  // last field id of each enclosing struct
};

}  // namespace btstore::thrift
