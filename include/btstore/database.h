// The `btstore db ...` operations: schema migrations and btstore's embedded PostgreSQL.
//
// Which server (from StorageOptions, whose fields the command line fills from flags, else the
// BTSTORE_* environment): database_url when set (a libpq URI or keyword string); otherwise the
// standard PG* variables when any is set (libpq reads them itself); otherwise btstore's own
// cluster under <home>/pg, created and started on demand.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "btstore/status.h"
#include "btstore/storage.h"

namespace btstore {

enum class DatabaseSource {
  kUrl,            // StorageOptions::database_url
  kPgEnvironment,  // libpq's PG* variables
  kEmbedded,       // btstore's own cluster under <home>/pg
};

struct DatabaseStatus {
  DatabaseSource source = DatabaseSource::kEmbedded;
  std::string target;           // the server in words, never with a password
  std::string url;              // embedded: its URL; kUrl: the URL with its password as "***"
  bool running = false;         // the server answers
  std::string server_version;   // when running
  int schema_version = 0;       // highest applied migration, when running
  int pending_migrations = -1;  // when running; -1 = unknown
  std::string error;            // why the server could not be asked, when it could not
  // The embedded cluster only:
  bool initialized = false;
  int64_t pid = 0;
  std::filesystem::path data_dir;
  std::filesystem::path socket_dir;
  std::filesystem::path log_file;
  int port = 0;
  std::string data_version;  // major version of the data directory
  std::string run_as;        // the account the server runs as
};

// `btstore db migrate`: applies the missing migrations (starting the embedded server when it is
// the source) and returns how many were applied.
Result<int> migrate_database(const StorageOptions& options);

// `btstore db status`: never starts or creates anything.
Result<DatabaseStatus> database_status(const StorageOptions& options);

// `btstore db start` / `db stop`: the embedded cluster only (InvalidArgument when a URL or PG*
// variables point elsewhere). start initialises the cluster on first use; both are idempotent.
Status start_embedded_database(const StorageOptions& options);
Status stop_embedded_database(const StorageOptions& options);

// `btstore db url`: the embedded cluster's postgresql:///btstore?host=...&port=...&user=btstore,
// or the configured URL with its password replaced by "***".
Result<std::string> database_url(const StorageOptions& options);

}  // namespace btstore
