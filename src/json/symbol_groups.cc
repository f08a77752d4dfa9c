#include "json/symbol_groups.h"

namespace btstore::json {

Grouper::Grouper(const model::SummaryTable& summary) {
  for (size_t row = 0; row < summary.num_rows(); ++row) {
    const size_t g = add(summary.symbol, row);
    groups_[g].summary_row = groups_[g].summary_row == kNoRow ? row : groups_[g].summary_row;
    if (groups_[g].summary_row != row) {  // a repeated name keeps its own object
      groups_.push_back(SymbolGroup{groups_[g].name, row, {}, {}});
    }
  }
}

void Grouper::assign(const model::StringColumn& symbols, std::vector<size_t> SymbolGroup::*rows) {
  size_t last = kNoRow;
  for (size_t row = 0; row < symbols.size(); ++row) {
    if (last == kNoRow || !same(symbols, row, groups_[last].name)) last = add(symbols, row);
    (groups_[last].*rows).push_back(row);
  }
}

size_t Grouper::add(const model::StringColumn& c, size_t row) {
  if (c.is_null(row)) {
    if (!null_group_) null_group_ = make(nullptr);
    return *null_group_;
  }
  const auto [it, inserted] = by_name_.try_emplace(c.values[row], groups_.size());
  if (inserted) make(&c.values[row]);
  return it->second;
}

size_t Grouper::make(const std::string* name) {
  groups_.push_back(SymbolGroup{name, kNoRow, {}, {}});
  return groups_.size() - 1;
}

}  // namespace btstore::json
