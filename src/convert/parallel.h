// Running a few independent tasks (one per table or file) on up to `threads` threads.
#pragma once

#include <cstddef>
#include <functional>

#include "btstore/convert.h"
#include "btstore/status.h"

namespace btstore::convert {

// The threads for `tasks` tasks under options.threads (0 = one per core).
size_t thread_count(const ConvertOptions& options, size_t tasks);

// Runs task(0..count) on `threads` threads (the caller's among them) and returns the first
// failure in task order, after every task has finished.
Status run_parallel(size_t count, size_t threads, const std::function<Status(size_t)>& task);

}  // namespace btstore::convert
