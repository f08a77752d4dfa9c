// Reads the "symbols" array: one summary row per symbol, then its signals and
// performance curve, filled straight into the columns of the result.
#include <string.h>  // memmem

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/time.h"
#include "json/result_parser.h"
#include "json/section_readers.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

using model::TableKind;

constexpr size_t kNotFound = static_cast<size_t>(-1);

size_t count_occurrences(std::string_view text, std::string_view needle) {
  size_t n = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (const void* hit = memmem(p, static_cast<size_t>(end - p), needle.data(), needle.size())) {
    ++n;
    p = static_cast<const char*>(hit) + needle.size();
  }
  return n;
}

// Occurrences of `needle` in `text`, counted exactly in small texts and estimated from evenly
// spread windows in large ones (with a margin: a short estimate only costs a reallocation).
size_t estimate_occurrences(std::string_view text, std::string_view needle) {
  constexpr size_t kExactBelow = size_t{8} << 20;
  constexpr size_t kWindows = 8;
  constexpr size_t kWindow = size_t{512} << 10;
  if (text.size() < kExactBelow) return count_occurrences(text, needle);
  size_t found = 0;
  const size_t stride = text.size() / kWindows;
  for (size_t w = 0; w < kWindows; ++w) {
    found += count_occurrences(text.substr(w * stride, kWindow), needle);
  }
  const double scale = static_cast<double>(text.size()) / static_cast<double>(kWindows * kWindow);
  const auto estimate = static_cast<size_t>(static_cast<double>(found) * scale * 1.1) + 1024;
  return std::min(estimate, text.size() / 32);  // no row takes fewer bytes
}

}  // namespace

void reserve_rows(std::string_view json, model::BacktestResult& result) {
  const size_t signals = estimate_occurrences(json, "\"signal_index\"");
  const size_t curve = estimate_occurrences(json, "\"idx\"");
  for (auto [kind, rows] : {std::pair{model::TableKind::kSignals, signals},
                            std::pair{model::TableKind::kCurve, curve}}) {
    for (const model::ColumnPtr& c : model::mutable_view(result, kind).columns) {
      std::visit([rows = rows](auto* column) { column->reserve(rows); }, c);
    }
  }
}

namespace {

// Reserves the signal and curve columns for `total_bytes` of symbols with as many rows per byte
// as the `sample_bytes` read so far gave, and a margin: a short guess costs a reallocation,
// a long one address space that is never touched.
void reserve_like_sample(model::BacktestResult& result, size_t sample_bytes, size_t total_bytes) {
  if (sample_bytes == 0 || total_bytes <= sample_bytes) return;
  for (model::TableKind kind : {model::TableKind::kSignals, model::TableKind::kCurve}) {
    const model::TableView table = model::mutable_view(result, kind);
    const double per_byte =
        static_cast<double>(model::view(result, kind).num_rows) / static_cast<double>(sample_bytes);
    const auto rows = static_cast<size_t>(per_byte * static_cast<double>(total_bytes) * 1.1) + 16;
    for (const model::ColumnPtr& c : table.columns) {
      std::visit([rows](auto* column) { column->reserve(rows); }, c);
    }
  }
}

// The DOM parser holds a tape of every value and a copy of every string of a symbol at once;
// a larger symbol is read with On-Demand, whose index takes less.
constexpr size_t kDomElementMaxBytes = size_t{64} << 20;
// The largest symbol whose DOM parser a thread keeps between documents: the parser reserves
// about 14 bytes of address space per byte of symbol and keeps what a parse touched (2-3).
constexpr size_t kKeptDomCapacity = size_t{1} << 20;

// Drops the rows after the first `rows[t]` of each table t (summary, signals, curve).
void truncate_tables(model::BacktestResult& result, const size_t (&rows)[3]) {
  for (size_t t = 0; t < 3; ++t) {
    for (const model::ColumnPtr& c : model::mutable_view(result, model::kAllTables[t]).columns) {
      std::visit(
          [n = rows[t]](auto* column) {
            column->values.resize(n);
            column->defined.resize(n);
          },
          c);
    }
  }
}

// A field name and its closing quote as up to four 8-byte words, so that a raw key (the text
// after its opening quote) is compared with a few loads and masks. The name is free of quotes
// and backslashes, so raw text that matches it holds no escape.
class RawKeyMatcher {
 public:
  explicit RawKeyMatcher(std::string_view name) {
    const std::string quoted = std::string(name) + '"';
    words_ = quoted.size() <= sizeof(word_) ? (quoted.size() + 7) / 8 : 0;
    for (size_t w = 0; w < words_; ++w) {
      const size_t n = std::min<size_t>(8, quoted.size() - 8 * w);
      std::memcpy(&word_[w], quoted.data() + 8 * w, n);
      mask_[w] = n == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
    }
  }

