#include "catalog/catalog.h"

#include "catalog/catalog_rows.h"
#include "catalog/values.h"
#include "common/time.h"

namespace btstore::catalog {

using detail::check_status;
using detail::decode_row;
using detail::kColumns;

namespace {

constexpr size_t kColumnCount = 13;

// $1..$11 of insert and update, in the order their SQL names them.
std::vector<Param> record_params(const CatalogRecord& r, const std::string& task_id) {
  auto opt_int = [](const auto& v) -> Param {
    return v ? Param(std::to_string(*v)) : std::nullopt;
  };
  return {task_id,
          r.strategy,
          encode_string_array(r.symbols),
          r.start_date,
          r.end_date,
          r.timeframe,
          r.status,
          r.parquet_path,
          opt_int(r.file_size),
          opt_int(r.record_count),
          r.metadata_json};
}

Result<CatalogRecord> single_row(const QueryResult& result, const std::string& task_id) {
  if (result.rows.empty()) {
    return Status::NotFound("task " + task_id + " is not in the catalog");
  }
  return decode_row(result.rows[0]);
}

std::string age_interval(std::chrono::microseconds older_than) {
  return std::to_string(older_than.count()) + " microseconds";
}

Result<std::vector<RemovedRow>> removed_rows(Result<QueryResult> result) {
  if (!result.ok()) return result.status();
  std::vector<RemovedRow> out;
  for (const Row& row : result->rows) out.push_back({row[0].value_or(""), row[1].value_or("")});
  return out;
}

}  // namespace

std::string parquet_path_for(std::string_view task_id) {
  return "backtests/" + std::string(task_id) + "/";
}

Status validate_record(const CatalogRecord& r) {
  BTSTORE_RETURN_IF_ERROR(canonical_task_id(r.task_id).status());
  Status st = [&]() -> Status {
    BTSTORE_RETURN_IF_ERROR(check_text("strategy", r.strategy, kMaxStrategyChars));
    for (size_t i = 0; i < r.symbols.size(); ++i) {
      BTSTORE_RETURN_IF_ERROR(check_text("symbols[" + std::to_string(i) + "]", r.symbols[i]));
    }
    for (auto [name, date] : {std::pair{"start_date", &r.start_date}, {"end_date", &r.end_date}}) {
      if (!parse_date(*date).ok()) {
        return Status::InvalidArgument(std::string(name) + " \"" + date->substr(0, 40) +
                                       "\" is not a calendar date YYYY-MM-DD");
      }
    }
    if (r.start_date > r.end_date) {
      return Status::InvalidArgument("start_date " + r.start_date + " is after end_date " +
                                     r.end_date);
    }
    if (r.timeframe)
      BTSTORE_RETURN_IF_ERROR(check_text("timeframe", *r.timeframe, kMaxTimeframeChars));
    BTSTORE_RETURN_IF_ERROR(check_status("status", r.status));
    BTSTORE_RETURN_IF_ERROR(check_text("parquet_path", r.parquet_path, kMaxParquetPathChars));
    if (r.parquet_path.empty()) return Status::InvalidArgument("parquet_path is empty");
    if (r.file_size && *r.file_size < 0) return Status::InvalidArgument("file_size is negative");
    if (r.record_count && *r.record_count < 0) {
      return Status::InvalidArgument("record_count is negative");
    }
    return check_json_object("metadata", r.metadata_json);
  }();
  return st.with_context("catalog record " + r.task_id);
}

// The INSERT of a record's row with record_params(); the caller adds what follows VALUES.
constexpr std::string_view kInsertRow =
    "INSERT INTO backtest_results (task_id, strategy, symbols, start_date, end_date, timeframe, "
    "status, parquet_path, file_size, record_count, metadata) VALUES ($1::uuid, $2, $3::jsonb, "
    "$4::date, $5::date, $6, $7, $8, $9::bigint, $10::integer, $11::jsonb) ";

Result<CatalogRecord> Catalog::insert(const CatalogRecord& record) {
  BTSTORE_RETURN_IF_ERROR(validate_record(record));
  std::string id = canonical_task_id(record.task_id).value();
  Result<QueryResult> result = conn_.exec(
      std::string(kInsertRow) + "RETURNING " + std::string(kColumns), record_params(record, id));
  if (!result.ok()) return result.status().with_context("insert task " + id);
  return single_row(*result, id);
}

Result<std::optional<CatalogRecord>> Catalog::insert_if_absent(const CatalogRecord& record,
                                                               std::string* txid) {
  BTSTORE_RETURN_IF_ERROR(validate_record(record));
  std::string id = canonical_task_id(record.task_id).value();
  Result<QueryResult> result =
      conn_.exec(std::string(kInsertRow) + "ON CONFLICT (task_id) DO NOTHING RETURNING " +
                     std::string(kColumns) + ", txid_current()::text",
                 record_params(record, id));
  if (!result.ok()) return result.status().with_context("insert task " + id);
  if (result->rows.empty()) return std::optional<CatalogRecord>();
  Row& row = result->rows[0];
  if (txid != nullptr) *txid = row.back().value_or("");
  row.pop_back();
  BTSTORE_ASSIGN_OR_RETURN(CatalogRecord stored, decode_row(row));
  return std::optional<CatalogRecord>(std::move(stored));
}

Result<CatalogRecord> Catalog::get(std::string_view task_id, RowLock lock) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, canonical_task_id(task_id));
  std::string sql =
      "SELECT " + std::string(kColumns) + " FROM backtest_results WHERE task_id = $1::uuid";
  if (lock == RowLock::kForUpdate) sql += " FOR UPDATE";
  BTSTORE_ASSIGN_OR_RETURN(QueryResult result, conn_.exec(sql, {id}));
  return single_row(result, id);
}

