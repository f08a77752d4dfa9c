// Where the catalog and the files are, from StorageOptions and the environment.
#pragma once

#include <string>

#include "btstore/storage.h"

namespace btstore::storage {

struct ResolvedConfig {
  std::string conninfo;  // for Connection::open; empty lets libpq read PG* variables
  std::string home;
  std::string root;
  bool embedded = false;  // conninfo points to the embedded cluster under home/pg
};

// home: options.home, else $HOME/.local/share/btstore. root: options.root, else home.
// Database: options.database_url, else "" when a PG* variable is set, else the
// embedded cluster (not started here). Fails when the embedded cluster's
// socket path would be too long.
Result<ResolvedConfig> resolve_config(const StorageOptions& options);

// Starts the embedded cluster when `config` uses it (idempotent).
Status ensure_database_started(const ResolvedConfig& config);

}  // namespace btstore::storage
