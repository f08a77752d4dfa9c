// Walks the fields of one Thrift struct for a hand-written decoder: checks each field's wire
// type against the expected one, remembers which ids were seen (for required fields), and
// words errors as "<Struct>.<field>: ...". Generic: it knows no particular struct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "btstore/status.h"
#include "thrift/compact_reader.h"

namespace btstore::thrift {

class StructReader {
 public:
  // `struct_name` must outlive the reader (a literal in practice).
  StructReader(CompactReader& reader, std::string_view struct_name)
      : r_(reader), name_(struct_name) {}

  // Opens the struct; call once before next().
  Status begin() { return r_.begin_struct(); }

  // Moves to the next field. Sets *more = false at the STOP byte (and closes the struct).
  Status next(bool* more);
  int16_t id() const { return field_.id; }
  CType type() const { return field_.type; }

  // Reads the current field's value; the wire type must match.
  Status read(std::string_view field, bool* v);
  Status read(std::string_view field, int8_t* v);
  Status read(std::string_view field, int16_t* v);
  Status read(std::string_view field, int32_t* v);
  Status read(std::string_view field, int64_t* v);
  Status read(std::string_view field, double* v);
  Status read(std::string_view field, std::string* v);
  Status read(std::string_view field, std::string_view* v);
  // A struct-valued field: checks the type; the caller then decodes the nested struct.
  Status expect_struct(std::string_view field) { return expect(field, CType::kStruct); }
  // A list-valued field: reads the list header and checks the element type. After the
  // elements the caller must call reader().end_container().
  Status begin_list(std::string_view field, CType element_type, ListHeader* header);
  Status skip() { return r_.skip(field_.type); }

  // Corruption if field `id` was not seen (call after next() returned *more == false).
  Status require(int16_t id, std::string_view field) const;
  bool seen(int16_t id) const { return id > 0 && id < 64 && (seen_ >> id) & 1; }

  // Corruption("<Struct>.<field>: <what>").
  Status error(std::string_view field, std::string_view what) const;
  CompactReader& reader() { return r_; }

 private:
  Status expect(std::string_view field, CType type);

  CompactReader& r_;
  std::string_view name_;
  FieldHeader field_;
  uint64_t seen_ = 0;
};

}  // namespace btstore::thrift
