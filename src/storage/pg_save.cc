// PgResultStorage's save: while another thread encodes the result, the saving thread creates
// the staging directory and its files and sends BEGIN and the task lock; then the files are written
// and synced while the INSERT travels; then publish and COMMIT. The overlap changes no promise:
// nothing commits before the files are durable and published, and a failure of either side
// rolls the transaction back and discards the staged files.
#include <future>

#include "catalog/task_commit.h"
#include "catalog/task_locks.h"
#include "common/time.h"
#include "convert/result_files.h"
#include "model/manifest.h"
#include "model/schema.h"
#include "storage/pg_result_storage.h"

namespace btstore::storage {

using catalog::CatalogRecord;

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

// The names encode_result() gives the files, so that they can be created before it runs.
std::vector<std::string> result_file_names() {
  std::vector<std::string> names;
  for (model::TableKind kind : model::kAllTables) {
    names.push_back(std::string(model::table_name(kind)) + convert::kParquetSuffix);
  }
  names.emplace_back(model::kManifestFileName);
  return names;
}

}  // namespace

Status PgResultStorage::save_model(const model::BacktestResult& result, bool replace) {
  const std::string& task_id = result.header.task_id;
  Attempt attempt;
  // While the background thread encodes, this one creates the staging directory and its files
  // and sends BEGIN and the task lock: all three need only the task_id. (The file system calls
  // stay on the saving thread: the fault suites inject errors by the calls of a thread.)
  Result<convert::EncodedResult> encoding = Status::Internal("not encoded");
  std::future<Status> encoded_future = background_.run([&] {
    encoding = convert::encode_result(result, convert_);
    return encoding.status();
  });
  Result<std::unique_ptr<filestore::PendingStage>> pending =
      files_->begin_stage(task_id, result_file_names());
  const Status begin_status = begin_row(task_id, attempt);
  (void)encoded_future.get();
  if (!encoding.ok() || !pending.ok()) {
    if (begin_status.ok()) (void)catalog_.rollback();
    // A pending stage, dropped, removes its directory.
    return encoding.ok() ? pending.status() : encoding.status();
  }
  const convert::EncodedResult& encoded = *encoding;
  CatalogRecord record = record_for(result, encoded);
  // The row's statement travels while this thread writes and fsyncs the files: it uses only
  // the connection, the staging only the file store. (A failed BEGIN still stages the files,
  // for the retry on a new connection below.)
  std::future<Status> row = background_.run(
      [&] { return begin_status.ok() ? insert_row(record, replace, attempt) : begin_status; });
  Result<filestore::Staged> staging = (*pending)->finish(contents(encoded));
  Status st = row.get();
  if (!staging.ok()) {
    if (st.ok()) (void)catalog_.rollback();
    return staging.status();
  }
  filestore::Staged staged = std::move(staging).value();
  if (st.ok()) st = publish_and_commit(record, staged, attempt);
  // A concurrent writer inserted the same new task_id and committed first: with
  // replace the row now exists, so a second attempt locks and updates it.
  for (int i = 0; !st.ok() && attempt.lost_race && replace && i < 3; ++i) {
    st = commit_staged(record, staged, replace, attempt);
  }
  // A lost connection, when nothing of this save can have committed and its files are
  // staged again: once more on a new connection.
  if (!st.ok() && attempt.retry_safe) {
    Status first = st;
    st = commit_staged(record, staged, replace, attempt);
    if (!st.ok() && !attempt.outcome_unknown && first.message() != st.message()) {
      st = st.with_context("retried after: " + first.message());
    }
  }
  (void)files_->discard(staged);  // what commit_staged left staged: ours, or the replaced files
  if (st.ok() || st.code() != StatusCode::kDatabaseError || attempt.outcome_unknown) return st;
  return st.with_context("task " + record.task_id +
                         " was not saved (no row, no files); save it again once PostgreSQL is "
                         "reachable");
}

Status PgResultStorage::commit_staged(const CatalogRecord& record, filestore::Staged& staged,
                                      bool replace, Attempt& attempt) {
  BTSTORE_RETURN_IF_ERROR(write_row(record, replace, attempt));
  return publish_and_commit(record, staged, attempt);
}

Status PgResultStorage::write_row(const CatalogRecord& record, bool replace, Attempt& attempt) {
  BTSTORE_RETURN_IF_ERROR(begin_row(record.task_id, attempt));
  return insert_row(record, replace, attempt);
}

