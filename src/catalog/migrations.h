// Versioned schema migrations: src/catalog/sql/NNNN_name.sql, compiled into the binary and
// recorded in schema_migrations(version, name, applied_at) once applied.
#pragma once

#include <string>
#include <vector>

#include "btstore/status.h"
#include "catalog/connection.h"

namespace btstore::catalog {

struct Migration {
  int version;
  std::string name;  // the file name without ".sql", e.g. "0001_create_backtest_results"
  std::string sql;
};

// Every migration this binary knows, in version order.
const std::vector<Migration>& known_migrations();

// Applies the missing migrations in version order, each in its own transaction together with
// its schema_migrations row. A transaction-scoped advisory lock serialises concurrent callers
// (two processes starting at once): the second waits, then finds nothing left to do.
// Works in the connection's current schema (search_path). Returns how many were applied.
Result<int> migrate(Connection& conn);

// How many known migrations the database lacks (all of them when schema_migrations does not
// exist yet).
Result<int> pending_migrations(Connection& conn);

// The highest version recorded in schema_migrations (0 when none).
Result<int> schema_version(Connection& conn);

// OK when nothing is pending; otherwise an error that tells the user to run
// `btstore db migrate`.
Status require_current_schema(Connection& conn);

}  // namespace btstore::catalog
