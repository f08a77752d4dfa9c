// Helpers shared by the format decoders (format_decode*.cc); not part of the module interface.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parquet/format.h"
#include "thrift/struct_reader.h"

namespace btstore::parquet::detail {

using thrift::CompactReader;
using thrift::CType;
using thrift::ListHeader;
using thrift::StructReader;

template <typename E>
Status read_enum(StructReader& s, std::string_view field, int32_t max, std::string_view what,
                 E* out) {
  int32_t v = 0;
  BTSTORE_RETURN_IF_ERROR(s.read(field, &v));
  if (v < 0 || v > max) {
    return s.error(field, std::to_string(v) + " is not a valid " + std::string(what));
  }
  *out = static_cast<E>(v);
  return Status::OK();
}

inline constexpr int32_t kMaxType = 7, kMaxConverted = 21, kMaxRepetition = 3, kMaxEncoding = 9,
                         kMaxPageType = 3, kMaxCodec = 7;

inline Status read_encoding(StructReader& s, std::string_view field, Encoding* out) {
  return read_enum(s, field, kMaxEncoding, "Encoding", out);
}

// A nested struct field: decode(T) with errors prefixed by "<field>".
template <typename T>
Status read_struct(StructReader& s, std::string_view field, T* out) {
  BTSTORE_RETURN_IF_ERROR(s.expect_struct(field));
  Status st = decode(s.reader(), out);
  return st.ok() ? st : st.with_context(field);
}

template <typename T>
Status read_optional_struct(StructReader& s, std::string_view field, std::optional<T>* out) {
  out->emplace();
  return read_struct(s, field, &**out);
}

template <typename T>
Status read_struct_list(StructReader& s, std::string_view field, std::vector<T>* out) {
  ListHeader list;
  BTSTORE_RETURN_IF_ERROR(s.begin_list(field, CType::kStruct, &list));
  out->clear();
  for (uint32_t i = 0; i < list.size; ++i) {
    T element;
    Status st = decode(s.reader(), &element);
    if (!st.ok()) return st.with_context(std::string(field) + "[" + std::to_string(i) + "]");
    out->push_back(std::move(element));
  }
  s.reader().end_container();
  return Status::OK();
}

}  // namespace btstore::parquet::detail
