// The row loop of write_result(): table rows as JSON objects appended to a
// reusable text buffer, with every key, comma and indentation precomputed, so
// that a row costs one capacity check and the text of its values.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/schema.h"

namespace btstore::json {

inline constexpr size_t kNoRow = static_cast<size_t>(-1);

// A growable byte buffer written through raw pointers: room(n) makes n bytes
// writable at end(), commit() moves the end. Cleared buffers keep their memory,
// so a reused buffer does not fault fresh pages in.
class TextBuffer {
 public:
  char* room(size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void commit(const char* end) { size_ = static_cast<size_t>(end - data_.get()); }
  void append(std::string_view s);
  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }
  void clear() { size_ = 0; }

 private:
  void grow(size_t n);

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// The layout of a document: "\n" plus `indent` spaces per level before each
// member when indent > 0, nothing otherwise (see JsonWriter).
struct Layout {
  int indent = 0;
  std::string newline(int depth) const;
  std::string key(std::string_view name) const;  // "\"name\":" or "\"name\": "
};

// Writes rows of one table as objects of every field but "symbol", in schema
// order. `depth` is the nesting level of the object's braces.
class RecordWriter {
 public:
  RecordWriter(const model::ConstTableView& table, const Layout& layout, int depth);

  // The object of `row`; kNoRow writes every field as null.
  void write(TextBuffer& out, size_t row) const;

 private:
  enum class CellKind { kString, kDouble, kInt32, kTimestamp };
  // Prefixes up to this long are copied as one fixed-size block (no call per
  // cell); the bytes past the prefix are overwritten by the value.
  static constexpr size_t kShortPrefix = 64;

  struct Cell {
    CellKind kind;
    const void* column;              // the model::Column<T> of `kind`
    std::string prefix;              // "{" or "," then the newline and the key
    char padded[kShortPrefix] = {};  // the prefix when it fits, zero-padded
  };

  static char* put_prefix(char* p, const Cell& cell);

  static char* put_cell(char* p, const Cell& cell, size_t row);

  std::vector<Cell> cells_;
  std::string close_;
  size_t fixed_bound_ = 0;  // room for everything but the strings' text
};

}  // namespace btstore::json
