#include "storage/legacy_reads.h"

#include <algorithm>

#include "catalog/values.h"
#include "common/time.h"
#include "common/uuid.h"

namespace btstore::storage {
namespace {

int64_t created_micros(const ResultEntry& e) {
  auto t = parse_timestamp(e.created_at);
  return t.ok() ? *t : 0;
}

bool matches(const ResultEntry& e, const ListFilter& f) {
  if (f.status && e.status != *f.status) return false;
  if (f.strategy && e.strategy != *f.strategy) return false;
  for (const auto& s : f.symbols) {
    if (std::find(e.symbols.begin(), e.symbols.end(), s) == e.symbols.end()) return false;
  }
  int64_t t = created_micros(e);
  if (f.since_micros && t < *f.since_micros) return false;
  if (f.until_micros && t >= *f.until_micros) return false;
  return true;
}

}  // namespace

Result<LegacyHit> load_legacy(const legacy::LegacyStore& store, const std::string& task_id) {
  if (!is_uuid(task_id)) {
    return Status::InvalidArgument("'" + task_id + "' is not a task id (expected a UUID)");
  }
  std::string id = canonical_uuid(task_id);
  BTSTORE_ASSIGN_OR_RETURN(std::vector<legacy::LegacyFile> files, store.find(id));
  Status first_error = Status::NotFound("no result with task id " + id);
  for (auto& f : files) {
    auto loaded = store.load(f);
    if (loaded.ok() && loaded->result.header.task_id == id) {
      return LegacyHit{std::move(f), std::move(*loaded)};
    }
    if (!loaded.ok() && first_error.code() == StatusCode::kNotFound) first_error = loaded.status();
  }
  return first_error;
}

ResultEntry legacy_entry(const LegacyHit& hit) {
  const model::BacktestResult& r = hit.loaded.result;
  const model::ResultHeader& h = r.header;
  std::string when = format_timestamp(hit.file.mtime_micros);
  return ResultEntry{h.task_id,
                     h.strategy,
                     r.summary.symbol.values,
                     h.start_date,
                     h.end_date,
                     h.timeframe,
                     h.status,
                     "",
                     static_cast<int64_t>(hit.file.size),
                     static_cast<int32_t>(r.signals.num_rows()),
                     h.metadata_json,
                     when,
                     when};
}

std::vector<SymbolSummary> summary_rows(const model::BacktestResult& result) {
  const model::SummaryTable& t = result.summary;
  auto d = [](const model::DoubleColumn& c, size_t i) {
    return c.is_null(i) ? std::nullopt : std::optional<double>(c.values[i]);
  };
  auto n = [](const model::Int32Column& c, size_t i) {
    return c.is_null(i) ? std::nullopt : std::optional<int32_t>(c.values[i]);
  };
  std::vector<SymbolSummary> rows;
  for (size_t i = 0; i < t.num_rows(); ++i) {
    rows.push_back({t.symbol.values[i], d(t.win_rate, i), d(t.avg_return, i), d(t.max_return, i),
                    d(t.min_return, i), d(t.max_drawdown, i), d(t.avg_hold_bars, i),
                    n(t.total_signals, i), n(t.winning_signals, i), n(t.losing_signals, i),
                    d(t.total_pnl, i), d(t.total_pnl_pct, i)});
  }
  return rows;
}

std::string cursor_of(const ResultEntry& e) {
  return catalog::format_cursor({created_micros(e), e.task_id});
}

bool newer_than(const ResultEntry& a, const ResultEntry& b) {
  int64_t ta = created_micros(a), tb = created_micros(b);
  return ta != tb ? ta > tb : a.task_id > b.task_id;
}

Result<std::vector<ResultEntry>> list_legacy(const legacy::LegacyStore& store,
                                             const ListFilter& filter,
                                             const std::function<bool(const ResultEntry&)>& keep) {
  std::optional<catalog::Cursor> after;
  if (!filter.after.empty()) {
    BTSTORE_ASSIGN_OR_RETURN(catalog::Cursor c, catalog::parse_cursor(filter.after));
    after = c;
  }
  auto files = store.scan();
  if (!files.ok()) {
    if (files.status().code() == StatusCode::kNotFound) return std::vector<ResultEntry>{};
    return files.status();
  }
  std::vector<ResultEntry> all;
  for (auto& f : *files) {
    auto loaded = store.load(f);
    if (!loaded.ok()) continue;  // not a result: `btstore migrate status` reports it
    ResultEntry e = legacy_entry(LegacyHit{f, std::move(*loaded)});
    if (!matches(e, filter)) continue;
    if (after) {
      int64_t t = created_micros(e);
      if (t > after->created_at || (t == after->created_at && e.task_id >= after->task_id))
        continue;
    }
    all.push_back(std::move(e));
  }
  std::sort(all.begin(), all.end(), newer_than);
  // Copies of one task_id in several files: the first (newest) stands for it.
  std::vector<ResultEntry> out;
  for (auto& e : all) {
    if (static_cast<int64_t>(out.size()) > filter.limit) break;
    bool seen = std::any_of(out.begin(), out.end(),
                            [&](const ResultEntry& o) { return o.task_id == e.task_id; });
    if (!seen && keep(e)) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace btstore::storage
