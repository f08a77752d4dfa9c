#include "storage/pg_result_storage.h"

#include "catalog/embedded_cluster.h"
#include "catalog/migrations.h"
#include "common/time.h"
#include "common/uuid.h"
#include "convert/result_files.h"
#include "json/json_writer.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "storage/config.h"

namespace btstore {

using catalog::CatalogRecord;

Result<std::unique_ptr<ResultStorage>> ResultStorage::open(const StorageOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(storage::ResolvedConfig config, storage::resolve_config(options));
  if (config.embedded) {
    BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster,
                             catalog::EmbeddedCluster::open({.home = config.home}));
    BTSTORE_RETURN_IF_ERROR(cluster.start());
  }
  catalog::ConnectOptions connect;
  connect.connect_timeout_seconds = options.connect_timeout_seconds;
  BTSTORE_ASSIGN_OR_RETURN(catalog::Connection conn,
                           catalog::Connection::open(config.conninfo, connect));
  if (options.migrate) {
    auto applied = catalog::migrate(conn);
    if (!applied.ok()) return applied.status();
  } else {
    BTSTORE_RETURN_IF_ERROR(catalog::require_current_schema(conn));
  }
  return std::unique_ptr<ResultStorage>(
      new storage::PgResultStorage(catalog::Catalog(std::move(conn)),
                                   filestore::open_local_file_store(config.root), options.convert));
}

namespace storage {

Result<std::string> checked_task_id(std::string_view task_id) {
  if (!is_uuid(task_id)) {
    return Status::InvalidArgument("'" + std::string(task_id) +
                                   "' is not a task id (expected a UUID such as "
                                   "550e8400-e29b-41d4-a716-446655440000)");
  }
  return canonical_uuid(task_id);
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

CatalogRecord record_for(const model::BacktestResult& result,
                         const convert::EncodedResult& encoded) {
  const model::ResultHeader& h = result.header;
  CatalogRecord r;
  r.task_id = h.task_id;
  r.strategy = h.strategy;
  r.symbols = result.summary.symbol.values;
  r.start_date = h.start_date;
  r.end_date = h.end_date;
  r.timeframe = h.timeframe;
  r.status = h.status;
  r.parquet_path = filestore::FileStore::relative_path(h.task_id);
  int64_t bytes = 0;
  for (const auto& f : encoded.manifest.parquet_files) bytes += f.file_size_bytes;
  r.file_size = bytes;
  r.record_count = static_cast<int32_t>(result.signals.num_rows());
  r.metadata_json = h.metadata_json;
  return r;
}

std::vector<filestore::FileContent> contents(const convert::EncodedResult& encoded) {
  std::vector<filestore::FileContent> out;
  for (const auto& f : encoded.files) out.push_back({f.name, f.bytes});
  return out;
}

}  // namespace

Status PgResultStorage::save_model(const model::BacktestResult& result, bool replace) {
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded,
                           convert::encode_result(result, convert_));
  CatalogRecord record = record_for(result, encoded);
  const std::string& task_id = record.task_id;
  BTSTORE_ASSIGN_OR_RETURN(filestore::Staged staged, files_->stage(task_id, contents(encoded)));

  filestore::Staged replaced;
  bool published = false;
  auto fail = [&](const Status& st) {
    (void)catalog_.rollback();
    if (published) (void)files_->unpublish(staged, &replaced);
    (void)files_->discard(staged);
    return st;
  };

  if (Status st = catalog_.begin(); !st.ok()) return fail(st);
  auto existing = catalog_.get(task_id, catalog::RowLock::kForUpdate);
  if (existing.ok()) {
    if (existing->status != catalog::kStatusRunning && !replace) {
      return fail(Status::AlreadyExists(
          "task " + task_id + " is already saved (" + existing->status + ", " +
          format_timestamp(existing->created_at) + "); use --replace to overwrite it"));
    }
    if (auto updated = catalog_.update(record); !updated.ok()) return fail(updated.status());
  } else if (existing.status().code() == StatusCode::kNotFound) {
    auto inserted = catalog_.insert(record);
    if (!inserted.ok()) {
      Status st = inserted.status();
      if (st.code() == StatusCode::kAlreadyExists) {
        st = Status::AlreadyExists("task " + task_id +
                                   " was saved by another writer at the same time; use "
                                   "--replace to overwrite it");
      }
      return fail(st);
    }
  } else {
    return fail(existing.status());
  }
  // The row lock makes us the only writer of this task_id: a directory already
  // there is either the result being replaced or a leftover of a crashed save.
  if (Status st = files_->publish(staged, /*replace=*/true, &replaced); !st.ok()) return fail(st);
  published = true;
  if (Status st = catalog_.commit(); !st.ok()) return fail(st);
  (void)files_->discard(replaced);
  return Status::OK();
}

Result<std::string> PgResultStorage::save_result(std::string_view json, bool replace) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, json::parse_result(json));
  std::lock_guard lock(mu_);
  BTSTORE_RETURN_IF_ERROR(save_model(result, replace));
  return result.header.task_id;
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
  if (record->status != catalog::kStatusCompleted) {
    return Status::NotFound("task " + id + " is " + record->status +
                            "; it has no saved result files");
  }
  return record;
}

Result<model::BacktestResult> PgResultStorage::read_model(const CatalogRecord& record) {
  auto source = [&](std::string_view name, uint64_t max_bytes) {
    return files_->read(record.task_id, name, max_bytes);
  };
  auto result = convert::read_result(source, nullptr);
  if (!result.ok()) return result.status().with_context(record.parquet_path);
  return result;
}

Result<std::string> PgResultStorage::get_result(std::string_view task_id) {
  std::lock_guard lock(mu_);
  BTSTORE_ASSIGN_OR_RETURN(CatalogRecord record, completed_record(task_id));
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, read_model(record));
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
  BTSTORE_ASSIGN_OR_RETURN(CatalogRecord record, completed_record(task_id));
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, read_model(record));
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
}

Result<std::vector<RemovedResult>> PgResultStorage::cleanup(std::chrono::seconds older_than,
                                                            bool dry_run) {
  std::lock_guard lock(mu_);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(older_than);
  auto rows = dry_run ? catalog_.select_older_than(micros) : catalog_.delete_older_than(micros);
  if (!rows.ok()) return rows.status();
  std::vector<RemovedResult> out;
  Status first_error;
  for (const auto& row : *rows) {
    out.push_back({row.task_id, row.parquet_path});
    if (dry_run) continue;
    Status st = files_->remove(row.task_id);
    if (!st.ok() && first_error.ok()) first_error = st;
  }
  // Rows are gone either way; a directory that could not be removed is an
  // orphan that verify --repair sweeps, so report it rather than hide it.
  if (!first_error.ok()) {
    return first_error.with_context("cleanup removed " + std::to_string(out.size()) +
                                    " rows but not every directory");
  }
  return out;
}

}  // namespace storage
}  // namespace btstore
