#include "thrift/compact_reader.h"

#include <bit>
#include <limits>

#include "common/coding.h"

namespace btstore::thrift {
namespace {

bool valid_type(uint8_t code) { return code <= static_cast<uint8_t>(CType::kStruct); }

}  // namespace

Status CompactReader::error(std::string_view what) const {
  return Status::Corruption("thrift: " + std::string(what) + " at byte " + std::to_string(pos_));
}

Status CompactReader::enter() {
  if (depth_ >= limits_.max_depth) {
    return error("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
  }
  ++depth_;
  return Status::OK();
}

Status CompactReader::begin_struct() {
  BTSTORE_RETURN_IF_ERROR(enter());
  stack_.push_back(last_id_);
  last_id_ = 0;
  return Status::OK();
}

void CompactReader::end_struct() {
  --depth_;
  last_id_ = stack_.empty() ? 0 : stack_.back();
  if (!stack_.empty()) stack_.pop_back();
}

Status CompactReader::read_varint(uint64_t* v, std::string_view what) {
  std::string_view rest = in_.substr(pos_);
  const size_t before = rest.size();
  if (!get_uleb128(rest, v)) {
    return error(rest.size() < kMaxVarint64Bytes
                     ? "truncated or overlong varint in " + std::string(what)
                     : "malformed varint in " + std::string(what));
  }
  pos_ += before - rest.size();
  return Status::OK();
}

// Short form: high nibble = id delta (1..15), low nibble = type; delta 0 means the id
// follows as a zigzag i16.
Status CompactReader::read_field_header(FieldHeader* header) {
  if (pos_ >= in_.size()) return error("input ends inside a struct (no stop byte)");
  const uint8_t byte = static_cast<uint8_t>(in_[pos_]);
  const uint8_t type = byte & 0x0F;
  if (type == 0 && byte != 0) return error("field header with type 0 and an id delta");
  ++pos_;
  if (!valid_type(type)) return error("unknown field type " + std::to_string(type));
  header->type = static_cast<CType>(type);
  if (header->type == CType::kStop) {
    header->id = 0;
    return Status::OK();
  }
  const int delta = byte >> 4;
  if (delta != 0) {
    const int id = last_id_ + delta;
    if (id > std::numeric_limits<int16_t>::max()) return error("field id overflows i16");
    header->id = static_cast<int16_t>(id);
  } else {
    BTSTORE_RETURN_IF_ERROR(read_i16(&header->id));
  }
  last_id_ = header->id;
  return Status::OK();
}

Status CompactReader::read_bool(bool* v) {
  int8_t b = 0;
  BTSTORE_RETURN_IF_ERROR(read_byte(&b));
  if (b != 0 && b != 1 && b != 2) return error("bool element is " + std::to_string(b));
  *v = b == 1;
  return Status::OK();
}

Status CompactReader::read_byte(int8_t* v) {
  if (pos_ >= in_.size()) return error("input ends inside a byte value");
  *v = static_cast<int8_t>(in_[pos_++]);
  return Status::OK();
}

Status CompactReader::read_i16(int16_t* v) {
  uint64_t raw = 0;
  BTSTORE_RETURN_IF_ERROR(read_varint(&raw, "i16"));
  const int64_t x = zigzag_decode(raw);
  if (x < std::numeric_limits<int16_t>::min() || x > std::numeric_limits<int16_t>::max()) {
    return error("value " + std::to_string(x) + " does not fit in i16");
  }
  *v = static_cast<int16_t>(x);
  return Status::OK();
}

Status CompactReader::read_i32(int32_t* v) {
  uint64_t raw = 0;
  BTSTORE_RETURN_IF_ERROR(read_varint(&raw, "i32"));
  const int64_t x = zigzag_decode(raw);
  if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max()) {
    return error("value " + std::to_string(x) + " does not fit in i32");
  }
  *v = static_cast<int32_t>(x);
  return Status::OK();
}

Status CompactReader::read_i64(int64_t* v) {
  uint64_t raw = 0;
  BTSTORE_RETURN_IF_ERROR(read_varint(&raw, "i64"));
  *v = zigzag_decode(raw);
  return Status::OK();
}

Status CompactReader::read_double(double* v) {
  if (remaining() < 8) return error("input ends inside a double");
  *v = std::bit_cast<double>(decode_fixed64(in_.data() + pos_));
  pos_ += 8;
  return Status::OK();
}

Status CompactReader::read_binary(std::string_view* v) {
  uint64_t size = 0;
  BTSTORE_RETURN_IF_ERROR(read_varint(&size, "binary length"));
  if (size > remaining()) {
    return error("binary of " + std::to_string(size) + " bytes but only " +
                 std::to_string(remaining()) + " bytes left");
  }
  *v = in_.substr(pos_, size);
  pos_ += size;
  return Status::OK();
}

Status CompactReader::read_string(std::string* v) {
  std::string_view view;
  BTSTORE_RETURN_IF_ERROR(read_binary(&view));
  v->assign(view);
  return Status::OK();
}

Status CompactReader::read_list_header(ListHeader* header) {
  if (pos_ >= in_.size()) return error("input ends inside a list header");
  const uint8_t byte = static_cast<uint8_t>(in_[pos_++]);
  const uint8_t type = byte & 0x0F;
  if (type == 0 || !valid_type(type)) {
    return error("list of unknown element type " + std::to_string(type));
  }
  uint64_t size = byte >> 4;
  if (size == 15) BTSTORE_RETURN_IF_ERROR(read_varint(&size, "list size"));
  // Every element, even a bool or an empty struct, takes at least one byte.
  if (size > limits_.max_container_size || size > remaining()) {
    return error("list of " + std::to_string(size) + " elements (limit " +
                 std::to_string(limits_.max_container_size) + ", " + std::to_string(remaining()) +
                 " bytes left)");
  }
  BTSTORE_RETURN_IF_ERROR(enter());
  header->element_type = static_cast<CType>(type);
  header->size = static_cast<uint32_t>(size);
  return Status::OK();
}

// A map is one 0 byte when empty; otherwise a varint size and a (key << 4 | value) type byte.
Status CompactReader::read_map_header(CType* key, CType* value, uint32_t* size) {
  uint64_t n = 0;
  BTSTORE_RETURN_IF_ERROR(read_varint(&n, "map size"));
  if (n == 0) {
    *size = 0;
    return Status::OK();
  }
  if (pos_ >= in_.size()) return error("input ends inside a map header");
  const uint8_t types = static_cast<uint8_t>(in_[pos_++]);
  const uint8_t k = types >> 4, v = types & 0x0F;
  if (k == 0 || v == 0 || !valid_type(k) || !valid_type(v)) {
    return error("map of unknown key/value types");
  }
  if (n > limits_.max_container_size || n > remaining() / 2) {
    return error("map of " + std::to_string(n) + " entries (" + std::to_string(remaining()) +
                 " bytes left)");
  }
  *key = static_cast<CType>(k);
  *value = static_cast<CType>(v);
  *size = static_cast<uint32_t>(n);
  return Status::OK();
}

Status CompactReader::skip(CType type) {
  switch (type) {
    case CType::kBoolTrue:
    case CType::kBoolFalse: return Status::OK();  // field headers carry the value
    case CType::kByte: {
      int8_t v;
      return read_byte(&v);
    }
    case CType::kI16:
    case CType::kI32:
    case CType::kI64: {
      int64_t v;
      return read_i64(&v);
    }
    case CType::kDouble: {
      double v;
      return read_double(&v);
    }
    case CType::kBinary: {
      std::string_view v;
      return read_binary(&v);
    }
    case CType::kList:
    case CType::kSet: {
      ListHeader list;
      BTSTORE_RETURN_IF_ERROR(read_list_header(&list));
      for (uint32_t i = 0; i < list.size; ++i) {
        // Bool elements are whole bytes, unlike bool fields.
        if (is_bool(list.element_type)) {
          bool b;
          BTSTORE_RETURN_IF_ERROR(read_bool(&b));
        } else {
          BTSTORE_RETURN_IF_ERROR(skip(list.element_type));
        }
      }
      end_container();
      return Status::OK();
    }
    case CType::kMap: {
      CType key = CType::kStop, value = CType::kStop;
      uint32_t size = 0;
      BTSTORE_RETURN_IF_ERROR(read_map_header(&key, &value, &size));
      BTSTORE_RETURN_IF_ERROR(enter());
      for (uint32_t i = 0; i < size; ++i) {
        for (CType t : {key, value}) {
          bool b;
          BTSTORE_RETURN_IF_ERROR(is_bool(t) ? read_bool(&b) : skip(t));
        }
      }
      --depth_;
      return Status::OK();
    }
    case CType::kStruct: {
      BTSTORE_RETURN_IF_ERROR(begin_struct());
      while (true) {
        FieldHeader field;
        BTSTORE_RETURN_IF_ERROR(read_field_header(&field));
        if (field.type == CType::kStop) break;
        BTSTORE_RETURN_IF_ERROR(skip(field.type));
      }
      end_struct();
      return Status::OK();
    }
    case CType::kStop: break;
  }
  return error("cannot skip a value of type " + std::string(ctype_name(type)));
}

}  // namespace btstore::thrift
