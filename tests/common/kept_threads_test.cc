#include "common/kept_threads.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace btstore {
namespace {

// Each job waits (up to 10 s) until every job of the call has started: it returns true only
// when all of them ran at the same time, as run_side_by_side promises.
std::vector<std::function<void()>> meeting_jobs(size_t n, std::atomic<size_t>& arrived,
                                                std::vector<char>& met) {
  std::vector<std::function<void()>> jobs;
  for (size_t i = 0; i < n; ++i) {
    jobs.emplace_back([n, i, &arrived, &met] {
      ++arrived;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (arrived.load() < n && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
      }
      met[i] = arrived.load() >= n;
    });
  }
  return jobs;
}

TEST(KeptThreads, RunsEveryJobSideBySide) {
  for (size_t n : {1, 2, 5, 16}) {
    std::atomic<size_t> arrived{0};
    std::vector<char> met(n, 0);
    auto jobs = meeting_jobs(n, arrived, met);
    run_side_by_side(jobs);
    EXPECT_EQ(arrived.load(), n);
    for (size_t i = 0; i < n; ++i) EXPECT_TRUE(met[i]) << "job " << i << " of " << n;
  }
}

TEST(KeptThreads, JobsMayRunJobsAndCallersMayRunAtOnce) {
  std::atomic<int> leaves{0};
  auto nested = [&] {
    std::vector<std::function<void()>> inner(3, [&] { ++leaves; });
    run_side_by_side(inner);
  };
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        std::vector<std::function<void()>> outer(3, nested);
        run_side_by_side(outer);
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(leaves.load(), 4 * 50 * 3 * 3);
}

std::set<pid_t> live_threads() {
  std::set<pid_t> tids;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    tids.insert(static_cast<pid_t>(std::stol(e.path().filename().string())));
  }
  return tids;
}

TEST(KeptThreads, ThreadsAreKeptBetweenCalls) {
  std::mutex mu;
  std::set<pid_t> ran_on;
  auto note = [&] {
    std::lock_guard lock(mu);
    ran_on.insert(::gettid());
  };
  for (int round = 0; round < 50; ++round) {
    std::vector<std::function<void()>> jobs(3, note);
    run_side_by_side(jobs);
  }
  // Every thread that ran a job is still there, waiting for the next call.
  const std::set<pid_t> live = live_threads();
  EXPECT_GE(ran_on.size(), 2u);
  for (pid_t tid : ran_on) EXPECT_TRUE(live.count(tid)) << "thread " << tid << " has ended";
}

TEST(KeptThreads, AForkedChildRunsJobsSideBySide) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ThreadSanitizer lets the forked child of a process with threads only exec";
#endif
  std::vector<std::function<void()>> warm(2, [] {});
  run_side_by_side(warm);  // the parent's threads exist before the fork
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::atomic<size_t> arrived{0};
    std::vector<char> met(3, 0);
    auto jobs = meeting_jobs(3, arrived, met);
    run_side_by_side(jobs);
    ::_exit(met[0] && met[1] && met[2] ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace btstore
