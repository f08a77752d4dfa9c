#include "json/result_writer.h"

#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/time.h"
#include "json/json_writer.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

using model::TableKind;

constexpr size_t kNoRow = static_cast<size_t>(-1);

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
  explicit Grouper(const model::SummaryTable& summary) {
    for (size_t row = 0; row < summary.num_rows(); ++row) {
      const size_t g = add(summary.symbol, row);
      groups_[g].summary_row = groups_[g].summary_row == kNoRow ? row : groups_[g].summary_row;
      if (groups_[g].summary_row != row) {  // a repeated name keeps its own object
        groups_.push_back(SymbolGroup{groups_[g].name, row, {}, {}});
      }
    }
  }

  void assign(const model::StringColumn& symbols, std::vector<size_t> SymbolGroup::*rows) {
    size_t last = kNoRow;
    for (size_t row = 0; row < symbols.size(); ++row) {
      if (last == kNoRow || !same(symbols, row, groups_[last].name)) last = add(symbols, row);
      (groups_[last].*rows).push_back(row);
    }
  }

  const std::vector<SymbolGroup>& groups() const { return groups_; }

 private:
  static bool same(const model::StringColumn& c, size_t row, const std::string* name) {
    return c.is_null(row) ? name == nullptr : name != nullptr && c.values[row] == *name;
  }

  // The group of the row's symbol, created when new.
  size_t add(const model::StringColumn& c, size_t row) {
    if (c.is_null(row)) {
      if (!null_group_) null_group_ = make(nullptr);
      return *null_group_;
    }
    const auto [it, inserted] = by_name_.try_emplace(c.values[row], groups_.size());
    if (inserted) make(&c.values[row]);
    return it->second;
  }

  size_t make(const std::string* name) {
    groups_.push_back(SymbolGroup{name, kNoRow, {}, {}});
    return groups_.size() - 1;
  }

  std::vector<SymbolGroup> groups_;
  std::unordered_map<std::string_view, size_t> by_name_;
  std::optional<size_t> null_group_;
};

void write_cell(JsonWriter& w, const model::ConstColumnPtr& column, size_t row) {
  std::visit(
      [&](const auto* c) {
        if (row == kNoRow || c->is_null(row)) return w.null();
        using T = std::decay_t<decltype(c->values[0])>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.string(c->values[row]);
        } else if constexpr (std::is_same_v<T, double>) {
          w.number(c->values[row]);
        } else if constexpr (std::is_same_v<T, int32_t>) {
          w.number(static_cast<int64_t>(c->values[row]));
        } else {
          char buf[kTimestampBufferSize];
          w.string(std::string_view(buf, format_timestamp(c->values[row], buf)));
        }
      },
      column);
}

// One JSON object of a table row: every field but "symbol", in schema order.
void write_record(JsonWriter& w, const model::ConstTableView& table, size_t row) {
  const auto fields = model::table_fields(table.kind);
  w.begin_object();
  for (size_t i = 1; i < fields.size(); ++i) {
    w.key(fields[i].name);
    write_cell(w, table.columns[i], row);
  }
  w.end_object();
}

void write_rows(JsonWriter& w, const model::ConstTableView& table,
                const std::vector<size_t>& rows) {
  w.begin_array();
  for (size_t row : rows) write_record(w, table, row);
  w.end_array();
}

void write_header(JsonWriter& w, const model::ResultHeader& h) {
  w.key("task_id"), w.string(h.task_id);
  w.key("strategy"), w.string(h.strategy);
  w.key("timeframe");
  h.timeframe ? w.string(*h.timeframe) : w.null();
  w.key("start_date"), w.string(h.start_date);
  w.key("end_date"), w.string(h.end_date);
  w.key("status"), w.string(h.status);
  w.key("metadata"), w.raw(h.metadata_json.empty() ? "{}" : h.metadata_json);
}

}  // namespace

std::string write_result(const model::BacktestResult& result, int indent) {
  Grouper grouper(result.summary);
  grouper.assign(result.signals.symbol, &SymbolGroup::signal_rows);
  grouper.assign(result.curve.symbol, &SymbolGroup::curve_rows);
  const model::ConstTableView summary = model::view(result, TableKind::kSummary);
  const model::ConstTableView signals = model::view(result, TableKind::kSignals);
  const model::ConstTableView curve = model::view(result, TableKind::kCurve);

  JsonWriter w(indent);
  w.reserve(256 + 160 * (signals.num_rows + curve.num_rows) + 300 * summary.num_rows);
  w.begin_object();
  write_header(w, result.header);
  w.key("symbols");
  w.begin_array();
  for (const SymbolGroup& g : grouper.groups()) {
    w.begin_object();
    w.key("symbol");
    g.name ? w.string(*g.name) : w.null();
    w.key("summary");
    write_record(w, summary, g.summary_row);
    w.key("signals");
    write_rows(w, signals, g.signal_rows);
    w.key("performance_curve");
    write_rows(w, curve, g.curve_rows);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace btstore::json
