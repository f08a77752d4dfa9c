// COMMIT of a transaction that wrote one task's row of backtest_results, resolved when the
// answer is lost (Connection::commit_resolving), the row confirming a "committed" answer.
#pragma once

#include <string_view>

#include "catalog/catalog.h"
#include "catalog/connection.h"

namespace btstore::catalog {

CommitOutcome commit_task(Catalog& catalog, std::string_view task_id);

}  // namespace btstore::catalog
