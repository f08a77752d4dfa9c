// Threads kept for the life of the process, for jobs that wait side by side (the syncs of a
// save's files): starting a thread costs 30-500 us (more on a busy machine), as much as a fast
// flush. (run_parallel's CPU-bound tasks start threads per call: kept threads were measured
// slower there, as waking a sleeping one took longer than starting a new one.)
#pragma once

#include <functional>
#include <vector>

namespace btstore {

// Runs every job side by side and returns when all are done: the calling thread runs the first,
// a kept thread each of the others. A thread is added whenever no kept thread is idle, so the
// jobs never wait for one another (a job may itself call this); when no thread can be started,
// the caller runs what is left in turn. A child forked while jobs run gets threads of its own.
void run_side_by_side(std::vector<std::function<void()>>& jobs);

}  // namespace btstore
