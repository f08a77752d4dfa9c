// Readers of the two structured members of a BacktestResult document; each
// reports its problems through the DocumentReader and keeps reading.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>

#include "json/document_reader.h"
#include "json/symbols_layout.h"
#include "model/result.h"
#include "model/schema.h"

namespace btstore::json {

// Deepest nesting accepted inside "metadata" (the metadata object itself is 1).
inline constexpr int kMaxMetadataDepth = 64;

// The value of "metadata": any JSON object, written to `out` minified, numbers
// kept as their source text, strings re-escaped canonically. Duplicate keys,
// U+0000 in strings or keys, and nesting deeper than kMaxMetadataDepth are problems.
void read_metadata(DocumentReader& reader, ondemand::value& value, std::string& out);

// The value of "symbols": appends one summary row per symbol and its signal and
// curve rows to `result`, checking names, types, ranges and order.
void read_symbols(DocumentReader& reader, ondemand::value& value, model::BacktestResult& result);

// read_symbols() of the symbol objects at `elements` of `json` (symbols[first_index], ...),
// each parsed as a document of its own, into `result`'s tables; `consumed` is told each range
// once read. After the first symbol, the signal and curve columns are reserved for the rows
// `reserve_bytes` of symbols probably hold, judged by the rows per byte of that first one.
// false at the first problem of any kind: the caller then parses the whole document, which
// reports every problem with its place in the document.
// REQUIRES: kParsePadding readable bytes follow json.end().
bool read_symbol_elements(std::string_view json, std::span<const ByteRange> elements,
                          size_t first_index, size_t reserve_bytes, model::BacktestResult& result,
                          const std::function<void(ByteRange)>& consumed);

// a == b for the short keys of a record, inline: a call of memcmp per key costs more than the
// comparison.
inline bool same_key(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return false;
  }
  for (; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The members a record of `kind` must have; the others may be absent or null.
inline std::span<const std::string_view> required_fields(model::TableKind kind) {
  static constexpr std::string_view kSignals[] = {"signal_index", "timestamp"};
  static constexpr std::string_view kCurve[] = {"idx", "timestamp"};
  switch (kind) {
    case model::TableKind::kSignals: return kSignals;
    case model::TableKind::kCurve: return kCurve;
    default: return {};
  }
}

// Sets row `row` of `c` (pushed as null) to `value`.
template <typename T, typename V>
void set(model::Column<T>& c, size_t row, const V& value) {
  c.values[row] = T(value);
  c.defined[row] = 1;
}

// One symbol object `text` (padded as simdjson requires) read by simdjson's DOM parser into
// `result`'s tables: the rows the On-Demand readers would give, or false where they would
// report a problem (and in a few rare valid cases), with the rows added so far left in place.
bool read_symbol_dom(simdjson::dom::parser& parser, std::string_view text,
                     model::BacktestResult& result);

// Reserves the signal and curve columns for the rows `json` probably holds (one
// "signal_index" / "idx" key per row), so filling them seldom reallocates.
void reserve_rows(std::string_view json, model::BacktestResult& result);

}  // namespace btstore::json