Result<bool> Catalog::metadata_equals(std::string_view task_id, const std::string& metadata_json) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, canonical_task_id(task_id));
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult result,
      conn_.exec("SELECT metadata = $2::jsonb FROM backtest_results WHERE task_id = $1::uuid",
                 {id, metadata_json}));
  if (result.rows.empty()) return Status::NotFound("no catalog row for task " + id);
  return result.rows[0][0] == std::optional<std::string>("t");
}

Result<CatalogRecord> Catalog::update(const CatalogRecord& record, CreatedAt created_at) {
  BTSTORE_RETURN_IF_ERROR(validate_record(record));
  std::string id = canonical_task_id(record.task_id).value();
  std::string sql =
      "UPDATE backtest_results SET strategy = $2, symbols = $3::jsonb, start_date = $4::date, "
      "end_date = $5::date, timeframe = $6, status = $7, parquet_path = $8, "
      "file_size = $9::bigint, record_count = $10::integer, metadata = $11::jsonb";
  if (created_at == CreatedAt::kNow) sql += ", created_at = CURRENT_TIMESTAMP";
  sql += " WHERE task_id = $1::uuid RETURNING " + std::string(kColumns);
  Result<QueryResult> result = conn_.exec(sql, record_params(record, id));
  if (!result.ok()) return result.status().with_context("update task " + id);
  return single_row(*result, id);
}

Result<std::string> Catalog::remove(std::string_view task_id) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, canonical_task_id(task_id));
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult result,
      conn_.exec("DELETE FROM backtest_results WHERE task_id = $1::uuid RETURNING parquet_path",
                 {id}));
  if (result.rows.empty()) return Status::NotFound("task " + id + " is not in the catalog");
  return result.rows[0][0].value_or("");
}

Result<std::vector<RemovedRow>> Catalog::select_older_than(std::chrono::microseconds older_than) {
  if (older_than.count() < 0) return Status::InvalidArgument("cleanup age is negative");
  return removed_rows(
      conn_.exec("SELECT task_id::text, parquet_path FROM backtest_results "
                 "WHERE created_at < now() - $1::interval ORDER BY created_at, task_id",
                 {age_interval(older_than)}));
}

Result<std::vector<RemovedRow>> Catalog::delete_older_than(std::chrono::microseconds older_than) {
  if (older_than.count() < 0) return Status::InvalidArgument("cleanup age is negative");
  return removed_rows(
      conn_.exec("DELETE FROM backtest_results WHERE created_at < now() - $1::interval "
                 "RETURNING task_id::text, parquet_path",
                 {age_interval(older_than)}));
}

Status Catalog::for_each(const std::function<Status(const CatalogRecord&)>& fn, int64_t batch) {
  ListFilter filter;
  filter.limit = batch;
  while (true) {
    BTSTORE_ASSIGN_OR_RETURN(ListPage page, list(filter));
    for (const CatalogRecord& r : page.records) BTSTORE_RETURN_IF_ERROR(fn(r));
    if (page.next_cursor.empty()) return Status::OK();
    filter.after = page.next_cursor;
  }
}

