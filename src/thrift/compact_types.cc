#include "thrift/compact_types.h"

namespace btstore::thrift {

std::string_view ctype_name(CType type) {
  switch (type) {
    case CType::kStop: return "stop";
    case CType::kBoolTrue:
    case CType::kBoolFalse: return "bool";
    case CType::kByte: return "byte";
    case CType::kI16: return "i16";
    case CType::kI32: return "i32";
    case CType::kI64: return "i64";
    case CType::kDouble: return "double";
    case CType::kBinary: return "binary";
    case CType::kList: return "list";
    case CType::kSet: return "set";
    case CType::kMap: return "map";
    case CType::kStruct: return "struct";
  }
  return "unknown type";
}

}  // namespace btstore::thrift
