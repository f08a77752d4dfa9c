#include "result_generator.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/file_util.h"
#include "common/time.h"
#include "symbol_simulation.h"

namespace btstore::bench {
namespace {

constexpr size_t kChunkBytes = 1 << 20;
constexpr int64_t kStartMicros = 1704067200'000000;  // 2024-01-01T00:00:00Z
constexpr int64_t kHourMicros = 3600'000000;

// Appends JSON text the way Python's json.dumps lays it out (", " and ": ").
class TextOut {
 public:
  explicit TextOut(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }
  void key(std::string_view k) {
    out_ += '"';
    out_.append(k);
    out_.append("\": ");
  }
  void string(std::string_view s) {  // generated strings need no escapes
    out_ += '"';
    out_.append(s);
    out_ += '"';
  }
  void integer(int64_t v) {
    char buf[24];
    out_.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
  }
  // Shortest round-trip digits; integral values keep a ".0" like Python's repr.
  void number(double v) {
    char buf[32];
    char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out_.append(buf, static_cast<size_t>(end - buf));
    if (std::memchr(buf, '.', static_cast<size_t>(end - buf)) == nullptr &&
        std::memchr(buf, 'e', static_cast<size_t>(end - buf)) == nullptr) {
      out_.append(".0");
    }
  }
  void optional(const std::optional<double>& v) { v ? number(*v) : raw("null"); }
  // units / 10^decimals with the trailing zeros dropped (at least one decimal).
  void fixed(int64_t units, int decimals) {
    char buf[32];
    int64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    char* p = std::to_chars(buf, buf + sizeof buf, units / scale).ptr;
    *p++ = '.';
    int64_t frac = units % scale;
    for (int64_t div = scale / 10; div > 0; div /= 10)
      *p++ = static_cast<char>('0' + frac / div % 10);
    while (p[-1] == '0' && p[-2] != '.') --p;
    out_.append(buf, static_cast<size_t>(p - buf));
  }
  void timestamp(int64_t bar) {
    char buf[kTimestampBufferSize];
    size_t n = format_timestamp(kStartMicros + bar * kHourMicros, buf);
    string(std::string_view(buf, n));
  }