  // REQUIRES: 32 readable bytes at `raw` (the padding after a document covers them).
  bool matches(const char* raw) const {
    if (words_ == 0) return false;  // too long for the words: the caller compares by text
    for (size_t w = 0; w < words_; ++w) {
      uint64_t x;
      std::memcpy(&x, raw + 8 * w, 8);
      if ((x & mask_[w]) != word_[w]) return false;
    }
    return true;
  }

 private:
  uint64_t word_[4] = {};
  uint64_t mask_[4] = {};
  size_t words_ = 0;
};

// Index of `key` in `names`, or kNotFound. The lists are short (at most 11).
template <typename Names>
size_t find_name(const Names& names, std::string_view key) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (same_key(names[i], key)) return i;
  }
  return kNotFound;
}

// Reads `v` into row `row` of `c` (left null when the value is null or bad).
void store(DocumentReader& r, ondemand::value& v, model::DoubleColumn& c, size_t row,
           bool nullable) {
  double d;
  if (r.read_double(v, nullable, d) == ReadOutcome::kValue) set(c, row, d);
}

void store(DocumentReader& r, ondemand::value& v, model::Int32Column& c, size_t row,
           bool nullable) {
  int32_t i;
  if (r.read_int32(v, nullable, i) == ReadOutcome::kValue) set(c, row, i);
}

void store(DocumentReader& r, ondemand::value& v, model::StringColumn& c, size_t row,
           bool nullable) {
  std::string_view s;
  if (r.read_string(v, nullable, s) == ReadOutcome::kValue) set(c, row, s);
}

void store(DocumentReader& r, ondemand::value& v, model::TimestampColumn& c, size_t row,
           bool nullable) {
  int64_t t;
  if (r.read_timestamp(v, nullable, t) == ReadOutcome::kValue) set(c, row, t);
}

// Sets rows `from`.. of `c` to `name`.
void fill_from(model::StringColumn& c, size_t from, const std::string& name) {
  std::fill(c.values.begin() + static_cast<std::ptrdiff_t>(from), c.values.end(), name);
  std::fill(c.defined.begin() + static_cast<std::ptrdiff_t>(from), c.defined.end(), 1);
}

// The members of one table's JSON objects: every schema field except "symbol",
// which comes from the enclosing symbol object.
class RecordReader {
 public:
  RecordReader(model::BacktestResult& result, TableKind kind)
      : view_(model::mutable_view(result, kind)) {
    const std::span<const std::string_view> required = required_fields(kind);
    const auto fields = model::table_fields(kind);
    for (size_t i = 1; i < fields.size(); ++i) {
      const bool is_required =
          std::find(required.begin(), required.end(), fields[i].name) != required.end();
      if (is_required) required_ |= 1u << names_.size();
      names_.push_back(fields[i].name);
      matchers_.emplace_back(fields[i].name);
      allowed_ += (i > 1 ? ", " : "") + std::string(fields[i].name);
    }
  }

  // Appends a row of nulls to every column (symbol included); returns its index.
  size_t push_null_row() {
    for (const model::ColumnPtr& column : view_.columns) {
      std::visit([](auto* c) { c->push_null(); }, column);
    }
    return std::visit([](auto* c) { return c->size(); }, view_.columns[0]) - 1;
  }

  void read(DocumentReader& r, ondemand::object& object, size_t row) {
    uint32_t seen = 0;
    size_t hint = 0;
    for (auto member : object) {
      if (r.stopped()) return;
      ondemand::field field;
      if (!r.check(std::move(member).get(field))) return;
      // Writers emit fields in schema order, so the field after the last one usually matches;
      // a key that is its name byte for byte holds no escape, so it needs no unescaping.
      const auto* raw = reinterpret_cast<const char*>(field.key().raw());
      size_t i = hint < names_.size() && matchers_[hint].matches(raw) ? hint : kNotFound;
      std::string_view key = i == kNotFound ? std::string_view() : names_[i];
      if (i == kNotFound) {
        if (!r.read_key(field, key)) return;
        i = find_name(names_, key);
      }
      PathScope scope(r.path(), key);
      hint = i + 1;
      if (i == kNotFound) {
        r.report("unknown field; the fields are " + allowed_);
        continue;
      }
      if (seen & (1u << i)) {
        r.report("duplicate key; each field may appear only once");
        continue;
      }
      seen |= 1u << i;
      std::visit([&](auto* c) { store(r, field.value(), *c, row, !(required_ & (1u << i))); },
                 view_.columns[i + 1]);
    }
    if ((seen & required_) == required_) return;
    for (size_t i = 0; i < names_.size(); ++i) {
      if ((required_ & ~seen) & (1u << i)) {
        PathScope scope(r.path(), names_[i]);
        r.report("required field is missing");
      }
    }
  }

