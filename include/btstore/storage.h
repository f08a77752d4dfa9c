// ResultStorage: every backtest result as one PostgreSQL row in
// backtest_results plus its directory backtests/{task_id}/ of Parquet files,
// saved transactionally and given back exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/convert.h"
#include "btstore/status.h"

namespace btstore {

namespace model {
struct BacktestResult;
}

// The phases of the migration from a legacy JSON store (docs/migration.md).
enum class StorageMode {
  kJson,     // phase 1: legacy JSON files only
  kDual,     // phase 2: PostgreSQL + Parquet and legacy JSON, both or neither
  kParquet,  // phase 3: PostgreSQL + Parquet; reads fall back to legacy JSON
  kArchive,  // phase 4: PostgreSQL + Parquet; legacy JSON is never touched
};

std::string_view storage_mode_name(StorageMode mode);  // "json", "dual", "parquet", "archive"
Result<StorageMode> parse_storage_mode(std::string_view name);

struct StorageOptions {
  // A libpq URI or keyword string. Empty: the PG* environment variables when
  // any is set, else btstore's embedded cluster under `home`.
  std::string database_url;
  std::string home;  // BTSTORE_HOME; default ~/.local/share/btstore
  std::string root;  // BTSTORE_ROOT, holding backtests/; default `home`
  ConvertOptions convert;
  // Apply missing catalog migrations on open (otherwise a missing one is an error
  // that says to run `btstore db migrate`).
  bool migrate = true;
  // Limits on a slow or unreachable database, so that no call hangs (0 turns one off):
  // connecting; a statement (the server cancels it: statement_timeout); and a silent network
  // (TCP keepalives and tcp_user_timeout, and how long an answer may take beyond the statement
  // timeout before the connection is given up). A lost connection is reopened by the next call.
  int connect_timeout_seconds = 10;
  int statement_timeout_ms = 120'000;
  int network_timeout_ms = 30'000;
  // BTSTORE_MODE and BTSTORE_LEGACY_DIR: json and dual need legacy_dir; in
  // parquet mode it is optional (reads fall back to it when set).
  StorageMode mode = StorageMode::kParquet;
  std::string legacy_dir;
};

// The catalog row of a result (timestamps as RFC 3339 UTC text).
struct ResultEntry {
  std::string task_id;
  std::string strategy;
  std::vector<std::string> symbols;
  std::string start_date;
  std::string end_date;
  std::optional<std::string> timeframe;
  std::string status;  // completed | failed | running
  std::string parquet_path;
  std::optional<int64_t> file_size;
  std::optional<int32_t> record_count;
  std::string metadata_json;
  std::string created_at;
  std::string updated_at;
};

// One row of symbol_summary.
struct SymbolSummary {
  std::string symbol;
  std::optional<double> win_rate, avg_return, max_return, min_return, max_drawdown, avg_hold_bars;
  std::optional<int32_t> total_signals, winning_signals, losing_signals;
  std::optional<double> total_pnl, total_pnl_pct;
};

struct ListFilter {
  std::optional<std::string> status;
  std::optional<std::string> strategy;
  std::vector<std::string> symbols;     // results holding all of them
  std::optional<int64_t> since_micros;  // created_at >= since
  std::optional<int64_t> until_micros;  // created_at < until
  int64_t limit = 50;
  std::string after;  // a ListPage::next_cursor
};

struct ListPage {
  std::vector<ResultEntry> entries;  // newest first
  std::string next_cursor;           // empty on the last page
};

struct RunningTask {
  std::string task_id;  // generated when empty
  std::string strategy;
  std::vector<std::string> symbols;
  std::string start_date;
  std::string end_date;
  std::optional<std::string> timeframe;
  std::string metadata_json = "{}";
};

struct RemovedResult {
  std::string task_id;
  std::string parquet_path;
};

struct CleanupOptions {
  std::chrono::seconds older_than{0};  // by the database's clock
  bool dry_run = false;                // only list them
  // When set (and not a dry run), told after each batch of removals: (results looked at,
  // results to look at). A result saved again meanwhile is looked at and left.
  std::function<void(size_t done, size_t total)> progress;
};

struct VerifyOptions {
  std::vector<std::string> task_ids;  // empty: every result and the whole store
  bool repair = false;
  // Directories younger than this are left alone: a save may be in flight.
  std::chrono::seconds grace{3600};
  // Results whose files are checked side by side; 0 = one per core.
  int jobs = 0;
  // When set, told after each result is checked: (results checked, results to check). A
  // whole-store check then looks at the directories, which takes a moment more.
  std::function<void(size_t done, size_t total)> progress;
};

struct Problem {
  std::string task_id;  // empty for store-level problems
  std::string kind;  // "missing_files", "schema", "row_count", "etag", "order", "orphan_dir", ...
  std::string detail;
  bool repaired = false;
};

// A document parsed and checked by ResultStorage::prepare_save(), for save_prepared().
class PreparedSave {
 public:
  explicit PreparedSave(model::BacktestResult result);  // for the storages: the model is internal
  PreparedSave(PreparedSave&&) noexcept;
  PreparedSave& operator=(PreparedSave&&) noexcept;
  ~PreparedSave();

