// The symbol objects of a written result: which rows of each table go under which symbol.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "json/result_rows.h"
#include "model/result.h"

namespace btstore::json {

// One symbol object of the output and the rows that belong to it.
struct SymbolGroup {
  const std::string* name = nullptr;  // nullptr: the symbol column was null
  size_t summary_row = kNoRow;
  std::vector<size_t> signal_rows;
  std::vector<size_t> curve_rows;
};

// Assigns every row to a group: one per summary row, in order, plus one per
// symbol found only in the signals or curve. Consecutive rows of one symbol
// (the normal layout) cost a string compare, not a hash lookup.
class Grouper {
 public:
  explicit Grouper(const model::SummaryTable& summary);

  // Appends each row of `symbols` to `rows` of its symbol's group.
  void assign(const model::StringColumn& symbols, std::vector<size_t> SymbolGroup::*rows);

  const std::vector<SymbolGroup>& groups() const { return groups_; }

 private:
  static bool same(const model::StringColumn& c, size_t row, const std::string* name) {
    return c.is_null(row) ? name == nullptr : name != nullptr && c.values[row] == *name;
  }

  // The group of the row's symbol, created when new.
  size_t add(const model::StringColumn& c, size_t row);
  size_t make(const std::string* name);

  std::vector<SymbolGroup> groups_;
  std::unordered_map<std::string_view, size_t> by_name_;
  std::optional<size_t> null_group_;
};

}  // namespace btstore::json
