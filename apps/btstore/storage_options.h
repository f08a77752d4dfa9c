// Options every catalog command shares (--database-url, --home, --root and
// their BTSTORE_* variables), and opening the storage from them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "btstore/storage.h"

namespace btstore::cli {

struct StorageFlags {
  std::string database_url;
  std::string home;
  std::string root;
  std::string compression = "snappy";
  uint64_t max_json_bytes = ConvertOptions{}.max_json_bytes;  // save --max-json-bytes
  int max_json_depth = ConvertOptions{}.max_json_depth;       // save --max-json-depth
  std::string mode = "parquet";  // --mode / BTSTORE_MODE (docs/migration.md)
  std::string legacy_dir;        // --legacy-dir / BTSTORE_LEGACY_DIR
};

// Adds the shared options to `app` (the top level: they may also follow the subcommand).
void add_storage_flags(CLI::App& app, StorageFlags& flags);

StorageOptions to_storage_options(const StorageFlags& flags);

// Opens the storage or reports why not (returns null and sets *exit_code).
std::unique_ptr<ResultStorage> open_storage(const StorageFlags& flags, int* exit_code);

// Checks that an argument is a task id (a UUID) while parsing, so that a
// malformed one is a usage error (exit 2) before anything is opened.
CLI::Validator task_id_check();

// "7d", "12h", "30m", "45s", "2w" -> seconds; a bare number is days.
Result<int64_t> parse_duration_seconds(std::string_view text);

// --since/--until: a duration ago ("7d") or a date / RFC 3339 time -> UTC micros.
Result<int64_t> parse_time_point(std::string_view text);

}  // namespace btstore::cli