 private:
  model::TableView view_;
  std::vector<std::string_view> names_;
  std::vector<RawKeyMatcher> matchers_;  // one per name
  uint32_t required_ = 0;                // bit i: names_[i] is required
  std::string allowed_;
};

class SymbolsReader {
 public:
  SymbolsReader(DocumentReader& r, model::BacktestResult& result)
      : r_(r),
        result_(result),
        summary_(result, TableKind::kSummary),
        signals_(result, TableKind::kSignals),
        curve_(result, TableKind::kCurve) {}

  void read_all(ondemand::array& symbols) {
    size_t index = 0;
    for (auto element : symbols) {
      if (r_.stopped()) return;
      ondemand::value v;
      if (!r_.check(std::move(element).get(v))) return;
      PathScope scope(r_.path(), index);
      ondemand::object object;
      if (r_.read_object(v, false, object) == ReadOutcome::kValue) read_symbol(object, index);
      ++index;
      r_.mark_consumed();
    }
  }

  // One element of the array: symbols[index].
  void read_symbol(ondemand::object& object, size_t index);

 private:
  static constexpr std::string_view kFields[] = {"symbol", "summary", "signals",
                                                 "performance_curve"};
  enum Member { kSymbol, kSummary, kSignals, kCurve };

  bool read_name(ondemand::value& v, std::string& name);
  void read_signals(ondemand::value& v);
  void read_curve(ondemand::value& v);
  void check_unique(const std::string& name, size_t index);

  DocumentReader& r_;
  model::BacktestResult& result_;
  RecordReader summary_, signals_, curve_;
  std::unordered_map<std::string, size_t> names_;  // symbol -> index of its first use
};

void SymbolsReader::read_symbol(ondemand::object& object, size_t index) {
  const size_t summary_row = summary_.push_null_row();
  const size_t signals_from = result_.signals.num_rows();
  const size_t curve_from = result_.curve.num_rows();
  std::string name;
  bool named = false;
  uint32_t seen = 0;
  for (auto member : object) {
    if (r_.stopped()) return;
    ondemand::field field;
    std::string_view key;
    if (!r_.check(std::move(member).get(field)) || !r_.read_key(field, key)) return;
    PathScope scope(r_.path(), key);
    const size_t which = find_name(std::span(kFields), key);
    if (which == kNotFound) {
      r_.report("unknown field; the fields are symbol, summary, signals, performance_curve");
      continue;
    }
    if (seen & (1u << which)) {
      r_.report("duplicate key; each field may appear only once");
      continue;
    }
    seen |= 1u << which;
    ondemand::value& v = field.value();
    ondemand::object summary;
    switch (which) {
      case kSymbol: named = read_name(v, name); break;
      case kSummary:
        if (r_.read_object(v, true, summary) == ReadOutcome::kValue) {
          summary_.read(r_, summary, summary_row);
        }
        break;
      case kSignals: read_signals(v); break;
      default: read_curve(v); break;
    }
  }
  if (!(seen & (1u << kSymbol)) && !r_.stopped()) {
    PathScope scope(r_.path(), "symbol");
    r_.report("required field is missing");
  }
  if (!named) return;
  check_unique(name, index);
  // The symbol column of this symbol's rows is known only now: the "symbol"
  // member may come after the arrays.
  set(result_.summary.symbol, summary_row, name);
  fill_from(result_.signals.symbol, signals_from, name);
  fill_from(result_.curve.symbol, curve_from, name);
}

bool SymbolsReader::read_name(ondemand::value& v, std::string& name) {
  std::string_view s;
  if (r_.read_string(v, false, s) != ReadOutcome::kValue) return false;
  if (s.empty()) {
    r_.report("must not be empty");
    return false;
  }
  if (s.find('\0') != std::string_view::npos) {
    r_.report("contains U+0000, which PostgreSQL text cannot store");
    return false;
  }
  name = s;
  return true;
}

void SymbolsReader::check_unique(const std::string& name, size_t index) {
  const auto [it, inserted] = names_.emplace(name, index);
  if (inserted) return;
  PathScope scope(r_.path(), "symbol");
  r_.report(quote_for_message(name) + " is already the symbol of symbols[" +
            std::to_string(it->second) + "]; symbol names must be unique");
}

void SymbolsReader::read_signals(ondemand::value& v) {
  ondemand::array array;
  if (r_.read_array(v, array) != ReadOutcome::kValue) return;
  const model::TimestampColumn& ts = result_.signals.timestamp;
  size_t index = 0;
  std::optional<int64_t> previous;
  for (auto element : array) {
    if (r_.stopped()) return;
    ondemand::value ev;
    if (!r_.check(std::move(element).get(ev))) return;
    PathScope scope(r_.path(), index++);
    ondemand::object object;
    if (r_.read_object(ev, false, object) != ReadOutcome::kValue) continue;
    const size_t row = signals_.push_null_row();
    signals_.read(r_, object, row);
    if (ts.is_null(row)) continue;
    if (previous && ts.values[row] < *previous) {
      PathScope field(r_.path(), "timestamp");
      r_.report(format_timestamp(ts.values[row]) + " is earlier than the previous signal's " +
                format_timestamp(*previous) +
                "; signals must be in non-decreasing timestamp order");
    }
    previous = ts.values[row];
  }
}

