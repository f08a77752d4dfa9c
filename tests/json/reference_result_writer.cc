// The result writer as it was before its text was written in chunks on several
// threads: the oracle that keeps today's output byte for byte.
#include "json/reference_result_writer.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/time.h"
#include "json/utf8.h"
#include "model/schema.h"

namespace btstore::json::test {
namespace {

// Bytes that cannot be copied into a JSON string as they are.
bool needs_care(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

// The writer's previous text layer, unchanged: std::to_chars for doubles and
// per-byte appends, one object at a time.
class ReferenceJsonWriter {
 public:
  explicit ReferenceJsonWriter(int indent = 0) : indent_(indent) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);
  void string(std::string_view s);
  void number(double v);
  void number(int64_t v);
  void null();
  void raw(std::string_view json);
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  void newline();
  void open(char bracket);
  void close(char bracket);
  void append_escaped(std::string_view s);
  void append_decimal(std::string_view digits, int exponent);

  static constexpr int kMinFixedExponent = -4;
  static constexpr int kMaxFixedExponent = 16;

  std::string out_;
  int indent_;
  int depth_ = 0;
  bool has_elements_ = false;
  bool after_key_ = false;
};

void ReferenceJsonWriter::newline() {
  out_ += '\n';
  out_.append(static_cast<size_t>(indent_) * static_cast<size_t>(depth_), ' ');
}

void ReferenceJsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_elements_) out_ += ',';
  if (indent_ > 0 && depth_ > 0) newline();
  has_elements_ = true;
}

void ReferenceJsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  ++depth_;
  has_elements_ = false;
}

void ReferenceJsonWriter::close(char bracket) {
  --depth_;
  if (indent_ > 0 && has_elements_) newline();
  out_ += bracket;
  has_elements_ = true;  // the closed container is a member of its parent
}

void ReferenceJsonWriter::begin_object() { open('{'); }
void ReferenceJsonWriter::end_object() { close('}'); }
void ReferenceJsonWriter::begin_array() { open('['); }
void ReferenceJsonWriter::end_array() { close(']'); }

void ReferenceJsonWriter::key(std::string_view k) {
  before_value();
  append_escaped(k);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
}

void ReferenceJsonWriter::string(std::string_view s) {
  before_value();
  append_escaped(s);
}

void ReferenceJsonWriter::append_escaped(std::string_view s) {
  out_ += '"';
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && !needs_care(static_cast<unsigned char>(s[run]))) ++run;
    out_.append(s.data() + i, run - i);
    if (run == s.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8_sequence_length(s.substr(i));
      if (n == 0) {
        out_ += kReplacement;
        ++i;
      } else {
        out_.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    out_ += '\\';
    switch (c) {
      case '"': out_ += '"'; break;
      case '\\': out_ += '\\'; break;
      case '\b': out_ += 'b'; break;
      case '\f': out_ += 'f'; break;
      case '\n': out_ += 'n'; break;
      case '\r': out_ += 'r'; break;
      case '\t': out_ += 't'; break;
      default:
        out_ += "u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0x0F];
    }
    ++i;
  }
  out_ += '"';
}

void ReferenceJsonWriter::number(double v) {
  if (!std::isfinite(v)) {
    null();
    return;
  }
  before_value();
  // The shortest digits that read back to the same bits, from std::to_chars in
  // scientific form ("-1.2345e+20"), then laid out the way Python's repr does.
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(result.ptr - buf));
  if (text.front() == '-') {
    out_ += '-';
    text.remove_prefix(1);
  }
  const size_t e_pos = text.find('e');
  int exponent = 0;
  std::from_chars(text.data() + e_pos + (text[e_pos + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);
  char digits[20];
  size_t n = 0;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') digits[n++] = c;
  }
  append_decimal(std::string_view(digits, n), exponent);
}

// Writes the value 0.d1d2d3... x 10^(exponent+1) (d1 is the units digit when
// exponent is 0): fixed notation with at least one digit after the point for
// 1e-4 <= |v| < 1e16, otherwise d1.d2d3e+XX with at least two exponent digits.
void ReferenceJsonWriter::append_decimal(std::string_view digits, int exponent) {
  const int n = static_cast<int>(digits.size());
  if (exponent >= kMinFixedExponent && exponent < kMaxFixedExponent) {
    if (exponent < 0) {
      out_ += "0.";
      out_.append(static_cast<size_t>(-exponent - 1), '0');
      out_ += digits;
    } else if (n <= exponent + 1) {
      out_ += digits;
      out_.append(static_cast<size_t>(exponent + 1 - n), '0');
      out_ += ".0";
    } else {
      out_ += digits.substr(0, static_cast<size_t>(exponent + 1));
      out_ += '.';
      out_ += digits.substr(static_cast<size_t>(exponent + 1));
    }
    return;
  }
  out_ += digits[0];
  if (n > 1) {
    out_ += '.';
    out_ += digits.substr(1);
  }
  out_ += exponent < 0 ? "e-" : "e+";
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out_ += '0';
  out_ += std::to_string(magnitude);
}

void ReferenceJsonWriter::number(int64_t v) {
  before_value();
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, result.ptr);
}

void ReferenceJsonWriter::null() {
  before_value();
  out_ += "null";
}

void ReferenceJsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
}

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

void write_cell(ReferenceJsonWriter& w, const model::ConstColumnPtr& column, size_t row) {
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
void write_record(ReferenceJsonWriter& w, const model::ConstTableView& table, size_t row) {
  const auto fields = model::table_fields(table.kind);
  w.begin_object();
  for (size_t i = 1; i < fields.size(); ++i) {
    w.key(fields[i].name);
    write_cell(w, table.columns[i], row);
  }
  w.end_object();
}

void write_rows(ReferenceJsonWriter& w, const model::ConstTableView& table,
                const std::vector<size_t>& rows) {
  w.begin_array();
  for (size_t row : rows) write_record(w, table, row);
  w.end_array();
}

void write_header(ReferenceJsonWriter& w, const model::ResultHeader& h) {
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

std::string reference_write_result(const model::BacktestResult& result, int indent) {
  Grouper grouper(result.summary);
  grouper.assign(result.signals.symbol, &SymbolGroup::signal_rows);
  grouper.assign(result.curve.symbol, &SymbolGroup::curve_rows);
  const model::ConstTableView summary = model::view(result, TableKind::kSummary);
  const model::ConstTableView signals = model::view(result, TableKind::kSignals);
  const model::ConstTableView curve = model::view(result, TableKind::kCurve);

  ReferenceJsonWriter w(indent);
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

std::string reference_double_text(double v) {
  ReferenceJsonWriter w;
  w.number(v);
  return w.take();
}

}  // namespace btstore::json::test
