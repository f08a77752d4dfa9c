#include "catalog/migrations.h"

#include <set>

#include "btstore_migrations.h"
#include "catalog/values.h"

namespace btstore::catalog {
namespace {

// pg_advisory_xact_lock key shared by every btstore process (the bytes "btstore\x01").
constexpr std::string_view kLockKey = "7094422256938542337";

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)";

Result<std::set<int>> applied_versions(Connection& conn) {
  BTSTORE_ASSIGN_OR_RETURN(QueryResult exists,
                           conn.exec("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  std::set<int> versions;
  if (exists.rows.at(0).at(0) != "t") return versions;
  BTSTORE_ASSIGN_OR_RETURN(QueryResult rows, conn.exec("SELECT version FROM schema_migrations"));
  for (const Row& row : rows.rows) {
    std::optional<int64_t> v = parse_int64(row.at(0).value_or(""));
    if (!v) return Status::Corruption("schema_migrations holds a version that is not a number");
    versions.insert(static_cast<int>(*v));
  }
  return versions;
}

// One step: under the lock, apply the first missing migration. Returns false when none is left.
Result<bool> apply_next(Connection& conn) {
  BTSTORE_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(conn));
  BTSTORE_RETURN_IF_ERROR(
      conn.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::string(kLockKey)}).status());
  BTSTORE_RETURN_IF_ERROR(conn.exec_script(kCreateTable));
  BTSTORE_ASSIGN_OR_RETURN(std::set<int> applied, applied_versions(conn));
  for (const Migration& m : known_migrations()) {
    if (applied.count(m.version) != 0) continue;
    Status st = conn.exec_script(m.sql);
    if (!st.ok()) return st.with_context("migration " + m.name);
    BTSTORE_RETURN_IF_ERROR(
        conn.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                  {std::to_string(m.version), m.name})
            .status());
    BTSTORE_RETURN_IF_ERROR(tx.commit().with_context("migration " + m.name));
    return true;
  }
  BTSTORE_RETURN_IF_ERROR(tx.commit());
  return false;
}

}  // namespace

const std::vector<Migration>& known_migrations() {
  static const std::vector<Migration> migrations = [] {
    std::vector<Migration> out;
    for (const auto& m : generated::kMigrations) out.push_back({m.version, m.name, m.sql});
    return out;
  }();
  return migrations;
}

Result<int> migrate(Connection& conn) {
  int applied = 0;
  while (true) {
    BTSTORE_ASSIGN_OR_RETURN(bool did_one, apply_next(conn));
    if (!did_one) return applied;
    ++applied;
  }
}

Result<int> pending_migrations(Connection& conn) {
  BTSTORE_ASSIGN_OR_RETURN(std::set<int> applied, applied_versions(conn));
  int pending = 0;
  for (const Migration& m : known_migrations()) pending += applied.count(m.version) == 0 ? 1 : 0;
  return pending;
}

Result<int> schema_version(Connection& conn) {
  BTSTORE_ASSIGN_OR_RETURN(std::set<int> applied, applied_versions(conn));
  return applied.empty() ? 0 : *applied.rbegin();
}

Status require_current_schema(Connection& conn) {
  BTSTORE_ASSIGN_OR_RETURN(int pending, pending_migrations(conn));
  if (pending == 0) return Status::OK();
  return Status::DatabaseError("the catalog schema in " + conn.target() + " lacks " +
                               std::to_string(pending) +
                               " migration(s); run `btstore db migrate` first");
}

}  // namespace btstore::catalog