void SymbolsReader::read_curve(ondemand::value& v) {
  ondemand::array array;
  if (r_.read_array(v, array) != ReadOutcome::kValue) return;
  const model::TimestampColumn& ts = result_.curve.timestamp;
  const model::Int32Column& idx = result_.curve.idx;
  size_t index = 0;
  std::optional<int64_t> previous_ts;
  std::optional<int32_t> previous_idx;
  for (auto element : array) {
    if (r_.stopped()) return;
    ondemand::value ev;
    if (!r_.check(std::move(element).get(ev))) return;
    PathScope scope(r_.path(), index++);
    ondemand::object object;
    if (r_.read_object(ev, false, object) != ReadOutcome::kValue) continue;
    const size_t row = curve_.push_null_row();
    curve_.read(r_, object, row);
    if (!idx.is_null(row)) {
      if (previous_idx && idx.values[row] <= *previous_idx) {
        PathScope field(r_.path(), "idx");
        r_.report(std::to_string(idx.values[row]) +
                  " is not greater than the previous point's idx " + std::to_string(*previous_idx) +
                  "; idx must be strictly increasing");
      }
      previous_idx = idx.values[row];
    }
    if (!ts.is_null(row)) {
      if (previous_ts && ts.values[row] < *previous_ts) {
        PathScope field(r_.path(), "timestamp");
        r_.report(format_timestamp(ts.values[row]) + " is earlier than the previous point's " +
                  format_timestamp(*previous_ts) +
                  "; the curve must be in non-decreasing timestamp order");
      }
      previous_ts = ts.values[row];
    }
  }
}

}  // namespace

void read_symbols(DocumentReader& reader, ondemand::value& value, model::BacktestResult& result) {
  ondemand::array array;
  if (reader.read_array(value, array) != ReadOutcome::kValue) return;
  SymbolsReader symbols(reader, result);
  symbols.read_all(array);
}

bool read_symbol_elements(std::string_view json, std::span<const ByteRange> elements,
                          size_t first_index, size_t reserve_bytes, model::BacktestResult& result,
                          const std::function<void(ByteRange)>& consumed) {
  ProblemList problems;
  std::string copy;
  ondemand::parser parser;
  // Kept by the thread for its next document: a fresh parser allocates and faults in its tape
  // again for every document (a quarter of the parse of a 1 MB result); one grown past
  // kKeptDomCapacity is given back at the end.
  thread_local simdjson::dom::parser dom_parser;
  struct ShrinkAfterUse {
    ~ShrinkAfterUse() {
      if (dom_parser.capacity() > kKeptDomCapacity) dom_parser = simdjson::dom::parser();
    }
  } shrink;
  for (size_t k = 0; k < elements.size(); ++k) {
    const ByteRange e = elements[k];
    const std::string_view in_place = json.substr(e.begin, e.end - e.begin);
    const size_t rows[] = {result.summary.num_rows(), result.signals.num_rows(),
                           result.curve.num_rows()};
    if (in_place.size() <= kDomElementMaxBytes && read_symbol_dom(dom_parser, in_place, result)) {
      if (consumed) consumed(e);
      if (k == 0) reserve_like_sample(result, e.end - e.begin, reserve_bytes);
      continue;
    }
    truncate_tables(result, rows);
    // A copy with zeros after it: On-Demand reads past a broken document's last token, and
    // would take the bytes of the next symbol for more of this one.
    copy.assign(in_place).append(kParsePadding, '\0');
    const std::string_view text(copy.data(), e.end - e.begin);
    if (consumed) consumed(e);
    DocumentReader reader(text, problems);
    SymbolsReader symbols(reader, result);
    ondemand::document doc;
    ondemand::object object;
    if (parser.iterate(text.data(), text.size(), copy.size()).get(doc) ||
        doc.get_object().get(object)) {
      return false;
    }
    reader.set_document(&doc);
    PathScope in_symbols(reader.path(), "symbols");
    PathScope scope(reader.path(), first_index + k);
    symbols.read_symbol(object, first_index + k);
    const char* rest = nullptr;
    if (!problems.empty() || reader.stopped() ||
        doc.current_location().get(rest) == simdjson::SUCCESS) {
      return false;
    }
    if (k == 0) reserve_like_sample(result, e.end - e.begin, reserve_bytes);
  }
  return true;
}

}  // namespace btstore::json
