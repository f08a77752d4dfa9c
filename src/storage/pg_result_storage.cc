#include "storage/pg_result_storage.h"

#include <algorithm>
#include <new>

#include "catalog/config.h"
#include "catalog/task_commit.h"
#include "catalog/task_locks.h"
#include "common/time.h"
#include "common/uuid.h"
#include "convert/result_files.h"
#include "json/input_limits.h"
#include "json/json_writer.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "storage/legacy_reads.h"
#include "storage/mode_storage.h"

namespace btstore {

using catalog::CatalogRecord;

Result<std::unique_ptr<ResultStorage>> ResultStorage::open(const StorageOptions& options) {
  return storage::open_with_mode(options);  // mode_storage.cc
}

Result<std::string> ResultStorage::save_result(std::string_view json, bool replace) {
  BTSTORE_ASSIGN_OR_RETURN(PreparedSave prepared, prepare_save(json));
  return save_prepared(std::move(prepared), replace);
}

PreparedSave::PreparedSave(model::BacktestResult result)
    : result_(std::make_unique<model::BacktestResult>(std::move(result))) {}
PreparedSave::PreparedSave(PreparedSave&&) noexcept = default;
PreparedSave& PreparedSave::operator=(PreparedSave&&) noexcept = default;
PreparedSave::~PreparedSave() = default;

const std::string& PreparedSave::task_id() const { return result_->header.task_id; }

namespace storage {

Result<std::unique_ptr<ResultStorage>> open_with_file_store(
    const StorageOptions& options, std::unique_ptr<filestore::FileStore> files) {
  BTSTORE_ASSIGN_OR_RETURN(catalog::DatabaseConfig config,
                           catalog::resolve_database_config(options));
  auto policy =
      options.migrate ? catalog::SchemaPolicy::kMigrate : catalog::SchemaPolicy::kRequireCurrent;
  BTSTORE_ASSIGN_OR_RETURN(catalog::Catalog catalog, catalog::open_catalog(config, policy));
  if (!files) files = filestore::open_local_file_store(config.root.string());
  return std::unique_ptr<ResultStorage>(
      new PgResultStorage(std::move(catalog), std::move(files), options.convert));
}

Result<std::string> checked_task_id(std::string_view task_id) {
  if (!is_uuid(task_id)) {
    return Status::InvalidArgument("'" + std::string(task_id) +
                                   "' is not a task id (expected a UUID such as "
                                   "550e8400-e29b-41d4-a716-446655440000)");
  }
  return canonical_uuid(task_id);
}

bool has_files(const CatalogRecord& record) {
  // A registered task gets its size only when its result is saved; a saved
  // document may itself say "failed" or "running".
  return record.status == catalog::kStatusCompleted || record.file_size.has_value();
}

ResultEntry to_entry(const CatalogRecord& r) {
  return ResultEntry{r.task_id,
                     r.strategy,
                     r.symbols,
                     r.start_date,
                     r.end_date,
                     r.timeframe,
                     r.status,
                     r.parquet_path,
                     r.file_size,
                     r.record_count,
                     r.metadata_json,
                     format_timestamp(r.created_at),
                     format_timestamp(r.updated_at)};
}

namespace {

// A parse buffer larger than this is given back after the save instead of kept for the next.
constexpr size_t kKeptParseBuffer = size_t{64} << 20;

// json::parse_result() with the document copied into this thread's padded buffer, kept for the
// next save: a save of a 1 MB document then neither maps nor faults in a fresh megabyte.
Result<model::BacktestResult> parse_document(std::string_view json, const ConvertOptions& convert) {
  const json::InputLimits limits = json::input_limits(convert);
  BTSTORE_RETURN_IF_ERROR(json::check_document_size(json.size(), limits));
  BTSTORE_RETURN_IF_ERROR(json::check_depth_limit(limits));
  thread_local std::string buffer;
  try {
    buffer.reserve(json.size() + json::kParsePadding);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory copying a " + std::to_string(json.size()) +
                            "-byte document for parsing");
  }
  buffer.assign(json);
  buffer.append(json::kParsePadding, ' ');
  json::ParseOptions options;
  options.max_depth = limits.max_depth;
  options.threads = static_cast<size_t>(std::max(convert.threads, 0));
  auto result = json::parse_result_in_place(std::string_view(buffer.data(), json.size()), options);
  if (buffer.capacity() > kKeptParseBuffer) std::string().swap(buffer);
  return result;
}

}  // namespace

Result<PreparedSave> PgResultStorage::prepare_save(std::string_view json) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, parse_document(json, convert_));
  return PreparedSave(std::move(result));
}