 private:
  std::string& out_;
};

void write_summary(TextOut& w, const GeneratedSummary& s) {
  w.raw("{");
  w.key("win_rate"), w.optional(s.win_rate), w.raw(", ");
  w.key("avg_return"), w.optional(s.avg_return), w.raw(", ");
  w.key("max_return"), w.optional(s.max_return), w.raw(", ");
  w.key("min_return"), w.optional(s.min_return), w.raw(", ");
  w.key("max_drawdown"), w.number(s.max_drawdown), w.raw(", ");
  w.key("avg_hold_bars"), w.optional(s.avg_hold_bars), w.raw(", ");
  w.key("total_signals"), w.integer(s.total_signals), w.raw(", ");
  w.key("winning_signals"), w.integer(s.winning_signals), w.raw(", ");
  w.key("losing_signals"), w.integer(s.losing_signals), w.raw(", ");
  w.key("total_pnl"), w.number(s.total_pnl), w.raw(", ");
  w.key("total_pnl_pct"), w.number(s.total_pnl_pct), w.raw("}");
}

void write_signal(TextOut& w, const GeneratedSignal& s) {
  w.raw("{");
  w.key("signal_index"), w.integer(s.signal_index), w.raw(", ");
  w.key("timestamp"), w.timestamp(s.bar), w.raw(", ");
  w.key("type"), w.string(s.buy ? "buy" : "sell"), w.raw(", ");
  w.key("entry_price"), w.fixed(s.entry_cents, 2), w.raw(", ");
  w.key("exit_price"), s.open ? w.raw("null") : w.fixed(s.exit_cents, 2), w.raw(", ");
  w.key("quantity"), w.fixed(s.quantity_units, s.quantity_decimals), w.raw(", ");
  w.key("return_pct"), s.open ? w.raw("null") : w.number(s.return_pct), w.raw(", ");
  w.key("hold_bars"), s.open ? w.raw("null") : w.integer(s.hold_bars), w.raw(", ");
  w.key("fee_amount"), w.number(s.fee_amount), w.raw(", ");
  w.key("slippage_amount"), w.number(s.slippage_amount), w.raw(", ");
  w.key("status"), w.string(s.open ? "open" : "closed"), w.raw("}");
}

void write_point(TextOut& w, int64_t idx, const GeneratedPoint& p) {
  w.raw("{");
  w.key("idx"), w.integer(idx), w.raw(", ");
  w.key("timestamp"), w.timestamp(idx), w.raw(", ");
  w.key("equity"), w.number(p.equity), w.raw(", ");
  w.key("drawdown"), w.number(p.drawdown), w.raw(", ");
  w.key("cumulative_pnl"), w.number(p.cumulative_pnl), w.raw(", ");
  w.key("cumulative_pnl_pct"), w.number(p.cumulative_pnl_pct), w.raw("}");
}

void write_symbol(TextOut& w, const GeneratedSymbol& sym, std::string& buf, const ChunkSink& sink,
                  Status& status) {
  auto flush_if_full = [&] {
    if (buf.size() >= kChunkBytes && status.ok()) {
      status = sink(buf);
      buf.clear();
    }
  };
  w.raw("{");
  w.key("symbol"), w.string(sym.name), w.raw(", ");
  w.key("summary"), write_summary(w, sym.summary), w.raw(", ");
  w.key("signals"), w.raw("[");
  for (size_t i = 0; i < sym.signals.size(); ++i) {
    if (i > 0) w.raw(", ");
    write_signal(w, sym.signals[i]);
    flush_if_full();
  }
  w.raw("], ");
  w.key("performance_curve"), w.raw("[");
  for (size_t i = 0; i < sym.curve.size(); ++i) {
    if (i > 0) w.raw(", ");
    write_point(w, static_cast<int64_t>(i), sym.curve[i]);
    flush_if_full();
  }
  w.raw("]}");
}

std::string task_id(uint64_t seed) {
  Random rng(seed ^ 0x5eed5eed5eed5eedULL);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id += '-';
    uint64_t nibble = rng.next() & 0xf;
    if (i == 12) nibble = 4;                   // version 4
    if (i == 16) nibble = 8 | (nibble & 0x3);  // RFC 4122 variant
    id += kHex[nibble];
  }
  return id;
}

void write_header(TextOut& w, const GeneratorOptions& o) {
  int64_t last_bar = std::max(o.curve_points, 1) - 1;
  int32_t start_day = static_cast<int32_t>(kStartMicros / 86400'000000);
  int32_t end_day = static_cast<int32_t>((kStartMicros + last_bar * kHourMicros) / 86400'000000);
  w.raw("{");
  w.key("task_id"), w.string(task_id(o.seed)), w.raw(", ");
  w.key("strategy"), w.string("volume_zone_breakout"), w.raw(", ");
  w.key("timeframe"), w.string("1h"), w.raw(", ");
  w.key("start_date"), w.string(format_date(start_day)), w.raw(", ");
  w.key("end_date"), w.string(format_date(end_day)), w.raw(", ");
  w.key("status"), w.string("completed"), w.raw(", ");
  w.key("metadata"), w.raw("{");
  w.key("engine"), w.string("btstore-bench generator"), w.raw(", ");
  w.key("preset"), w.string(o.preset), w.raw(", ");
  w.key("seed"), w.integer(static_cast<int64_t>(o.seed)), w.raw(", ");
  w.key("params"), w.raw("{\"zone_len\": 20, \"volume_factor\": 1.5, \"risk_per_trade\": 0.01}}, ");
  w.key("symbols"), w.raw("[");
}

}  // namespace

Result<GeneratorOptions> preset_options(std::string_view name) {
  GeneratorOptions o;
  o.preset = std::string(name);
  if (name == "small") {
    o.symbols = 5, o.signals = 250, o.curve_points = 720;
  } else if (name == "100mb") {
    o.symbols = 200, o.signals = 1000, o.curve_points = 1500;
  } else if (name == "500mb") {
    o.symbols = 1000, o.signals = 1000, o.curve_points = 1500;
  } else {
    return Status::InvalidArgument("unknown preset '" + std::string(name) +
                                   "'; use small, 100mb or 500mb");
  }
  return o;
}

Status generate_result(const GeneratorOptions& options, const ChunkSink& sink) {
  std::string buf;
  buf.reserve(kChunkBytes + (1 << 16));
  TextOut w(buf);
  Status status;
  write_header(w, options);
  GeneratedSymbol sym;
  for (int i = 0; i < options.symbols && status.ok(); ++i) {
    if (i > 0) w.raw(", ");
    simulate_symbol(options.seed, i, options.signals, options.curve_points, sym);
    write_symbol(w, sym, buf, sink, status);
  }
  BTSTORE_RETURN_IF_ERROR(status);
  w.raw("]}\n");
  return sink(buf);
}

std::string generate_result_text(const GeneratorOptions& options) {
  std::string text;
  Status st = generate_result(options, [&](std::string_view chunk) {
    text.append(chunk);
    return Status::OK();
  });
  (void)st;  // the sink above cannot fail
  return text;
}

Result<uint64_t> generate_result_file(const GeneratorOptions& options,
                                      const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("open", path, errno);
  uint64_t total = 0;
  Status st = generate_result(options, [&](std::string_view chunk) -> Status {
    while (!chunk.empty()) {
      ssize_t n = ::write(fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_status("write", path, errno);
      chunk.remove_prefix(static_cast<size_t>(n));
      total += static_cast<uint64_t>(n);
    }
    return Status::OK();
  });
  if (::close(fd) != 0 && st.ok()) st = errno_status("close", path, errno);
  BTSTORE_RETURN_IF_ERROR(st);
  return total;
}

}  // namespace btstore::bench