  // Canonical, and generated when the document has none.
  const std::string& task_id() const;
  const model::BacktestResult& result() const { return *result_; }

 private:
  std::unique_ptr<model::BacktestResult> result_;
};

class ResultStorage {
 public:
  static Result<std::unique_ptr<ResultStorage>> open(const StorageOptions& options);
  virtual ~ResultStorage() = default;

  // Validates, converts and stores a BacktestResult JSON document; returns its
  // task_id. AlreadyExists when the task_id is taken, unless `replace`. A
  // `running` row of the same task_id is completed by the save.
  Result<std::string> save_result(std::string_view json, bool replace = false);

  // save_result() in two halves, so that a caller can parse one document while another is
  // stored (save_results() does). prepare_save() parses and validates, touching neither the
  // database nor the files, and may run on any thread, also during a save of this storage;
  // save_prepared() stores the result as save_result() would.
  virtual Result<PreparedSave> prepare_save(std::string_view json) = 0;
  virtual Result<std::string> save_prepared(PreparedSave prepared, bool replace = false) = 0;

  virtual Result<std::string> register_running(const RunningTask& task) = 0;
  virtual Status mark_failed(std::string_view task_id, std::string_view error) = 0;

  // The saved BacktestResult JSON with created_at, updated_at, parquet_path,
  // file_size and record_count added from the catalog.
  virtual Result<std::string> get_result(std::string_view task_id) = 0;
  virtual Result<ResultEntry> get_entry(std::string_view task_id) = 0;
  // The per-symbol summary rows of a saved result, in symbol order.
  virtual Result<std::vector<SymbolSummary>> get_summary(std::string_view task_id) = 0;

  virtual Result<ListPage> list(const ListFilter& filter) = 0;

  // Removes the row, then the files. NotFound when there is no such result.
  virtual Status delete_result(std::string_view task_id) = 0;

  // Removes every result created more than `options.older_than` ago; returns those removed
  // (with dry_run, those that would be).
  virtual Result<std::vector<RemovedResult>> cleanup(const CleanupOptions& options) = 0;
  Result<std::vector<RemovedResult>> cleanup(std::chrono::seconds older_than,
                                             bool dry_run = false) {
    return cleanup(CleanupOptions{older_than, dry_run, {}});
  }

  virtual Result<std::vector<Problem>> verify(const VerifyOptions& options) = 0;
};

// Many documents saved side by side (`btstore save --jobs`).
struct BatchSaveOptions {
  bool replace = false;  // as save_result()'s
  int jobs = 0;          // saves at a time, each on a storage (a connection) of its own; 0 = cores
};

// Saves `count` documents as save_result() would, `options.jobs` at a time; each job reads and
// parses its next document while it saves the one before. `read(i)` gives document i (an error
// there is that input's outcome; it may be called from several threads at once, never twice for
// one input); `done(i, task_id or error)` is called
// once per input, in input order, as soon as it and every earlier input are finished, never by
// two threads at once. Inputs with the same task_id are saved in input order, so the outcome is
// that of saving them one after the other. Fails, saving nothing, only when no storage opens
// (none is opened for no input); when fewer than `jobs` open (a database's connection limit),
// the batch runs on those.
Status save_results(const StorageOptions& storage, size_t count,
                    const std::function<Result<std::string>(size_t i)>& read,
                    const std::function<void(size_t i, const Result<std::string>& task_id)>& done,
                    const BatchSaveOptions& options = {});

}  // namespace btstore
