#include "storage/config.h"

#include <cstdlib>

#include "catalog/embedded_cluster.h"

namespace btstore::storage {
namespace {

bool any_pg_variable_set() {
  for (const char* name :
       {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSERVICEFILE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

std::string default_home() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/btstore";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && *home != '\0' ? home : "/tmp") + "/.local/share/btstore";
}

}  // namespace

Result<ResolvedConfig> resolve_config(const StorageOptions& options) {
  ResolvedConfig config;
  config.home = options.home.empty() ? default_home() : options.home;
  config.root = options.root.empty() ? config.home : options.root;
  if (!options.database_url.empty()) {
    config.conninfo = options.database_url;
  } else if (!any_pg_variable_set()) {
    BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster,
                             catalog::EmbeddedCluster::open({.home = config.home}));
    config.conninfo = cluster.conninfo();
    config.embedded = true;
  }
  return config;
}

Status ensure_database_started(const ResolvedConfig& config) {
  if (!config.embedded) return Status::OK();
  BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster,
                           catalog::EmbeddedCluster::open({.home = config.home}));
  return cluster.start();
}

}  // namespace btstore::storage
