// The fast reader of one symbol object: simdjson's DOM parser, whose SIMD kernel is chosen at
// run time for this CPU (On-Demand runs the one the compiler flags allow, the portable
// fallback in a default build), builds the value tape of the whole object, and a tight walk
// of the tape fills the columns. It reads only what the On-Demand readers would take without
// a problem, into the same values; anything else makes it give up, and the caller asks them.
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <variant>
#include <vector>

#include "common/time.h"
#include "json/section_readers.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

namespace dom = simdjson::dom;
using model::TableKind;

constexpr size_t kNotFound = static_cast<size_t>(-1);

bool is_number_char(char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'; }

// True when `text` may hold the token -0. The tape stores it as the integer 0, but On-Demand
// reads it into a double as -0.0, so the tape alone cannot give the same double.
bool may_hold_negative_zero(std::string_view text) {
  for (size_t at = text.find("-0"); at != std::string_view::npos; at = text.find("-0", at + 1)) {
    if (at + 2 >= text.size() || !is_number_char(text[at + 2])) return true;
  }
  return false;
}

// dom::array::size() of an array of this many elements or more.
constexpr size_t kArraySizeSaturated = 0xFFFFFF;

// Appends `count` rows of nulls to every column; returns the index of the first.
size_t push_null_rows(const std::vector<model::ColumnPtr>& columns, size_t count) {
  const size_t first = std::visit([](auto* c) { return c->size(); }, columns[0]);
  for (const model::ColumnPtr& c : columns) {
    std::visit(
        [&](auto* column) {
          column->values.resize(first + count);
          column->defined.resize(first + count, 0);
        },
        c);
  }
  return first;
}

// One table's member names (the schema's, without "symbol") and which must be present.
class RecordFields {
 public:
  explicit RecordFields(TableKind kind) : kind_(kind) {
    const auto fields = model::table_fields(kind);
    for (size_t i = 1; i < fields.size(); ++i) {
      for (std::string_view r : required_fields(kind)) {
        if (fields[i].name == r) required_ |= 1u << names_.size();
      }
      names_.push_back(fields[i].name);
    }
  }

  TableKind kind() const { return kind_; }
  uint32_t required() const { return required_; }
  // Index of `key`, trying `hint` first (writers keep the schema's order).
  size_t find(std::string_view key, size_t hint) const {
    if (hint < names_.size() && same_key(names_[hint], key)) return hint;
    for (size_t i = 0; i < names_.size(); ++i) {
      if (same_key(names_[i], key)) return i;
    }
    return kNotFound;
  }

 private:
  TableKind kind_;
  std::vector<std::string_view> names_;
  uint32_t required_ = 0;  // bit i: names_[i] is required
};

class SymbolDomReader {
 public:
  SymbolDomReader(std::string_view text, model::BacktestResult& result)
      : text_(text), result_(result) {}

  bool read(dom::object symbol);

 private:
  bool read_records(dom::element value, const RecordFields& fields);
  bool read_record(dom::object object, const RecordFields& fields,
                   const std::vector<model::ColumnPtr>& columns, size_t row);
  bool check_order(TableKind kind, size_t row);

  bool store(dom::element v, model::DoubleColumn& c, size_t row);
  bool store(dom::element v, model::Int32Column& c, size_t row);
  bool store(dom::element v, model::StringColumn& c, size_t row);
  bool store(dom::element v, model::TimestampColumn& c, size_t row);

  std::string_view text_;
  model::BacktestResult& result_;
  std::optional<bool> negative_zero_;  // may_hold_negative_zero(text_), once asked
  TimestampSeriesParser timestamps_;
  std::optional<int64_t> previous_ts_;
  std::optional<int32_t> previous_idx_;
};

const RecordFields& summary_fields() {
  static const RecordFields fields(TableKind::kSummary);
  return fields;
}
const RecordFields& signal_fields() {
  static const RecordFields fields(TableKind::kSignals);
  return fields;
}
const RecordFields& curve_fields() {
  static const RecordFields fields(TableKind::kCurve);
  return fields;
}

bool SymbolDomReader::read(dom::object symbol) {
  static constexpr std::string_view kMembers[] = {"symbol", "summary", "signals",
                                                  "performance_curve"};
  const size_t summary_row = result_.summary.num_rows();
  const size_t signals_from = result_.signals.num_rows();
  const size_t curve_from = result_.curve.num_rows();
  push_null_rows(model::mutable_view(result_, TableKind::kSummary).columns, 1);
  std::string_view name;
  uint32_t seen = 0;
  for (dom::key_value_pair member : symbol) {
    size_t which = 0;
    while (which < std::size(kMembers) && kMembers[which] != member.key) ++which;
    if (which == std::size(kMembers) || (seen & (1u << which))) return false;
    seen |= 1u << which;
    switch (which) {
      case 0:
        if (member.value.get_string().get(name) != simdjson::SUCCESS || name.empty() ||
            name.find('\0') != std::string_view::npos) {
          return false;
        }
        break;
      case 1: {
        if (member.value.is_null()) break;
        dom::object summary;
        if (member.value.get_object().get(summary) != simdjson::SUCCESS ||
            !read_record(summary, summary_fields(),
                         model::mutable_view(result_, TableKind::kSummary).columns, summary_row)) {
          return false;
        }
        break;
      }
      case 2:
        if (!read_records(member.value, signal_fields())) return false;
        break;
      default:
        if (!read_records(member.value, curve_fields())) return false;
        break;
    }
  }
  if (!(seen & 1u)) return false;
  set(result_.summary.symbol, summary_row, name);
  // The symbol of this symbol's rows is known only now: "symbol" may come after the arrays.
  for (auto [c, from] : {std::pair{&result_.signals.symbol, signals_from},
                         std::pair{&result_.curve.symbol, curve_from}}) {
    std::fill(c->values.begin() + static_cast<std::ptrdiff_t>(from), c->values.end(), name);
    std::fill(c->defined.begin() + static_cast<std::ptrdiff_t>(from), c->defined.end(), 1);
  }
  return true;
}

bool SymbolDomReader::read_records(dom::element value, const RecordFields& fields) {
  dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) return false;
  const std::vector<model::ColumnPtr> columns = model::mutable_view(result_, fields.kind()).columns;
  previous_ts_.reset();
  previous_idx_.reset();
  // The rows are added as nulls all at once, a column at a time, and then filled in.
  size_t count = array.size();
  if (count == kArraySizeSaturated)
    count = static_cast<size_t>(std::distance(array.begin(), array.end()));
  size_t row = push_null_rows(columns, count);
  for (dom::element element : array) {
    dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS ||
        !read_record(object, fields, columns, row) || !check_order(fields.kind(), row)) {
      return false;
    }
    ++row;
  }
  return true;
}

