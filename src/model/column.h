// A nullable column: one value slot per row plus a definedness flag.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace btstore::model {

template <typename T>
struct Column {
  std::vector<T> values;         // one slot per row; a null row holds T{}
  std::vector<uint8_t> defined;  // 1 = value present, 0 = null

  size_t size() const { return defined.size(); }
  bool is_null(size_t row) const { return defined[row] == 0; }
  size_t null_count() const {
    size_t n = 0;
    for (uint8_t d : defined) n += d == 0;
    return n;
  }
  void push(T v) {
    values.push_back(std::move(v));
    defined.push_back(1);
  }
  void push_null() {
    values.emplace_back();
    defined.push_back(0);
  }
  void reserve(size_t n) {
    values.reserve(n);
    defined.reserve(n);
  }
  void clear() {
    values.clear();
    defined.clear();
  }
  bool operator==(const Column&) const = default;
};

using StringColumn = Column<std::string>;
using DoubleColumn = Column<double>;
using Int32Column = Column<int32_t>;
using TimestampColumn = Column<int64_t>;  // UTC microseconds since the Unix epoch

}  // namespace btstore::model
