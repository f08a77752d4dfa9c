// Running a few independent tasks (one per table or file) on up to `threads` threads.
#pragma once

#include <cstddef>

#include "btstore/convert.h"
#include "common/parallel.h"

namespace btstore::convert {

using btstore::run_parallel;

// The threads for `tasks` tasks under options.threads (0 = one per core).
size_t thread_count(const ConvertOptions& options, size_t tasks);

}  // namespace btstore::convert