Result<std::string> PgResultStorage::save_prepared(PreparedSave prepared, bool replace) {
  std::lock_guard lock(mu_);
  BTSTORE_RETURN_IF_ERROR(save_model(prepared.result(), replace));
  return prepared.task_id();
}

Result<std::string> PgResultStorage::register_running(const RunningTask& task) {
  catalog::RunningTask t{task.task_id,  task.strategy,  task.symbols,      task.start_date,
                         task.end_date, task.timeframe, task.metadata_json};
  if (t.task_id.empty()) {
    t.task_id = generate_uuid_v4();
  } else {
    BTSTORE_ASSIGN_OR_RETURN(t.task_id, checked_task_id(t.task_id));
  }
  std::lock_guard lock(mu_);
  BTSTORE_ASSIGN_OR_RETURN(CatalogRecord record, catalog_.register_running(t));
  return record.task_id;
}

Status PgResultStorage::mark_failed(std::string_view task_id, std::string_view error) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, checked_task_id(task_id));
  std::lock_guard lock(mu_);
  auto record = catalog_.mark_failed(id, error);
  return record.ok() ? Status::OK() : record.status();
}

Result<CatalogRecord> PgResultStorage::completed_record(std::string_view task_id) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, checked_task_id(task_id));
  auto record = catalog_.get(id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("no result with task id " + id);
    }
    return record.status();
  }
  if (!has_files(*record)) {
    return Status::NotFound("task " + id + " is " + record->status +
                            "; it has no saved result files");
  }
  return record;
}

Result<model::BacktestResult> PgResultStorage::read_model(const CatalogRecord& record) {
  // One open directory for all four files: a concurrent replace cannot mix versions.
  auto source = files_->open_result(record.task_id);
  auto result = source.ok() ? convert::read_result(*source, nullptr)
                            : Result<model::BacktestResult>(source.status());
  if (result.ok()) return result;
  Status st = result.status();
  // The row says the files exist: one missing is damage to the store, not an
  // unknown result.
  if (st.code() == StatusCode::kNotFound) {
    st =
        Status::Corruption(st.message() + " (the catalog lists this result; run `btstore verify`)");
  }
  return st.with_context(record.parquet_path);
}

Result<model::BacktestResult> PgResultStorage::read_current(std::string_view task_id,
                                                            CatalogRecord* record) {
  for (int attempt = 0;; ++attempt) {
    BTSTORE_ASSIGN_OR_RETURN(*record, completed_record(task_id));
    auto result = read_model(*record);
    if (result.ok()) return result;
    // A delete or replace may have moved the files between reading the row and
    // the files: what the catalog says now decides.
    auto now = completed_record(task_id);
    if (!now.ok() && now.status().code() == StatusCode::kNotFound) return now.status();
    if (!now.ok() || now->updated_at == record->updated_at || attempt == 3) return result;
  }
}

Result<std::string> PgResultStorage::get_result(std::string_view task_id) {
  std::lock_guard lock(mu_);
  CatalogRecord record;
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, read_current(task_id, &record));
  std::string text = json::write_result(result, 0);
  // The catalog's fields follow the document's own members.
  json::JsonWriter extra;
  extra.begin_object();
  extra.key("created_at");
  extra.string(format_timestamp(record.created_at));
  extra.key("updated_at");
  extra.string(format_timestamp(record.updated_at));
  extra.key("parquet_path");
  extra.string(record.parquet_path);
  extra.key("file_size");
  record.file_size ? extra.number(*record.file_size) : extra.null();
  extra.key("record_count");
  record.record_count ? extra.number(static_cast<int64_t>(*record.record_count)) : extra.null();
  extra.end_object();
  text.pop_back();  // '}'
  text += ',';
  text += extra.str().substr(1);
  return text;
}

Result<ResultEntry> PgResultStorage::get_entry(std::string_view task_id) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, checked_task_id(task_id));
  std::lock_guard lock(mu_);
  auto record = catalog_.get(id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("no result with task id " + id);
    }
    return record.status();
  }
  return to_entry(*record);
}