// Reads `object` into row `row` of `columns` (pushed as nulls; the symbol column is set later).
bool SymbolDomReader::read_record(dom::object object, const RecordFields& fields,
                                  const std::vector<model::ColumnPtr>& columns, size_t row) {
  uint32_t seen = 0;
  size_t hint = 0;
  for (dom::key_value_pair member : object) {
    const size_t i = fields.find(member.key, hint);
    if (i == kNotFound || (seen & (1u << i))) return false;
    seen |= 1u << i;
    hint = i + 1;
    if (member.value.is_null()) {
      if (fields.required() & (1u << i)) return false;
      continue;
    }
    if (!std::visit([&](auto* c) { return store(member.value, *c, row); }, columns[i + 1]))
      return false;
  }
  return (seen & fields.required()) == fields.required();
}

bool SymbolDomReader::check_order(TableKind kind, size_t row) {
  const model::TimestampColumn& ts =
      kind == TableKind::kSignals ? result_.signals.timestamp : result_.curve.timestamp;
  if (!ts.is_null(row)) {
    if (previous_ts_ && ts.values[row] < *previous_ts_) return false;
    previous_ts_ = ts.values[row];
  }
  if (kind == TableKind::kCurve && !result_.curve.idx.is_null(row)) {
    const int32_t idx = result_.curve.idx.values[row];
    if (previous_idx_ && idx <= *previous_idx_) return false;
    previous_idx_ = idx;
  }
  return true;
}

bool SymbolDomReader::store(dom::element v, model::DoubleColumn& c, size_t row) {
  double d;
  switch (v.type()) {
    case dom::element_type::DOUBLE: d = v.get_double().value_unsafe(); break;
    case dom::element_type::UINT64: d = static_cast<double>(v.get_uint64().value_unsafe()); break;
    case dom::element_type::INT64: {
      const int64_t i = v.get_int64().value_unsafe();
      if (i == 0) {
        if (!negative_zero_) negative_zero_ = may_hold_negative_zero(text_);
        if (*negative_zero_) return false;
      }
      d = static_cast<double>(i);
      break;
    }
    default: return false;
  }
  set(c, row, d);
  return true;
}

bool SymbolDomReader::store(dom::element v, model::Int32Column& c, size_t row) {
  double d;
  switch (v.type()) {
    case dom::element_type::INT64: {
      const int64_t i = v.get_int64().value_unsafe();
      if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max())
        return false;
      set(c, row, static_cast<int32_t>(i));
      return true;
    }
    // An integral double in range is an integer to the On-Demand reader too (5.0, 1e2).
    case dom::element_type::DOUBLE: d = v.get_double().value_unsafe(); break;
    default: return false;
  }
  if (d != std::trunc(d) || d < std::numeric_limits<int32_t>::min() ||
      d > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  set(c, row, static_cast<int32_t>(d));
  return true;
}

bool SymbolDomReader::store(dom::element v, model::StringColumn& c, size_t row) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return false;
  set(c, row, s);
  return true;
}

bool SymbolDomReader::store(dom::element v, model::TimestampColumn& c, size_t row) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return false;
  Result<int64_t> t = timestamps_.parse(s);
  if (!t.ok()) return false;
  set(c, row, *t);
  return true;
}

}  // namespace

bool read_symbol_dom(dom::parser& parser, std::string_view text, model::BacktestResult& result) {
  dom::element root;
  dom::object symbol;
  if (parser.parse(text.data(), text.size(), false).get(root) != simdjson::SUCCESS ||
      root.get_object().get(symbol) != simdjson::SUCCESS) {
    return false;
  }
  return SymbolDomReader(text, result).read(symbol);
}

}  // namespace btstore::json
