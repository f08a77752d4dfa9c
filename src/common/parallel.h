// Running a few independent tasks on a few threads.
#pragma once

#include <cstddef>
#include <functional>

#include "btstore/status.h"

namespace btstore {

// Runs task(0..count) on `threads` threads (the caller's among them) and returns the first
// failure in task order, after every task has finished.
Status run_parallel(size_t count, size_t threads, const std::function<Status(size_t)>& task);

// The thread count `wanted` stands for (0 = one per core), at least 1 and at most `tasks`.
size_t threads_for(size_t wanted, size_t tasks);

}  // namespace btstore
