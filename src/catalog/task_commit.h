// COMMIT of a transaction that wrote one task's row of backtest_results, resolved when the
// answer is lost (Connection::commit_resolving), the row confirming a "committed" answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/catalog.h"
#include "catalog/connection.h"

namespace btstore::catalog {

// `txid`: the transaction's id when known (Catalog::insert_if_absent), saving a round trip.
CommitOutcome commit_task(Catalog& catalog, std::string_view task_id,
                          const std::optional<std::string>& txid = std::nullopt);

}  // namespace btstore::catalog
