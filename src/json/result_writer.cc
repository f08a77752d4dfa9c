#include "json/result_writer.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/parallel.h"
#include "json/json_text.h"
#include "json/json_writer.h"
#include "json/result_rows.h"
#include "json/symbol_groups.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

using model::TableKind;

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

// The text of the symbols between the header and the closing brackets, a
// range of groups at a time.
class SymbolsWriter {
 public:
  SymbolsWriter(const model::BacktestResult& result, const Layout& layout)
      : summary_(model::view(result, TableKind::kSummary), layout, 3),
        signals_(model::view(result, TableKind::kSignals), layout, 4),
        curve_(model::view(result, TableKind::kCurve), layout, 4),
        symbol_key_(layout.newline(2) + "{" + layout.newline(3) + layout.key("symbol")),
        summary_key_("," + layout.newline(3) + layout.key("summary")),
        signals_key_("," + layout.newline(3) + layout.key("signals") + "["),
        curve_key_("," + layout.newline(3) + layout.key("performance_curve") + "["),
        row_separator_("," + layout.newline(4)),
        array_end_(layout.newline(3) + "]"),
        group_end_(layout.newline(2) + "}") {}

  void write(TextBuffer& out, const SymbolGroup& g, bool first) const {
    if (!first) out.append(",");
    out.append(symbol_key_);
    if (g.name != nullptr) {
      out.commit(put_quoted(out.room(quoted_bound(g.name->size())), *g.name));
    } else {
      out.append("null");
    }
    out.append(summary_key_);
    summary_.write(out, g.summary_row);
    out.append(signals_key_);
    write_rows(out, signals_, g.signal_rows);
    out.append(curve_key_);
    write_rows(out, curve_, g.curve_rows);
    out.append(group_end_);
  }

 private:
  void write_rows(TextBuffer& out, const RecordWriter& rows,
                  const std::vector<size_t>& list) const {
    for (size_t i = 0; i < list.size(); ++i) {
      out.append(i == 0 ? std::string_view(row_separator_).substr(1) : row_separator_);
      rows.write(out, list[i]);
    }
    out.append(list.empty() ? std::string_view("]") : array_end_);
  }

  RecordWriter summary_, signals_, curve_;
  std::string symbol_key_, summary_key_, signals_key_, curve_key_;
  std::string row_separator_, array_end_, group_end_;
};

// Consecutive groups of about kChunkRows rows: the unit of work of a thread and
// of a piece handed to the sink.
constexpr size_t kChunkRows = 8192;

std::vector<size_t> chunk_starts(const std::vector<SymbolGroup>& groups) {
  std::vector<size_t> starts;
  size_t rows = kChunkRows;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (rows >= kChunkRows) {
      starts.push_back(i);
      rows = 0;
    }
    rows += 1 + groups[i].signal_rows.size() + groups[i].curve_rows.size();
  }
  starts.push_back(groups.size());
  return starts;
}

// Hands the chunks to the sink in order whichever thread finishes them; the
// first failure of the sink stops the writing of later chunks.
class OrderedSink {
 public:
  explicit OrderedSink(const TextSink& sink) : sink_(sink) {}

  void put(size_t chunk, std::string_view text) {
    std::unique_lock lock(mutex_);
    turn_changed_.wait(lock, [&] { return turn_ == chunk; });
    lock.unlock();  // only the thread of this turn writes
    Status st = failed_.load() ? Status::OK() : sink_(text);
    lock.lock();
    if (!st.ok() && status_.ok()) status_ = std::move(st), failed_ = true;
    ++turn_;
    turn_changed_.notify_all();
  }

  bool failed() const { return failed_.load(); }
  Status status() const { return status_; }

 private:
  const TextSink& sink_;
  std::mutex mutex_;
  std::condition_variable turn_changed_;
  size_t turn_ = 0;
  std::atomic<bool> failed_{false};
  Status status_;
};

}  // namespace

Status write_result_to(const model::BacktestResult& result, int indent, size_t threads,
                       const TextSink& sink) {
  Grouper grouper(result.summary);
  grouper.assign(result.signals.symbol, &SymbolGroup::signal_rows);
  grouper.assign(result.curve.symbol, &SymbolGroup::curve_rows);
  const std::vector<SymbolGroup>& groups = grouper.groups();
  const Layout layout{indent};

  JsonWriter header(indent);
  header.begin_object();
  write_header(header, result.header);
  header.key("symbols");
  header.begin_array();
  BTSTORE_RETURN_IF_ERROR(sink(header.str()));

  const SymbolsWriter symbols(result, layout);
  const std::vector<size_t> starts = chunk_starts(groups);
  const size_t chunks = starts.size() - 1;
  OrderedSink ordered(sink);
  std::atomic<size_t> next_chunk{0};
  const size_t workers = threads_for(threads, chunks);
  BTSTORE_RETURN_IF_ERROR(run_parallel(workers, workers, [&](size_t) {
    TextBuffer out;
    for (size_t c = next_chunk++; c < chunks; c = next_chunk++) {
      out.clear();  // a claimed chunk always takes its turn, so that no thread waits forever
      if (!ordered.failed()) {
        for (size_t g = starts[c]; g < starts[c + 1]; ++g) symbols.write(out, groups[g], g == 0);
      }
      ordered.put(c, out.view());
    }
    return Status::OK();
  }));
  BTSTORE_RETURN_IF_ERROR(ordered.status());
  const std::string end =
      (groups.empty() ? "" : layout.newline(1)) + "]" + (indent > 0 ? "\n" : "") + "}";
  return sink(end);
}

std::string write_result(const model::BacktestResult& result, int indent) {
  std::string out;
  out.reserve(256 + 256 * (result.signals.num_rows() + result.curve.num_rows()) +
              400 * result.summary.num_rows());
  Status st = write_result_to(result, indent, 1, [&out](std::string_view piece) {
    out += piece;
    return Status::OK();
  });
  (void)st;  // the sink never fails
  return out;
}

}  // namespace btstore::json
