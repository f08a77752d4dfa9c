// Wire types of the Thrift compact protocol
// (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md).
#pragma once

#include <cstdint>
#include <string_view>

namespace btstore::thrift {

// The 4-bit type code of a field header or a list/set/map element.
enum class CType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,   // in a field header: a bool field whose value is true
  kBoolFalse = 2,  // in a field header: false; as a list element type: bool
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// "i32", "binary", ... for error messages; "type 13" style text for unknown codes.
std::string_view ctype_name(CType type);

// True for the two bool codes (a field header carries the value in its type).
inline bool is_bool(CType type) { return type == CType::kBoolTrue || type == CType::kBoolFalse; }

}  // namespace btstore::thrift
