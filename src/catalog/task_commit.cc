#include "catalog/task_commit.h"

namespace btstore::catalog {

CommitOutcome commit_task(Catalog& catalog, std::string_view task_id,
                          const std::optional<std::string>& txid) {
  WrittenRow row{"SELECT xmin::text FROM backtest_results WHERE task_id = $1::uuid",
                 {std::string(task_id)}};
  return catalog.connection().commit_resolving(row, txid);
}

}  // namespace btstore::catalog
