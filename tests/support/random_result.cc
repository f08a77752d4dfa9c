#include "support/random_result.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <variant>

#include "common/time.h"
#include "json/json_writer.h"
#include "model/schema.h"

namespace btstore::testing {
namespace {

using Rng = std::mt19937_64;

bool chance(Rng& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

template <typename T>
T uniform(Rng& rng, T lo, T hi) {
  return std::uniform_int_distribution<T>(lo, hi)(rng);
}

// Code points that exercise escaping and every UTF-8 length.
constexpr std::string_view kPieces[] = {
    "a",
    "Z",
    "0",
    "/",
    "-",
    "_",
    " ",
    "\"",
    "\\",
    "\n",
    "\t",
    "\x01",
    "\x1f",
    "\x7f",
    "\xc3\xa9",          // é
    "\xed\x95\x9c",      // 한
    "\xe2\x82\xac",      // €
    "\xe2\x80\xa8",      // U+2028
    "\xef\xbf\xbf",      // U+FFFF
    "\xf0\x9f\x98\x80",  // 😀
    "\xf4\x8f\xbf\xbf",  // U+10FFFF
};

std::string random_text(Rng& rng, size_t min_chars, size_t max_chars, bool allow_nul) {
  const size_t n = uniform<size_t>(rng, min_chars, max_chars);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (allow_nul && chance(rng, 0.02)) {
      out += '\0';
    } else if (chance(rng, 0.6)) {
      out += static_cast<char>('a' + uniform(rng, 0, 25));
    } else {
      out += kPieces[uniform<size_t>(rng, 0, std::size(kPieces) - 1)];
    }
  }
  return out;
}

double random_double(Rng& rng, bool extreme) {
  static constexpr double kSpecial[] = {-0.0,
                                        0.0,
                                        5e-324,
                                        -5e-324,
                                        2.2250738585072014e-308,
                                        2.225073858507201e-308,
                                        1.7976931348623157e308,
                                        -1.7976931348623157e308,
                                        1e308,
                                        -1e308,
                                        0.1 + 0.2,
                                        1e22,
                                        1e23,
                                        9007199254740992.0,
                                        9007199254740994.0,
                                        123456789012345680000.0,
                                        1e21,
                                        1e-7,
                                        -1.5e-5};
  const int kind = uniform(rng, 0, extreme ? 9 : 5);
  if (kind <= 2) {  // prices and percentages with two decimals
    return std::round(std::uniform_real_distribution<double>(-1e6, 1e6)(rng) * 100) / 100;
  }
  if (kind <= 4) return static_cast<double>(uniform<int64_t>(rng, -1'000'000, 1'000'000));
  if (kind == 5) return std::uniform_real_distribution<double>(-10, 10)(rng);
  if (kind <= 7) return kSpecial[uniform<size_t>(rng, 0, std::size(kSpecial) - 1)];
  for (;;) {  // any finite bit pattern
    const double d = std::bit_cast<double>(rng());
    if (std::isfinite(d)) return d;
  }
}

int32_t random_int32(Rng& rng, bool extreme) {
  if (extreme && chance(rng, 0.3)) {
    static constexpr int32_t kSpecial[] = {std::numeric_limits<int32_t>::min(),
                                           std::numeric_limits<int32_t>::max(), 0, -1};
    return kSpecial[uniform<size_t>(rng, 0, std::size(kSpecial) - 1)];
  }
  return extreme ? static_cast<int32_t>(rng()) : uniform(rng, 0, 10'000);
}

// `n` non-decreasing timestamps, some equal.
std::vector<int64_t> sorted_timestamps(Rng& rng, size_t n, bool extreme) {
  std::vector<int64_t> out(n);
  if (!extreme) {
    int64_t t = 1'704'067'200'000'000 + uniform<int64_t>(rng, 0, 1'000'000) * 1'000'000;
    for (int64_t& v : out) v = t += uniform<int64_t>(rng, 0, 4) * 3'600'000'000;
    return out;
  }
  for (int64_t& v : out) {
    const int kind = uniform(rng, 0, 9);
    if (kind == 0)
      v = kMinTimestampMicros;
    else if (kind == 1)
      v = kMaxTimestampMicros;
    else if (kind <= 4)
      v = uniform<int64_t>(rng, -2'208'988'800'000'000, 0);  // 1900-1970
    else if (kind <= 6)
      v = uniform<int64_t>(rng, 4'102'444'800'000'000, kMaxTimestampMicros);  // after 2100
    else
      v = uniform<int64_t>(rng, kMinTimestampMicros, kMaxTimestampMicros);
  }
  std::sort(out.begin(), out.end());
  for (size_t i = 1; i < n; ++i) {
    if (chance(rng, 0.1)) out[i] = out[i - 1];
  }
  return out;
}

std::string random_uuid(Rng& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += kHex[i == 12 ? 4 : i == 16 ? 8 + uniform(rng, 0, 3) : uniform(rng, 0, 15)];
  }
  return out;
}

void random_json_value(Rng& rng, json::JsonWriter& w, int depth);

void random_json_object(Rng& rng, json::JsonWriter& w, int depth) {
  std::set<std::string> keys;
  const int n = uniform(rng, 0, depth == 0 ? 6 : 3);
  for (int i = 0; i < n; ++i) keys.insert(random_text(rng, 0, 8, false));
  w.begin_object();
  for (const std::string& key : keys) {  // sorted, so unique
    w.key(key);
    random_json_value(rng, w, depth + 1);
  }
  w.end_object();
}

void random_json_value(Rng& rng, json::JsonWriter& w, int depth) {
  static constexpr std::string_view kNumberTexts[] = {
      "1.50", "-0", "1E400", "12345678901234567890123456789", "0.1e-2", "7"};
  switch (uniform(rng, 0, depth >= 3 ? 4 : 6)) {
    case 0: return w.string(random_text(rng, 0, 10, false));
    case 1: return w.number(random_double(rng, true));
    case 2: return w.raw(kNumberTexts[uniform<size_t>(rng, 0, std::size(kNumberTexts) - 1)]);
    case 3: return chance(rng, 0.5) ? w.boolean(chance(rng, 0.5)) : w.null();
    case 4: return w.number(static_cast<int64_t>(rng()));
    case 5: return random_json_object(rng, w, depth);
    default: {
      w.begin_array();
      for (int i = uniform(rng, 0, 4); i > 0; --i) random_json_value(rng, w, depth + 1);
      w.end_array();
    }
  }
}

model::ResultHeader random_header(Rng& rng, bool extreme) {
  model::ResultHeader h;
  h.task_id = random_uuid(rng);
  h.strategy = random_text(rng, 1, chance(rng, 0.1) ? 100 : 20, false);
  if (!chance(rng, 0.2)) h.timeframe = random_text(rng, 0, 10, false);
  const int32_t lo = extreme ? kMinDateDays : 18'000, hi = extreme ? kMaxDateDays : 21'000;
  int32_t a = uniform(rng, lo, hi), b = chance(rng, 0.1) ? a : uniform(rng, lo, hi);
  h.start_date = format_date(std::min(a, b));
  h.end_date = format_date(std::max(a, b));
  static constexpr const char* kStatus[] = {"completed", "failed", "running"};
  h.status = kStatus[uniform(rng, 0, 2)];
  json::JsonWriter w;
  random_json_object(rng, w, 0);
  h.metadata_json = w.take();
  return h;
}

// Appends one row to every column of `view` but symbol and the ones the caller
// fills (signal_index, idx, timestamp).
void random_row(Rng& rng, const model::TableView& view, const RandomResultOptions& o,
                const std::string& symbol) {
  const auto fields = model::table_fields(view.kind);
  for (size_t i = 1; i < fields.size(); ++i) {
    const std::string_view name = fields[i].name;
    if (name == "signal_index" || name == "idx" || name == "timestamp") continue;
    std::visit(
        [&](auto* c) {
          using T = std::decay_t<decltype(c->values[0])>;
          if (chance(rng, o.null_rate)) return c->push_null();
          if constexpr (std::is_same_v<T, double>) c->push(random_double(rng, o.extreme_values));
          if constexpr (std::is_same_v<T, int32_t>) c->push(random_int32(rng, o.extreme_values));
          if constexpr (std::is_same_v<T, std::string>) c->push(random_text(rng, 0, 8, true));
        },
        view.columns[i]);
  }
  std::get<model::StringColumn*>(view.columns[0])->push(symbol);
}

void add_symbol(Rng& rng, model::BacktestResult& r, const RandomResultOptions& o,
                const std::string& symbol) {
  const model::TableView summary = model::mutable_view(r, model::TableKind::kSummary);
  const model::TableView signals = model::mutable_view(r, model::TableKind::kSignals);
  const model::TableView curve = model::mutable_view(r, model::TableKind::kCurve);
  random_row(rng, summary, o, symbol);
  const size_t signal_count = uniform<size_t>(rng, 0, static_cast<size_t>(o.max_signals));
  for (int64_t t : sorted_timestamps(rng, signal_count, o.extreme_values)) {
    random_row(rng, signals, o, symbol);
    r.signals.signal_index.push(random_int32(rng, o.extreme_values));
    r.signals.timestamp.push(t);
  }
  const size_t points = uniform<size_t>(rng, 0, static_cast<size_t>(o.max_curve));
  const int64_t max_idx = std::numeric_limits<int32_t>::max();
  int64_t idx = o.extreme_values && chance(rng, 0.3)
                    ? (chance(rng, 0.5) ? std::numeric_limits<int32_t>::min()
                                        : max_idx - 3 * static_cast<int64_t>(points))
                    : 0;
  for (int64_t t : sorted_timestamps(rng, points, o.extreme_values)) {
    random_row(rng, curve, o, symbol);
    r.curve.idx.push(static_cast<int32_t>(idx));
    r.curve.timestamp.push(t);
    idx += uniform<int64_t>(rng, 1, 3);
  }
}

template <typename T>
bool same_value(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double>) {
    return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
  } else {
    return a == b;
  }
}

template <typename T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    json::JsonWriter w;
    w.string(v);
    return w.take();
  } else if constexpr (std::is_same_v<T, double>) {
    json::JsonWriter w;
    w.number(v);
    return w.take() + " (bits " + std::to_string(std::bit_cast<uint64_t>(v)) + ")";
  } else {
    return std::to_string(v);
  }
}

template <typename T>
std::string column_difference(const model::Column<T>& a, const model::Column<T>& b) {
  if (a.size() != b.size()) {
    return "rows " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  }
  for (size_t row = 0; row < a.size(); ++row) {
    if (a.defined[row] != b.defined[row]) return "row " + std::to_string(row) + ": null differs";
    if (a.defined[row] && !same_value(a.values[row], b.values[row])) {
      return "row " + std::to_string(row) + ": " + show(a.values[row]) + " vs " +
             show(b.values[row]);
    }
  }
  return "";
}

}  // namespace

