#include "storage_options.h"

#include <charconv>

#include "common/time.h"
#include "common/uuid.h"
#include "output.h"

namespace btstore::cli {

void add_storage_flags(CLI::App& app, StorageFlags& flags) {
  app.add_option("--database-url", flags.database_url,
                 "PostgreSQL URI or keyword string; default: the PG* variables if set, else "
                 "btstore's own cluster under --home")
      ->envname("BTSTORE_DATABASE_URL")
      ->group("Storage");
  app.add_option("--home", flags.home,
                 "btstore's home (default ~/.local/share/btstore; /var/lib/btstore for root)")
      ->envname("BTSTORE_HOME")
      ->group("Storage");
  app.add_option("--root", flags.root, "storage root holding backtests/ (default: --home)")
      ->envname("BTSTORE_ROOT")
      ->group("Storage");
  app.add_option("--mode", flags.mode,
                 "migration phase: json, dual, parquet (default) or archive; see "
                 "docs/migration.md")
      ->envname("BTSTORE_MODE")
      ->check(CLI::IsMember({"json", "dual", "parquet", "archive"}))
      ->group("Storage");
  app.add_option("--legacy-dir", flags.legacy_dir,
                 "the legacy JSON store ({task_id}.json files); needed by --mode json and dual")
      ->envname("BTSTORE_LEGACY_DIR")
      ->group("Storage");
}

StorageOptions to_storage_options(const StorageFlags& flags) {
  StorageOptions options;
  options.database_url = flags.database_url;
  options.home = flags.home;
  options.root = flags.root;
  auto compression = parse_compression(flags.compression);
  if (compression.ok()) options.convert.compression = *compression;
  options.convert.max_json_bytes = flags.max_json_bytes;
  options.convert.max_json_depth = flags.max_json_depth;
  if (auto mode = parse_storage_mode(flags.mode); mode.ok()) options.mode = *mode;
  options.legacy_dir = flags.legacy_dir;
  return options;
}

std::unique_ptr<ResultStorage> open_storage(const StorageFlags& flags, int* exit_code) {
  auto storage = ResultStorage::open(to_storage_options(flags));
  if (!storage.ok()) {
    *exit_code = report_error(storage.status());
    return nullptr;
  }
  return std::move(*storage);
}

CLI::Validator task_id_check() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (is_uuid(value)) return {};
        return "'" + value +
               "' is not a task id (expected a UUID such as "
               "550e8400-e29b-41d4-a716-446655440000)";
      },
      "UUID");
}

Result<int64_t> parse_duration_seconds(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, text.data() + text.size() - end);
  int64_t scale = 0;
  if (unit.empty() || unit == "d") scale = 86400;
  if (unit == "w") scale = 7 * 86400;
  if (unit == "h") scale = 3600;
  if (unit == "m") scale = 60;
  if (unit == "s") scale = 1;
  if (ec != std::errc() || value < 0 || scale == 0 || value > INT64_MAX / scale / 1'000'000) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a duration (examples: 7d, 12h, 30m, 90s, 2w)");
  }
  return value * scale;
}

Result<int64_t> parse_time_point(std::string_view text) {
  if (auto seconds = parse_duration_seconds(text); seconds.ok()) {
    return now_micros() - *seconds * 1'000'000;
  }
  if (auto days = parse_date(text); days.ok()) return int64_t{*days} * 86'400'000'000;
  if (auto micros = parse_timestamp(text); micros.ok()) return *micros;
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is neither a duration (7d, 12h) nor a date (2024-01-31) "
                                 "nor an RFC 3339 time");
}

}  // namespace btstore::cli
