// The `btstore db ...` operations of include/btstore/database.h.
#include "btstore/database.h"
#include "catalog/config.h"
#include "catalog/migrations.h"
#include "catalog/redact.h"

namespace btstore {
namespace {

using catalog::DatabaseConfig;

Result<catalog::EmbeddedCluster> embedded(const DatabaseConfig& config, const char* command) {
  if (config.source != DatabaseSource::kEmbedded) {
    return Status::InvalidArgument(
        std::string("`btstore db ") + command +
        "` manages btstore's embedded PostgreSQL, but the database is " +
        catalog::describe_database(config) +
        "; unset --database-url / BTSTORE_DATABASE_URL and the PG* variables to use the "
        "embedded one");
  }
  return catalog::EmbeddedCluster::open(catalog::cluster_options(config));
}

// Server version and schema state; a failure lands in status.error.
void ask_server(catalog::Connection& conn, DatabaseStatus& status) {
  status.running = true;
  if (auto v = conn.exec("SHOW server_version"); v.ok() && !v->rows.empty()) {
    status.server_version = v->rows[0][0].value_or("");
  }
  Result<int> version = catalog::schema_version(conn);
  Result<int> pending = catalog::pending_migrations(conn);
  if (version.ok()) status.schema_version = *version;
  if (pending.ok()) status.pending_migrations = *pending;
  if (!version.ok()) status.error = version.status().message();
}

void copy_cluster_status(const catalog::ClusterStatus& cs, DatabaseStatus& status) {
  status.url = cs.url;
  status.initialized = cs.initialized;
  status.running = cs.running;
  status.pid = cs.pid;
  status.data_dir = cs.data_dir;
  status.socket_dir = cs.socket_dir;
  status.log_file = cs.log_file;
  status.port = cs.port;
  status.data_version = cs.data_version;
  status.run_as = cs.run_as;
  status.server_version = cs.server_version;
}

}  // namespace

Result<int> migrate_database(const StorageOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(DatabaseConfig config, catalog::resolve_database_config(options));
  BTSTORE_ASSIGN_OR_RETURN(catalog::Connection conn, catalog::connect(config));
  return catalog::migrate(conn);
}

Status start_embedded_database(const StorageOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(DatabaseConfig config, catalog::resolve_database_config(options));
  BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster, embedded(config, "start"));
  return cluster.start();
}

Status stop_embedded_database(const StorageOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(DatabaseConfig config, catalog::resolve_database_config(options));
  BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster, embedded(config, "stop"));
  return cluster.stop();
}

Result<std::string> database_url(const StorageOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(DatabaseConfig config, catalog::resolve_database_config(options));
  switch (config.source) {
    case DatabaseSource::kUrl: return catalog::redact_conninfo(config.conninfo);
    case DatabaseSource::kPgEnvironment: return catalog::describe_database(config);
    case DatabaseSource::kEmbedded: break;
  }
  BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster, embedded(config, "url"));
  return cluster.url();
}

Result<DatabaseStatus> database_status(const StorageOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(DatabaseConfig config, catalog::resolve_database_config(options));
  DatabaseStatus status;
  status.source = config.source;
  status.target = catalog::describe_database(config);
  if (config.source != DatabaseSource::kEmbedded) {
    if (config.source == DatabaseSource::kUrl) status.url = status.target;
    Result<catalog::Connection> conn = catalog::connect(config);
    if (conn.ok()) {
      ask_server(*conn, status);
    } else {
      status.error = conn.status().message();
    }
    return status;
  }
  BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster, embedded(config, "status"));
  BTSTORE_ASSIGN_OR_RETURN(catalog::ClusterStatus cs, cluster.status());
  copy_cluster_status(cs, status);
  if (!cs.running) return status;
  // The socket answers; the btstore database itself may not exist yet.
  if (Result<catalog::Connection> conn = catalog::Connection::open(cluster.conninfo()); conn.ok()) {
    ask_server(*conn, status);
  } else {
    status.error = conn.status().message();
  }
  return status;
}

}  // namespace btstore
