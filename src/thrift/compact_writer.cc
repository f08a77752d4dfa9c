#include "thrift/compact_writer.h"

#include <bit>

#include "common/coding.h"

namespace btstore::thrift {

void CompactWriter::begin_struct() {
  stack_.push_back(last_id_);
  last_id_ = 0;
}

void CompactWriter::end_struct() {
  out_.push_back(static_cast<char>(CType::kStop));
  last_id_ = stack_.empty() ? 0 : stack_.back();
  if (!stack_.empty()) stack_.pop_back();
}

// Short form: (delta << 4) | type when the id grows by 1..15; otherwise the type byte
// followed by the id as a zigzag varint.
void CompactWriter::field_header(int16_t id, CType type) {
  const int delta = static_cast<int>(id) - static_cast<int>(last_id_);
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    write_i16(id);
  }
  last_id_ = id;
}

void CompactWriter::field_bool(int16_t id, bool v) {
  field_header(id, v ? CType::kBoolTrue : CType::kBoolFalse);
}

void CompactWriter::field_byte(int16_t id, int8_t v) {
  field_header(id, CType::kByte);
  write_byte(v);
}

void CompactWriter::field_i16(int16_t id, int16_t v) {
  field_header(id, CType::kI16);
  write_i16(v);
}

void CompactWriter::field_i32(int16_t id, int32_t v) {
  field_header(id, CType::kI32);
  write_i32(v);
}

void CompactWriter::field_i64(int16_t id, int64_t v) {
  field_header(id, CType::kI64);
  write_i64(v);
}

void CompactWriter::field_double(int16_t id, double v) {
  field_header(id, CType::kDouble);
  write_double(v);
}

void CompactWriter::field_binary(int16_t id, std::string_view v) {
  field_header(id, CType::kBinary);
  write_binary(v);
}

void CompactWriter::field_struct_begin(int16_t id) {
  field_header(id, CType::kStruct);
  begin_struct();
}

void CompactWriter::field_list_begin(int16_t id, CType element_type, uint32_t size) {
  field_header(id, CType::kList);
  list_begin(element_type, size);
}

// Sizes below 15 share the byte with the element type; larger ones follow as a varint.
void CompactWriter::list_begin(CType element_type, uint32_t size) {
  const int type = static_cast<int>(element_type);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | type));
  } else {
    out_.push_back(static_cast<char>(0xF0 | type));
    put_uleb128(size, out_);
  }
}

void CompactWriter::write_bool(bool v) { out_.push_back(v ? 1 : 2); }

void CompactWriter::write_byte(int8_t v) { out_.push_back(static_cast<char>(v)); }

void CompactWriter::write_i16(int16_t v) { put_uleb128(zigzag_encode(v), out_); }

void CompactWriter::write_i32(int32_t v) { put_uleb128(zigzag_encode(v), out_); }

void CompactWriter::write_i64(int64_t v) { put_uleb128(zigzag_encode(v), out_); }

void CompactWriter::write_double(double v) { put_fixed64(std::bit_cast<uint64_t>(v), out_); }

void CompactWriter::write_binary(std::string_view v) {
  put_uleb128(v.size(), out_);
  out_.append(v);
}

}  // namespace btstore::thrift