Result<CatalogRecord> Catalog::register_running(const RunningTask& task) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, canonical_task_id(task.task_id));
  CatalogRecord r;
  r.task_id = id;
  r.strategy = task.strategy;
  r.symbols = task.symbols;
  r.start_date = task.start_date;
  r.end_date = task.end_date;
  r.timeframe = task.timeframe;
  r.status = kStatusRunning;
  r.parquet_path = parquet_path_for(id);
  r.metadata_json = task.metadata_json;
  return insert(r);
}

Result<CatalogRecord> Catalog::mark_failed(std::string_view task_id, std::string_view error) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, canonical_task_id(task_id));
  BTSTORE_RETURN_IF_ERROR(check_text("error text", error));
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult result,
      conn_.exec("UPDATE backtest_results SET status = 'failed', metadata = "
                 "COALESCE(metadata, '{}'::jsonb) || jsonb_build_object('error', $2::text) "
                 "WHERE task_id = $1::uuid AND status <> 'completed' RETURNING " +
                     std::string(kColumns),
                 {id, std::string(error)}));
  if (!result.rows.empty()) return decode_row(result.rows[0]);
  BTSTORE_ASSIGN_OR_RETURN(CatalogRecord current, get(id));  // NotFound when absent
  return Status::InvalidArgument("task " + id + " is " + current.status +
                                 "; only a running or failed task can be marked failed");
}

namespace detail {

static Result<int64_t> int_column(const Row& row, size_t i, const char* name,
                                  const std::string& id) {
  std::optional<int64_t> v = row[i] ? parse_int64(*row[i]) : std::nullopt;
  if (!v) {
    return Status::Corruption("catalog row " + id + ": " + name + " is " +
                              (row[i] ? "\"" + *row[i] + "\"" : std::string("NULL")) +
                              "; btstore never writes that (set it with UPDATE backtest_results)");
  }
  return *v;
}

Result<CatalogRecord> decode_row(const Row& row) {
  if (row.size() != kColumnCount) return Status::Internal("catalog query returned a short row");
  CatalogRecord r;
  r.task_id = row[0].value_or("");
  r.strategy = row[1].value_or("");
  Result<std::vector<std::string>> symbols = decode_string_array(row[2].value_or(""));
  if (!symbols.ok()) return symbols.status().with_context("catalog row " + r.task_id + ": symbols");
  r.symbols = std::move(symbols).value();
  r.start_date = row[3].value_or("");
  r.end_date = row[4].value_or("");
  r.timeframe = row[5];
  r.status = row[6].value_or("");
  r.parquet_path = row[7].value_or("");
  if (row[8]) {
    BTSTORE_ASSIGN_OR_RETURN(r.file_size, int_column(row, 8, "file_size", r.task_id));
  }
  if (row[9]) {
    BTSTORE_ASSIGN_OR_RETURN(int64_t count, int_column(row, 9, "record_count", r.task_id));
    r.record_count = static_cast<int32_t>(count);  // an INTEGER column
  }
  r.metadata_json = row[10].value_or("{}");
  BTSTORE_ASSIGN_OR_RETURN(r.created_at, int_column(row, 11, "created_at", r.task_id));
  BTSTORE_ASSIGN_OR_RETURN(r.updated_at, int_column(row, 12, "updated_at", r.task_id));
  return r;
}

Result<std::vector<CatalogRecord>> decode_rows(const QueryResult& result) {
  std::vector<CatalogRecord> out;
  out.reserve(result.rows.size());
  for (const Row& row : result.rows) {
    BTSTORE_ASSIGN_OR_RETURN(CatalogRecord r, decode_row(row));
    out.push_back(std::move(r));
  }
  return out;
}

static bool known_status(std::string_view s) {
  return s == kStatusCompleted || s == kStatusFailed || s == kStatusRunning;
}

Status check_status(std::string_view field, std::string_view status) {
  if (known_status(status)) return Status::OK();
  return Status::InvalidArgument(std::string(field) + " \"" + std::string(status.substr(0, 40)) +
                                 "\" is not one of completed, failed, running");
}

}  // namespace detail

}  // namespace btstore::catalog
