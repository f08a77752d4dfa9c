// ResultStorage over a PostgreSQL catalog and a FileStore.
//
// Save protocol (no half result is ever visible, see docs/storage.md):
//   encode in memory -> stage files durably, while BEGIN -> insert/update the row
//   (locks the task_id) runs on another thread -> publish the directory atomically -> COMMIT.
//   A failure before COMMIT unpublishes and discards the staged files. A COMMIT
//   whose answer is lost is resolved by its transaction id (committed: the save
//   stands; rolled back: undone); the files are never removed while the row may
//   exist. After a lost connection the save is tried once more on a new one.
// Delete protocol: delete the row (COMMIT), then remove the directory; a crash
// in between leaves only a directory without a row, which verify --repair sweeps.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "btstore/storage.h"
#include "catalog/catalog.h"
#include "filestore/file_store.h"
#include "model/result.h"
#include "storage/background_thread.h"

namespace btstore::storage {

class PgResultStorage final : public ResultStorage {
 public:
  PgResultStorage(catalog::Catalog catalog, std::unique_ptr<filestore::FileStore> files,
                  ConvertOptions convert)
      : catalog_(std::move(catalog)), files_(std::move(files)), convert_(convert) {}

  Result<PreparedSave> prepare_save(std::string_view json) override;
  Result<std::string> save_prepared(PreparedSave prepared, bool replace) override;
  Result<std::string> register_running(const RunningTask& task) override;
  Status mark_failed(std::string_view task_id, std::string_view error) override;
  Result<std::string> get_result(std::string_view task_id) override;
  Result<ResultEntry> get_entry(std::string_view task_id) override;
  Result<std::vector<SymbolSummary>> get_summary(std::string_view task_id) override;
  Result<ListPage> list(const ListFilter& filter) override;
  Status delete_result(std::string_view task_id) override;
  using ResultStorage::cleanup;
  Result<std::vector<RemovedResult>> cleanup(const CleanupOptions& options) override;
  Result<std::vector<Problem>> verify(const VerifyOptions& options) override;

 private:
  // Removes the rows of `ids` still older than `older_than` and their directories, holding
  // the task locks of this batch only; appends to `out`, keeps the first file error.
  Status cleanup_batch(const std::vector<std::string>& ids, std::chrono::microseconds older_than,
                       std::vector<RemovedResult>& out, Status& first_error);

  // How one attempt at committing a staged save ended, besides its Status.
  struct Attempt {
    bool lost_race = false;        // a concurrent writer inserted the same new task_id first
    bool retry_safe = false;       // the connection was lost; nothing committed, files staged again
    bool outcome_unknown = false;  // the connection failed at COMMIT and the server never told
    std::string txid;              // the transaction's id when the insert returned it
  };

  Status save_model(const model::BacktestResult& result, bool replace);
  // One transaction: insert or lock-and-update the row, publish, commit. On
  // failure everything is undone and the files stay staged, except when the
  // COMMIT's outcome stays unknown: then the files stay published (the row may
  // exist). On success `staged` becomes the replaced result's files (empty when none).
  Status commit_staged(const catalog::CatalogRecord& record, filestore::Staged& staged,
                       bool replace, Attempt& attempt);
  // commit_staged()'s two halves. write_row: BEGIN, the task lock, insert the row or lock and
  // update it (rolled back on failure); it touches only the connection, so it may run while
  // the files are staged. publish_and_commit: publish, COMMIT, undone on failure.
  Status write_row(const catalog::CatalogRecord& record, bool replace, Attempt& attempt);
  // write_row()'s two halves: BEGIN and the task lock (which need only the task_id, so a save
  // sends them while it encodes), then the insert or lock-and-update.
  Status begin_row(const std::string& task_id, Attempt& attempt);
  Status insert_row(const catalog::CatalogRecord& record, bool replace, Attempt& attempt);
  Status publish_and_commit(const catalog::CatalogRecord& record, filestore::Staged& staged,
                            Attempt& attempt);
  Result<model::BacktestResult> read_model(const catalog::CatalogRecord& record);
  // The completed result as the catalog lists it now (*record: its row), read
  // again when a concurrent replace or delete moved its files mid-read.
  Result<model::BacktestResult> read_current(std::string_view task_id,
                                             catalog::CatalogRecord* record);
  Result<catalog::CatalogRecord> completed_record(std::string_view task_id);
  // What a record's files show, found without the connection, so that several records can
  // be checked side by side.
  struct FileCheck {
    std::vector<Problem> problems;
    // metadata.json's metadata when only PostgreSQL can compare it with the row's (numbers
    // beyond a double); a difference is reported at problems[metadata_at].
    std::optional<std::string> file_metadata;
    size_t metadata_at = 0;
  };
  // Checks the record's files, or those of a staging entry when `staged` is given.
  FileCheck check_files(const catalog::CatalogRecord& record, const filestore::Entry* staged) const;
  // check_files() of each record, `jobs` at a time (0: one per core).
  Result<std::vector<FileCheck>> check_side_by_side(
      const std::vector<catalog::CatalogRecord>& records, int jobs) const;
  // Compares what needs the connection and appends the check's problems.
  void finish_check(const catalog::CatalogRecord& record, FileCheck& check,
                    std::vector<Problem>& problems);
  // check_files() and finish_check().
  void verify_record(const catalog::CatalogRecord& record, std::vector<Problem>& problems,
                     const filestore::Entry* staged = nullptr);
  Status verify_store(const VerifyOptions& options, std::vector<Problem>& problems);
  Status verify_ids(const VerifyOptions& options, std::vector<Problem>& problems);
  void restore_interrupted_replaces(const VerifyOptions& options,
                                    std::map<std::string, catalog::CatalogRecord>& mismatched,
                                    const std::vector<filestore::Entry>& entries,
                                    std::vector<Problem>& problems);

  // One connection serves one call at a time; the library is thread-safe by
  // serialising here (use one ResultStorage per thread for parallel saves).
  std::mutex mu_;
  catalog::Catalog catalog_;
  std::unique_ptr<filestore::FileStore> files_;
  ConvertOptions convert_;
  // A save's encoding runs here while the saving thread creates its files and begins its
  // transaction, then its INSERT while the saving thread writes the files; last, so that it
  // stops before the catalog it uses goes.
  BackgroundThread background_;
};

// ResultStorage::open() with the files kept by `files` instead of the local
// store under the configured root (tests wrap the local store to inject faults).
Result<std::unique_ptr<ResultStorage>> open_with_file_store(
    const StorageOptions& options, std::unique_ptr<filestore::FileStore> files);

// task_id as given -> canonical form, or InvalidArgument naming the bad value.
Result<std::string> checked_task_id(std::string_view task_id);

ResultEntry to_entry(const catalog::CatalogRecord& record);

// Whether a row has files under backtests/{task_id}/: every saved result does,
// whatever status its document gives; a registered task does not.
bool has_files(const catalog::CatalogRecord& record);

}  // namespace btstore::storage
