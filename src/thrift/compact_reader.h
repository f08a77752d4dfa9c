// Decoder for the Thrift compact protocol over untrusted bytes. It knows nothing about the
// structs it decodes: callers pull field headers and values and skip() what they do not know.
// Every read is bounds-checked; nesting depth and container sizes are limited so that forged
// input cannot recurse deeply or make the caller allocate more than the input could hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "thrift/compact_types.h"

namespace btstore::thrift {

struct ReaderLimits {
  int max_depth = 64;                       // nested structs + containers
  uint32_t max_container_size = 16u << 20;  // elements of one list/set/map
};

struct FieldHeader {
  CType type = CType::kStop;  // kStop: the struct has no more fields
  int16_t id = 0;
  bool bool_value() const { return type == CType::kBoolTrue; }
};

struct ListHeader {
  CType element_type = CType::kStop;
  uint32_t size = 0;
};

class CompactReader {
 public:
  explicit CompactReader(std::string_view in, ReaderLimits limits = {})
      : in_(in), limits_(limits) {}

  // A struct is begin_struct(), read_field_header() until kStop, end_struct().
  Status begin_struct();
  void end_struct();
  Status read_field_header(FieldHeader* header);

  Status read_bool(bool* v);  // a list element (1 = true; 0 or 2 = false)
  Status read_byte(int8_t* v);
  Status read_i16(int16_t* v);
  Status read_i32(int32_t* v);
  Status read_i64(int64_t* v);
  Status read_double(double* v);
  // The view points into the input and stays valid as long as it does.
  Status read_binary(std::string_view* v);
  Status read_string(std::string* v);

  // A list or set header. The size is checked against the limits and the bytes left (every
  // element takes at least one byte), so callers may reserve `size` elements.
  // Each list must be closed with end_container() after its elements.
  Status read_list_header(ListHeader* header);
  void end_container() { --depth_; }

  // Skips one value of `type` (any type, nested to the depth limit).
  Status skip(CType type);

  size_t position() const { return pos_; }
  size_t remaining() const { return in_.size() - pos_; }

  // Corruption("thrift: <what> at byte <position>").
  Status error(std::string_view what) const;

 private:
  Status read_varint(uint64_t* v, std::string_view what);
  Status read_map_header(CType* key, CType* value, uint32_t* size);
  Status enter();

  std::string_view in_;
  size_t pos_ = 0;
  ReaderLimits limits_;
  int depth_ = 0;
  int16_t last_id_ = 0;
  std::vector<int16_t> stack_;  // last field id of each enclosing struct
};

}  // namespace btstore::thrift
