// The backfill of the blue-green migration: every legacy result into
// PostgreSQL + Parquet, idempotent, resumable and parallel (docs/migration.md).
//
// Files are grouped by the task_id of their name and each group is handled by
// one worker in path order, so the outcome does not depend on --jobs. In a
// group the first valid file is the result; later copies are skipped when
// identical and reported as conflicts when not. The result is compared with
// what the catalog holds, value by value (equal canonical JSON texts, so every
// double bit for bit): missing -> saved, identical -> skipped, different ->
// conflict (replaced with `replace`). A save is atomic, so a run killed at any
// moment and started again finishes the job.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "btstore/storage.h"

namespace btstore::migration {

enum class Outcome {
  kMigrated,  // saved now (with dry_run: would be saved)
  kSkipped,   // already saved with identical content, or an identical duplicate file
  kConflict,  // a different result holds the task_id (left alone)
  kReplaced,  // a conflict overwritten because of `replace`
  kFailed,    // unreadable, invalid, or the save / read-back failed
};

std::string_view outcome_name(Outcome outcome);  // "migrated", "skipped", ...

struct FileOutcome {
  std::string file;  // relative to the legacy root
  std::string task_id;
  Outcome outcome = Outcome::kFailed;
  std::string detail;  // why, for conflicts, failures and duplicates
  uint64_t bytes_before = 0;
  int64_t bytes_after = 0;  // the saved result's Parquet bytes (migrated/skipped/replaced)
};

struct MigrateOptions {
  StorageOptions storage;  // its mode and legacy_dir are ignored: this writes PostgreSQL + Parquet
  std::filesystem::path from;
  int jobs = 0;         // 0: the number of cores
  bool verify = false;  // read back each migrated result and compare it
  bool dry_run = false;
  bool replace = false;
  // Called after each file, from the worker threads one at a time.
  std::function<void(size_t done, size_t total)> progress;
};

struct MigrateReport {
  size_t files = 0, migrated = 0, skipped = 0, conflicts = 0, replaced = 0, failed = 0;
  size_t verified = 0;  // results read back and found equal
  uint64_t bytes_before = 0;
  int64_t bytes_after = 0;
  double seconds = 0;
  std::vector<FileOutcome> outcomes;  // every file, sorted by file
};

// Errors only when the run cannot start (legacy root or database unavailable);
// problems with single files are in the report.
Result<MigrateReport> migrate(const MigrateOptions& options);

}  // namespace btstore::migration
