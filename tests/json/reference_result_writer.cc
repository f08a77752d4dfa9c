// The result writer as it was before its text was written in chunks on several threads: the
// oracle that keeps today's output byte for byte. Its text layer is the plain JsonWriter, with
// doubles from std::to_chars.
#include "json/reference_result_writer.h"

#include <charconv>
#include <cmath>
#include <variant>
#include <vector>

#include "common/time.h"
#include "json/json_writer.h"
#include "json/symbol_groups.h"
#include "model/schema.h"

namespace btstore::json::test {

// The shortest digits that read back to the same bits, from std::to_chars in scientific form
// ("-1.2345e+20"), laid out the way Python's repr does: fixed notation with at least one digit
// after the point for 1e-4 <= |v| < 1e16, otherwise d1.d2d3e+XX with at least two exponent
// digits. An oracle independent of the writer's Dragonbox digits.
std::string reference_double_text(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(result.ptr - buf));
  std::string out;
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  const size_t e_pos = text.find('e');
  int exponent = 0;
  std::from_chars(text.data() + e_pos + (text[e_pos + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);
  std::string digits;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  const int n = static_cast<int>(digits.size());
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (n <= exponent + 1) {
      out += digits + std::string(static_cast<size_t>(exponent + 1 - n), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent + 1)) + '.' +
             digits.substr(static_cast<size_t>(exponent + 1));
    }
    return out;
  }
  out += digits[0];
  if (n > 1) out += '.' + digits.substr(1);
  out += exponent < 0 ? "e-" : "e+";
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out += '0';
  return out + std::to_string(magnitude);
}

namespace {

using model::TableKind;

void write_cell(JsonWriter& w, const model::ConstColumnPtr& column, size_t row) {
  std::visit(
      [&](const auto* c) {
        if (row == kNoRow || c->is_null(row)) return w.null();
        using T = std::decay_t<decltype(c->values[0])>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.string(c->values[row]);
        } else if constexpr (std::is_same_v<T, double>) {
          w.raw(reference_double_text(c->values[row]));
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

std::string reference_write_result(const model::BacktestResult& result, int indent) {
  Grouper grouper(result.summary);
  grouper.assign(result.signals.symbol, &SymbolGroup::signal_rows);
  grouper.assign(result.curve.symbol, &SymbolGroup::curve_rows);
  const model::ConstTableView summary = model::view(result, TableKind::kSummary);
  const model::ConstTableView signals = model::view(result, TableKind::kSignals);
  const model::ConstTableView curve = model::view(result, TableKind::kCurve);

  JsonWriter w(indent);
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

}  // namespace btstore::json::test
