// The backtest_results catalog: one row per result, the queries ResultStorage needs.
// Every value travels as a bound parameter; this file and catalog.cc are the only places that
// know the table's SQL.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "catalog/connection.h"

namespace btstore::catalog {

inline constexpr std::string_view kStatusCompleted = "completed";
inline constexpr std::string_view kStatusFailed = "failed";
inline constexpr std::string_view kStatusRunning = "running";

// Column widths of the design's DDL (characters).
inline constexpr size_t kMaxStrategyChars = 100;
inline constexpr size_t kMaxTimeframeChars = 10;
inline constexpr size_t kMaxParquetPathChars = 500;

// One row of backtest_results. Timestamps are UTC microseconds since the Unix epoch
// (format_timestamp() in common/time.h prints them as RFC 3339).
struct CatalogRecord {
  std::string task_id;                   // UUID; read back in lower case
  std::string strategy;                  // <= 100 characters
  std::vector<std::string> symbols;      // stored as a JSONB array, order kept
  std::string start_date;                // YYYY-MM-DD
  std::string end_date;                  // YYYY-MM-DD, not before start_date
  std::optional<std::string> timeframe;  // <= 10 characters ("1h", "4h", "1d")
  std::string status;                    // completed | failed | running
  std::string parquet_path;              // "backtests/{task_id}/", relative to the storage root
  std::optional<int64_t> file_size;      // bytes of the three Parquet files together
  std::optional<int32_t> record_count;   // rows of symbol_signals
  std::string metadata_json = "{}";      // one JSON object; a NULL column reads as "{}"
  int64_t created_at = 0;                // set by the server; ignored by insert and update
  int64_t updated_at = 0;                // set by the server's trigger on every update
};

// InvalidArgument naming the field when `record` cannot be stored: task_id not a UUID, a date
// not YYYY-MM-DD or out of order, an unknown status, text too long for its column, not UTF-8
// or holding a NUL byte, a negative size or count, metadata not a JSON object.
Status validate_record(const CatalogRecord& record);

// "backtests/{task_id}/" for a canonical task_id.
std::string parquet_path_for(std::string_view task_id);

// list(): newest first (created_at DESC, task_id DESC); every filter set must hold.
struct ListFilter {
  std::optional<std::string> status;
  std::optional<std::string> strategy;  // exact match
  std::vector<std::string> symbols;     // rows whose symbols contain all of these
  std::optional<int64_t> since;         // created_at >= since (UTC microseconds)
  std::optional<int64_t> until;         // created_at < until
  std::optional<int64_t> limit;         // rows per page (>= 1); nullopt returns every row
  std::string after;                    // a ListPage::next_cursor; empty for the first page
};

struct ListPage {
  std::vector<CatalogRecord> records;
  std::string next_cursor;  // empty when no row follows this page
};

struct RemovedRow {
  std::string task_id;
  std::string parquet_path;
};

// A task registered before its result exists (status running, no files yet).
struct RunningTask {
  std::string task_id;
  std::string strategy;
  std::vector<std::string> symbols;
  std::string start_date;
  std::string end_date;
  std::optional<std::string> timeframe;
  std::string metadata_json = "{}";
};

enum class RowLock { kNone, kForUpdate };
enum class CreatedAt { kKeep, kNow };

class Catalog {
 public:
  // The connection's schema must be current (see migrations.h).
  explicit Catalog(Connection conn) : conn_(std::move(conn)) {}

  Connection& connection() { return conn_; }

  // One transaction around several calls: begin(); insert(); <move files>; commit().
  Status begin() { return conn_.begin(); }
  Status commit() { return conn_.commit(); }
  Status rollback() { return conn_.rollback(); }
  bool in_transaction() const { return conn_.in_transaction(); }

  // Inserts `record` (created_at and updated_at come from the server) and returns the row as
  // stored. AlreadyExists when the task_id (or parquet_path) is taken.
  Result<CatalogRecord> insert(const CatalogRecord& record);

  // insert() in one round trip that does not fail when the task_id is taken: nullopt then, the
  // row untouched (INSERT ... ON CONFLICT (task_id) DO NOTHING). *txid gets the id of the
  // transaction that wrote the row (for commit_task(), which then need not ask for it).
  Result<std::optional<CatalogRecord>> insert_if_absent(const CatalogRecord& record,
                                                        std::string* txid);

  // NotFound when no row has `task_id`. kForUpdate locks the row until the transaction ends.
  Result<CatalogRecord> get(std::string_view task_id, RowLock lock = RowLock::kNone);

  // Overwrites every column of the row with record.task_id except created_at (unless
  // kNow) and updated_at (the trigger sets it). NotFound when there is no such row.
  Result<CatalogRecord> update(const CatalogRecord& record,
                               CreatedAt created_at = CreatedAt::kKeep);

  // Whether the row's metadata equals `metadata_json` as jsonb values (key order, spacing and
  // number spelling aside). NotFound when there is no such row.
  Result<bool> metadata_equals(std::string_view task_id, const std::string& metadata_json);

  // Deletes the row and returns its parquet_path. NotFound when there is no such row.
  Result<std::string> remove(std::string_view task_id);

  // One page of rows, newest first, by keyset (never OFFSET): pass next_cursor back as
  // filter.after. InvalidArgument for a malformed cursor, unknown status or limit < 1.
  Result<ListPage> list(const ListFilter& filter);

  // Rows matching the filter's status, strategy, symbols, since and until (limit and after
  // are ignored).
  Result<int64_t> count(const ListFilter& filter);

  // Cleanup by age against the server's clock: rows with created_at < now() - older_than.
  // select_* only reads (a dry run); delete_* deletes them in one statement and returns them.
  Result<std::vector<RemovedRow>> select_older_than(std::chrono::microseconds older_than);
  Result<std::vector<RemovedRow>> delete_older_than(std::chrono::microseconds older_than);

  // Calls `fn` for every row, newest first, reading `batch` rows at a time; stops at the first
  // error `fn` returns and returns it.
  Status for_each(const std::function<Status(const CatalogRecord&)>& fn, int64_t batch = 500);

  // Inserts a row with status running, parquet_path backtests/{task_id}/, no size or count.
  Result<CatalogRecord> register_running(const RunningTask& task);

  // Sets status failed and metadata.error = `error` (other metadata keys kept). NotFound when
  // there is no such row; InvalidArgument when the task is completed (its files exist).
  Result<CatalogRecord> mark_failed(std::string_view task_id, std::string_view error);

 private:
  Connection conn_;
};

}  // namespace btstore::catalog
