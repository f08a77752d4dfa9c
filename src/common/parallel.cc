#include "common/parallel.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

namespace btstore {

Status run_parallel(size_t count, size_t threads, const std::function<Status(size_t)>& task) {
  std::vector<Status> results(count);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) results[i] = task(i);
  };
  std::vector<std::thread> helpers;
  try {
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(worker);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started (and this one) do all the work.
  }
  worker();
  for (std::thread& t : helpers) t.join();
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
