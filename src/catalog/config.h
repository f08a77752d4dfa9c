// Which PostgreSQL server btstore uses, from StorageOptions and the environment, and a
// connection to it.
#pragma once

#include <filesystem>
#include <string>

#include "btstore/database.h"
#include "btstore/status.h"
#include "btstore/storage.h"
#include "catalog/catalog.h"
#include "catalog/connection.h"
#include "catalog/embedded_cluster.h"

namespace btstore::catalog {

// The facts of the process environment that resolution depends on.
struct DatabaseEnvironment {
  std::string home;           // $HOME, else the passwd entry's home directory
  std::string xdg_data_home;  // $XDG_DATA_HOME (used when absolute)
  bool root = false;          // running as uid 0
  bool pg_variables = false;  // PGHOST, PGHOSTADDR, PGPORT, PGDATABASE, PGUSER, PGSERVICE or
                              // PGSERVICEFILE is set and not empty
  static DatabaseEnvironment current();
};

struct DatabaseConfig {
  DatabaseSource source = DatabaseSource::kEmbedded;
  std::string conninfo;        // kUrl: the URL; kPgEnvironment: ""; kEmbedded: its keyword string
  std::filesystem::path home;  // absolute: options.home, else $XDG_DATA_HOME/btstore, else
                               // ~/.local/share/btstore
  std::filesystem::path root;  // absolute: options.root, else home
  int connect_timeout_seconds = 10;
  int statement_timeout_ms = 120'000;  // see ConnectOptions
  int network_timeout_ms = 30'000;
};

// Resolves without touching anything. InvalidArgument when no home can be found or the embedded
// cluster's socket path would be too long.
Result<DatabaseConfig> resolve_database_config(
    const StorageOptions& options, const DatabaseEnvironment& env = DatabaseEnvironment::current());

// The server in words for messages, never with a password.
std::string describe_database(const DatabaseConfig& config);

ClusterOptions cluster_options(const DatabaseConfig& config);

// A connection to the configured server, starting the embedded cluster first when it is the
// source. A failure names the server and where it is configured, never the password.
Result<Connection> connect(const DatabaseConfig& config);

enum class SchemaPolicy {
  kMigrate,         // apply missing migrations first
  kRequireCurrent,  // refuse with "run `btstore db migrate`" when any is missing
};

Result<Catalog> open_catalog(const DatabaseConfig& config,
                             SchemaPolicy policy = SchemaPolicy::kMigrate);

}  // namespace btstore::catalog
