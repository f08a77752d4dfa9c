#include "catalog/task_locks.h"

#include <algorithm>
#include <cstdint>

#include "catalog/values.h"

namespace btstore::catalog {
namespace {

// The two-key form of the advisory locks: a lock space apart from the bigint
// key of the migrations. The first key reads "btst"; the second comes from the
// task_id's first 32 random bits (two task_ids may share a lock: harmless).
constexpr char kTaskLockSpace[] = "1651798900";

std::string task_key(std::string_view task_id) {
  uint32_t bits = 0;
  for (char c : task_id.substr(0, 8)) {
    uint32_t digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    bits = bits << 4 | (digit & 0xF);
  }
  return std::to_string(static_cast<int32_t>(bits));
}

std::string key_array(const std::vector<std::string>& task_ids) {
  std::vector<int64_t> keys;
  for (const auto& id : task_ids) keys.push_back(std::stoll(task_key(id)));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::string out = "{";
  for (int64_t k : keys) out += (out.size() > 1 ? "," : "") + std::to_string(k);
  return out + "}";
}

std::string uuid_array(const std::vector<std::string>& task_ids) {
  std::string out = "{";
  for (const auto& id : task_ids) out += (out.size() > 1 ? "," : "") + id;
  return out + "}";
}

}  // namespace

Status lock_task_for_transaction(Connection& conn, std::string_view task_id) {
  return conn
      .exec("SELECT pg_advisory_xact_lock(" + std::string(kTaskLockSpace) + ", $1::integer)",
            {task_key(task_id)})
      .status()
      .with_context("locking task " + std::string(task_id));
}

Status lock_tasks_for_session(Connection& conn, const std::vector<std::string>& task_ids) {
  if (task_ids.empty()) return Status::OK();
  // In key order, one at a time: two cleanups never wait on each other in a cycle.
  return conn
      .exec("SELECT count(pg_advisory_lock(" + std::string(kTaskLockSpace) +
                ", k)) FROM (SELECT unnest($1::integer[]) AS k ORDER BY 1) AS keys",
            {key_array(task_ids)})
      .status()
      .with_context("locking " + std::to_string(task_ids.size()) + " tasks");
}

Status unlock_tasks(Connection& conn) {
  return conn.exec("SELECT pg_advisory_unlock_all()").status();
}

Result<std::vector<RemovedRow>> delete_older_among(Connection& conn,
                                                   const std::vector<std::string>& task_ids,
                                                   std::chrono::microseconds older_than) {
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult result,
      conn.exec("DELETE FROM backtest_results WHERE task_id = ANY($1::uuid[]) AND "
                "created_at < now() - $2::interval RETURNING task_id::text, parquet_path",
                {uuid_array(task_ids), std::to_string(older_than.count()) + " microseconds"}));
  std::vector<RemovedRow> out;
  for (const Row& row : result.rows) out.push_back({row[0].value_or(""), row[1].value_or("")});
  return out;
}

}  // namespace btstore::catalog
