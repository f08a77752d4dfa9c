// Advisory locks that serialise a save, a delete and a cleanup of one task_id,
// across threads and processes, for the whole time they touch its files.
//
// The row lock alone is not enough: a delete commits the row's removal before
// it removes the directory, so without this lock a save of the same task_id
// could publish its directory in between and lose it to the delete (a row
// without files). A save takes the lock for its transaction; a delete and a
// cleanup take it for their session, from before the row goes until the
// directory is gone. Every caller takes task locks before any row lock, and a
// cleanup takes its many locks in key order, so the locks cannot deadlock.
// A lost connection releases them (the server ends the session).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "catalog/catalog.h"
#include "catalog/connection.h"

namespace btstore::catalog {

// Held until the current transaction ends. `task_id` is a canonical UUID.
Status lock_task_for_transaction(Connection& conn, std::string_view task_id);

// Held until unlock_tasks() or the end of the session.
Status lock_tasks_for_session(Connection& conn, const std::vector<std::string>& task_ids);
Status unlock_tasks(Connection& conn);

// Of `task_ids`, deletes the rows still older than `older_than` (by the server's
// clock) and returns them; the caller holds their task locks.
Result<std::vector<RemovedRow>> delete_older_among(Connection& conn,
                                                   const std::vector<std::string>& task_ids,
                                                   std::chrono::microseconds older_than);

}  // namespace btstore::catalog
