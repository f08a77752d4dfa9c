#include "catalog/config.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "catalog/migrations.h"
#include "catalog/redact.h"

namespace btstore::catalog {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

Result<fs::path> absolute_dir(const std::string& dir, const char* what) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec).lexically_normal();
  if (ec) return Status::InvalidArgument(std::string(what) + " " + dir + ": " + ec.message());
  if (!p.has_filename() && p != p.root_path()) p = p.parent_path();  // "/a/b/" -> "/a/b"
  return p;
}

// The system-wide home of a root user: the embedded server runs as an
// unprivileged account, which cannot enter /root (mode 0700).
constexpr char kRootHome[] = "/var/lib/btstore";

Result<std::string> default_home(const DatabaseEnvironment& env) {
  if (env.root) return std::string(kRootHome);
  if (env.xdg_data_home.starts_with('/')) return env.xdg_data_home + "/btstore";
  if (!env.home.empty()) return env.home + "/.local/share/btstore";
  return Status::InvalidArgument(
      "cannot tell where btstore keeps its data: HOME is not set; set BTSTORE_HOME or pass --home");
}

// "host=... port=... dbname=... user=..." as libpq resolves it from the PG* variables.
std::string pg_environment_target() {
  std::string out;
  PQconninfoOption* defaults = PQconndefaults();
  if (defaults == nullptr) return out;
  for (PQconninfoOption* o = defaults; o->keyword != nullptr; ++o) {
    std::string_view key = o->keyword;
    if (o->val == nullptr || o->val[0] == '\0') continue;
    if (key == "host" || key == "hostaddr" || key == "port" || key == "dbname" || key == "user" ||
        key == "service") {
      out += (out.empty() ? "" : " ") + std::string(key) + "=" + o->val;
    }
  }
  PQconninfoFree(defaults);
  return out;
}

}  // namespace

DatabaseEnvironment DatabaseEnvironment::current() {
  DatabaseEnvironment e;
  e.home = env("HOME");
  if (e.home.empty()) {
    if (struct passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) {
      e.home = pw->pw_dir;
    }
  }
  e.xdg_data_home = env("XDG_DATA_HOME");
  e.root = geteuid() == 0;
  for (const char* name :
       {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSERVICEFILE"}) {
    e.pg_variables = e.pg_variables || !env(name).empty();
  }
  return e;
}

Result<DatabaseConfig> resolve_database_config(const StorageOptions& options,
                                               const DatabaseEnvironment& env) {
  DatabaseConfig c;
  c.connect_timeout_seconds = options.connect_timeout_seconds;
  c.statement_timeout_ms = options.statement_timeout_ms;
  c.network_timeout_ms = options.network_timeout_ms;
  std::string home = options.home;
  if (home.empty()) {
    BTSTORE_ASSIGN_OR_RETURN(home, default_home(env));
  }
  BTSTORE_ASSIGN_OR_RETURN(c.home, absolute_dir(home, "home directory"));
  if (options.root.empty()) {
    c.root = c.home;
  } else {
    BTSTORE_ASSIGN_OR_RETURN(c.root, absolute_dir(options.root, "storage root"));
  }
  if (!options.database_url.empty()) {
    c.source = DatabaseSource::kUrl;
    c.conninfo = options.database_url;
  } else if (env.pg_variables) {
    c.source = DatabaseSource::kPgEnvironment;
  } else {
    c.source = DatabaseSource::kEmbedded;
    BTSTORE_ASSIGN_OR_RETURN(EmbeddedCluster cluster, EmbeddedCluster::open(cluster_options(c)));
    c.conninfo = cluster.conninfo();
  }
  return c;
}

std::string describe_database(const DatabaseConfig& c) {
  switch (c.source) {
    case DatabaseSource::kUrl: return redact_conninfo(c.conninfo);
    case DatabaseSource::kPgEnvironment: return "PG* environment (" + pg_environment_target() + ")";
    case DatabaseSource::kEmbedded: return "embedded PostgreSQL in " + (c.home / "pg").string();
  }
  return "unknown";
}

ClusterOptions cluster_options(const DatabaseConfig& config) {
  ClusterOptions o;
  o.home = config.home;
  return o;
}

Result<Connection> connect(const DatabaseConfig& config) {
  if (config.source == DatabaseSource::kEmbedded) {
    BTSTORE_ASSIGN_OR_RETURN(EmbeddedCluster cluster,
                             EmbeddedCluster::open(cluster_options(config)));
    BTSTORE_RETURN_IF_ERROR(cluster.start());
  }
  ConnectOptions options;
  options.connect_timeout_seconds = config.connect_timeout_seconds;
  options.statement_timeout_ms = config.statement_timeout_ms;
  options.network_timeout_ms = config.network_timeout_ms;
  Result<Connection> conn = Connection::open(config.conninfo, options);
  if (conn.ok() || conn.status().code() != StatusCode::kDatabaseError) return conn;
  const char* where = config.source == DatabaseSource::kUrl
                          ? "; check --database-url / BTSTORE_DATABASE_URL"
                      : config.source == DatabaseSource::kPgEnvironment
                          ? "; check the PG* environment variables, or set --database-url"
                          : "; see `btstore db status`";
  return Status::DatabaseError(conn.status().message() + where);
}

Result<Catalog> open_catalog(const DatabaseConfig& config, SchemaPolicy policy) {
  BTSTORE_ASSIGN_OR_RETURN(Connection conn, connect(config));
  if (policy == SchemaPolicy::kMigrate) {
    BTSTORE_RETURN_IF_ERROR(migrate(conn).status());
  } else {
    BTSTORE_RETURN_IF_ERROR(require_current_schema(conn));
  }
  return Catalog(std::move(conn));
}

}  // namespace btstore::catalog