model::BacktestResult random_result(std::mt19937_64& rng, const RandomResultOptions& options) {
  model::BacktestResult r;
  r.header = random_header(rng, options.extreme_values);
  std::set<std::string> names;
  const int symbols = uniform(rng, 0, options.max_symbols);
  static constexpr const char* kTypical[] = {"BTC/USDT", "ETH/USDT", "SOL/USDT"};
  for (int i = 0; i < symbols; ++i) {
    std::string name = chance(rng, 0.5) ? std::string(kTypical[uniform(rng, 0, 2)])
                                        : random_text(rng, 1, 12, false);
    if (!names.insert(name).second) continue;
    add_symbol(rng, r, options, name);
  }
  return r;
}

std::string result_difference(const model::BacktestResult& a, const model::BacktestResult& b) {
  const model::ResultHeader &ha = a.header, &hb = b.header;
  if (ha.task_id != hb.task_id) return "task_id: " + ha.task_id + " vs " + hb.task_id;
  if (ha.strategy != hb.strategy)
    return "strategy: " + show(ha.strategy) + " vs " + show(hb.strategy);
  if (ha.timeframe != hb.timeframe) return "timeframe differs";
  if (ha.start_date != hb.start_date)
    return "start_date: " + ha.start_date + " vs " + hb.start_date;
  if (ha.end_date != hb.end_date) return "end_date: " + ha.end_date + " vs " + hb.end_date;
  if (ha.status != hb.status) return "status: " + ha.status + " vs " + hb.status;
  if (ha.metadata_json != hb.metadata_json) {
    return "metadata_json: " + ha.metadata_json + " vs " + hb.metadata_json;
  }
  for (model::TableKind kind : model::kAllTables) {
    const model::ConstTableView va = model::view(a, kind), vb = model::view(b, kind);
    const auto fields = model::table_fields(kind);
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string diff = std::visit(
          [&](const auto* ca) {
            using C = std::decay_t<decltype(*ca)>;
            return column_difference(*ca, *std::get<const C*>(vb.columns[i]));
          },
          va.columns[i]);
      if (!diff.empty()) {
        return std::string(model::table_name(kind)) + "." + std::string(fields[i].name) + " " +
               diff;
      }
    }
  }
  return "";
}

}  // namespace btstore::testing