Status PgResultStorage::begin_row(const std::string& task_id, Attempt& attempt) {
  catalog::Connection& conn = catalog_.connection();
  attempt = Attempt{};
  auto fail = [&](const Status& st) {
    attempt.retry_safe = conn.lost();
    (void)catalog_.rollback();
    return st;
  };
  if (Status st = catalog_.begin(); !st.ok()) return fail(st);
  // Until COMMIT no delete or cleanup of this task_id can run (task_locks.h).
  if (Status st = catalog::lock_task_for_transaction(conn, task_id); !st.ok()) return fail(st);
  return Status::OK();
}

Status PgResultStorage::insert_row(const CatalogRecord& record, bool replace, Attempt& attempt) {
  const std::string& task_id = record.task_id;
  catalog::Connection& conn = catalog_.connection();
  auto fail = [&](const Status& st) {
    attempt.retry_safe = conn.lost();
    (void)catalog_.rollback();
    return st;
  };
  // A new task_id (the usual case) is one statement; a taken one is locked and looked at.
  std::string txid;
  auto inserted = catalog_.insert_if_absent(record, &txid);
  if (!inserted.ok()) {
    Status st = inserted.status();
    if (st.code() == StatusCode::kAlreadyExists) {  // the parquet_path of another row
      attempt.lost_race = true;
      st = Status::AlreadyExists("task " + task_id +
                                 " was saved by another writer at the same time; use "
                                 "--replace to overwrite it");
    }
    return fail(st);
  }
  if (inserted->has_value()) {
    attempt.txid = txid;
    return Status::OK();
  }
  auto existing = catalog_.get(task_id, catalog::RowLock::kForUpdate);
  if (!existing.ok()) {
    if (existing.status().code() != StatusCode::kNotFound) return fail(existing.status());
    // Taken a moment ago and gone now: another writer's, whose outcome decides.
    attempt.lost_race = true;
    return fail(Status::AlreadyExists("task " + task_id +
                                      " was saved by another writer at the same time; use "
                                      "--replace to overwrite it"));
  }
  if (existing->status != catalog::kStatusRunning && !replace) {
    return fail(Status::AlreadyExists("task " + task_id + " is already saved (" + existing->status +
                                      ", " + format_timestamp(existing->created_at) +
                                      "); use --replace to overwrite it"));
  }
  if (auto updated = catalog_.update(record); !updated.ok()) return fail(updated.status());
  return Status::OK();
}

Status PgResultStorage::publish_and_commit(const CatalogRecord& record, filestore::Staged& staged,
                                           Attempt& attempt) {
  const std::string& task_id = record.task_id;
  catalog::Connection& conn = catalog_.connection();
  filestore::Staged replaced;
  bool published = false;
  bool commit_lost = false;  // the connection failed at COMMIT, which the server then rolled back
  auto fail = [&](const Status& st) {
    const bool lost = conn.lost() || commit_lost;
    (void)catalog_.rollback();
    if (!published) {
      attempt.retry_safe = lost;
      return st;
    }
    Status undo = files_->unpublish(staged, &replaced);
    if (undo.ok()) {
      attempt.retry_safe = lost;
      return st;
    }
    // The staged location may now hold the replaced result: keep it for the
    // user (verify reports the mismatch) instead of discarding it.
    staged.location.clear();
    return undo.with_context(st.to_string() + "; then undoing the publish of backtests/" + task_id +
                             "/ failed (run `btstore verify`)");
  };

  // The row lock makes us the only writer of this task_id: a directory already
  // there is either the result being replaced or a leftover of a crashed save.
  if (Status st = files_->publish(staged, /*replace=*/true, &replaced); !st.ok()) return fail(st);
  published = true;
  catalog::CommitOutcome outcome = catalog::commit_task(
      catalog_, task_id,
      attempt.txid.empty() ? std::nullopt : std::optional<std::string>(attempt.txid));
  switch (outcome.kind) {
    case catalog::CommitOutcome::Kind::kCommitted:
      // The replaced files (now at the staged location) are what is left to discard.
      staged = replaced;
      return Status::OK();
    case catalog::CommitOutcome::Kind::kRolledBack:
      commit_lost = outcome.connection_lost;
      return fail(outcome.status);
    case catalog::CommitOutcome::Kind::kUnknown: break;
  }
  // The row may exist: the files stay where they are, whatever happened.
  attempt.outcome_unknown = true;
  staged.location.clear();
  return Status::DatabaseError(
      "task " + task_id + " may or may not be saved: " + outcome.status.message() +
      ". Its files stay in backtests/" + task_id + "/. Once PostgreSQL answers, `btstore show " +
      task_id +
      "` tells: a row means the save succeeded; no row means it did not (save it again; `btstore "
      "verify --repair` removes the files left without a row)");
}

}  // namespace btstore::storage
