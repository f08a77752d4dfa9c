#include "common/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "common/kept_threads.h"

namespace btstore {

Status run_parallel(size_t count, size_t threads, const std::function<Status(size_t)>& task) {
  std::vector<Status> results(count);
  std::atomic<size_t> next{0};
  // Each job takes the next task until none is left; a job that starts late finds none.
  std::vector<std::function<void()>> jobs(std::min(std::max<size_t>(threads, 1), count), [&] {
    for (size_t i = next++; i < count; i = next++) results[i] = task(i);
  });
  run_side_by_side(jobs);
  for (Status& st : results) {
    if (!st.ok()) return std::move(st);
  }
  return Status::OK();
}

size_t threads_for(size_t wanted, size_t tasks) {
  if (wanted == 0) wanted = std::max(1u, std::thread::hardware_concurrency());
  return std::max<size_t>(1, std::min(wanted, tasks));
}

}  // namespace btstore
