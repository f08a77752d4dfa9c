#include "common/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

namespace btstore {
namespace {

TEST(RunParallel, EveryTaskOnceAndTheFirstFailureInTaskOrder) {
  std::vector<std::atomic<int>> runs(100);
  Status st = run_parallel(runs.size(), 3, [&](size_t i) {
    ++runs[i];
    if (i == 40 || i == 70) return Status::InvalidArgument("task " + std::to_string(i));
    return Status::OK();
  });
  for (auto& r : runs) EXPECT_EQ(r.load(), 1);
  EXPECT_EQ(st.message(), "task 40");
  EXPECT_TRUE(run_parallel(0, 4, [](size_t) { return Status::Internal("never"); }).ok());
}

TEST(ThreadsFor, ZeroIsOnePerCoreAndTheCountStaysWithinTheTasks) {
  EXPECT_GE(threads_for(0, 1000), 1u);
  EXPECT_EQ(threads_for(8, 3), 3u);
  EXPECT_EQ(threads_for(2, 0), 1u);
}

}  // namespace
}  // namespace btstore
