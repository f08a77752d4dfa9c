// What the catalog holds for a task_id, as canonical JSON, for the value-by-
// value comparisons of the migration and the archive.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "btstore/storage.h"
#include "filestore/file_store.h"

namespace btstore::storage {

struct StoredResult {
  std::string canonical;  // json::write_result() of the saved result
  int64_t file_size = 0;  // the catalog's Parquet bytes
};

// A ResultStorage (PostgreSQL + Parquet, whatever the options' mode) and a
// reader of its files. One per thread.
class StoredReader {
 public:
  static Result<std::unique_ptr<StoredReader>> open(StorageOptions options);

  // nullopt when no result with files is saved under `task_id` (none, or a
  // registered task).
  Result<std::optional<StoredResult>> read(const std::string& task_id);

  ResultStorage& storage() { return *storage_; }

 private:
  StoredReader(std::unique_ptr<ResultStorage> storage, std::unique_ptr<filestore::FileStore> files)
      : storage_(std::move(storage)), files_(std::move(files)) {}

  std::unique_ptr<ResultStorage> storage_;
  std::unique_ptr<filestore::FileStore> files_;
};

// "at byte N: ...saved... vs ...legacy..." for two canonical texts.
std::string first_difference(const std::string& a, const std::string& b);

}  // namespace btstore::storage