Result<std::vector<SymbolSummary>> PgResultStorage::get_summary(std::string_view task_id) {
  std::lock_guard lock(mu_);
  CatalogRecord record;
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, read_current(task_id, &record));
  return summary_rows(result);
}

Result<ListPage> PgResultStorage::list(const ListFilter& filter) {
  catalog::ListFilter f;
  f.status = filter.status;
  f.strategy = filter.strategy;
  f.symbols = filter.symbols;
  f.since = filter.since_micros;
  f.until = filter.until_micros;
  f.limit = filter.limit;
  f.after = filter.after;
  std::lock_guard lock(mu_);
  BTSTORE_ASSIGN_OR_RETURN(catalog::ListPage page, catalog_.list(f));
  ListPage out;
  out.next_cursor = page.next_cursor;
  for (const auto& r : page.records) out.entries.push_back(to_entry(r));
  return out;
}

Status PgResultStorage::delete_result(std::string_view task_id) {
  BTSTORE_ASSIGN_OR_RETURN(std::string id, checked_task_id(task_id));
  std::lock_guard lock(mu_);
  // Held until the directory is gone: a save of the same task_id waits (task_locks.h).
  catalog::Connection& conn = catalog_.connection();
  BTSTORE_RETURN_IF_ERROR(catalog::lock_tasks_for_session(conn, {id}));
  Status st = [&] {
    auto removed = catalog_.remove(id);
    if (!removed.ok()) {
      if (removed.status().code() == StatusCode::kNotFound) {
        // Idempotent for the files: a directory left by an interrupted delete goes too.
        (void)files_->remove(id);
        return Status::NotFound("no result with task id " + id);
      }
      return removed.status();
    }
    return files_->remove(id);
  }();
  (void)catalog::unlock_tasks(conn);  // a lost session has released them already
  return st;
}

Result<std::vector<RemovedResult>> PgResultStorage::cleanup(const CleanupOptions& options) {
  std::lock_guard lock(mu_);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options.older_than);
  BTSTORE_ASSIGN_OR_RETURN(std::vector<catalog::RemovedRow> candidates,
                           catalog_.select_older_than(micros));
  std::vector<RemovedResult> out;
  if (options.dry_run) {
    for (const auto& row : candidates) out.push_back({row.task_id, row.parquet_path});
    return out;
  }
  // Batches bound the advisory locks one session holds (the server's lock table
  // is shared and small: max_locks_per_transaction).
  constexpr size_t kBatch = 500;
  Status first_error;
  for (size_t begin = 0; begin < candidates.size(); begin += kBatch) {
    std::vector<std::string> ids;
    for (size_t i = begin; i < std::min(candidates.size(), begin + kBatch); ++i) {
      ids.push_back(candidates[i].task_id);
    }
    BTSTORE_RETURN_IF_ERROR(cleanup_batch(ids, micros, out, first_error));
    if (options.progress) options.progress(begin + ids.size(), candidates.size());
  }
  // Rows are gone either way; a directory that could not be removed is an
  // orphan that verify --repair sweeps, so report it rather than hide it.
  if (!first_error.ok()) {
    return first_error.with_context("cleanup removed " + std::to_string(out.size()) +
                                    " rows but not every directory");
  }
  return out;
}

Status PgResultStorage::cleanup_batch(const std::vector<std::string>& ids,
                                      std::chrono::microseconds older_than,
                                      std::vector<RemovedResult>& out, Status& first_error) {
  // Lock the candidates until their directories are gone, then delete those
  // still old enough (task_locks.h).
  catalog::Connection& conn = catalog_.connection();
  BTSTORE_RETURN_IF_ERROR(catalog::lock_tasks_for_session(conn, ids));
  auto rows = catalog::delete_older_among(conn, ids, older_than);
  if (rows.ok()) {
    // The rows are gone (committed); now their directories, the batch's moves made durable
    // together (FileStore::remove_many).
    std::vector<std::string> removed;
    for (const auto& row : *rows) {
      out.push_back({row.task_id, row.parquet_path});
      removed.push_back(row.task_id);
    }
    Status st = files_->remove_many(removed);
    if (!st.ok() && first_error.ok()) first_error = st;
  }
  (void)catalog::unlock_tasks(conn);  // a lost session has released them already
  return rows.status();
}

}  // namespace storage
}  // namespace btstore
