// A watchdog for the soak: every worker says what it is doing; when no worker
// finishes an operation for `stall` the watchdog prints each worker's current
// operation (and, when gdb is installed, every thread's stack) and aborts the
// process, so a deadlock fails the test instead of hanging it.
#pragma once

#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace btstore::testing {

class SoakWatchdog {
 public:
  struct Worker {
    std::string name;
    std::atomic<const char*> doing{"starting"};
    std::atomic<int64_t> since_ms{0};
    std::atomic<uint64_t> ops{0};
  };

  explicit SoakWatchdog(std::chrono::seconds stall) : stall_(stall) {}
  ~SoakWatchdog() { stop(); }

  Worker& add(std::string name) {
    workers_.emplace_back();
    workers_.back().name = std::move(name);
    return workers_.back();
  }

  // Marks the start of an operation (a string literal).
  static void begin(Worker& w, const char* what) {
    w.since_ms = now_ms();
    w.doing = what;
  }
  static void done(Worker& w) {
    w.ops.fetch_add(1);
    w.doing = "idle";
  }

  void start() {
    thread_ = std::thread([this] { watch(); });
  }
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  static int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
  }

  uint64_t total_ops() {
    uint64_t n = 0;
    for (const Worker& w : workers_) n += w.ops.load();
    return n;
  }

  void watch() {
    uint64_t last = total_ops();
    int64_t last_change = now_ms();
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
      uint64_t ops = total_ops();
      if (ops != last) {
        last = ops;
        last_change = now_ms();
      } else if (now_ms() - last_change > stall_.count() * 1000) {
        report_and_abort();
      }
    }
  }

  [[noreturn]] void report_and_abort() {
    std::fprintf(stderr, "\nSOAK STALLED: no operation finished for %lld s; workers:\n",
                 static_cast<long long>(stall_.count()));
    for (const Worker& w : workers_) {
      std::fprintf(stderr, "  %-12s %-24s for %lld ms (%llu ops done)\n", w.name.c_str(),
                   w.doing.load(), static_cast<long long>(now_ms() - w.since_ms.load()),
                   static_cast<unsigned long long>(w.ops.load()));
    }
    if (::access("/usr/bin/gdb", X_OK) == 0) {
      std::string cmd = "/usr/bin/gdb -p " + std::to_string(::getpid()) +
                        " -batch -ex 'thread apply all bt' 1>&2 2>/dev/null";
      std::fflush(stderr);
      (void)std::system(cmd.c_str());
    }
    std::fflush(stderr);
    std::abort();
  }

  std::chrono::seconds stall_;
  std::deque<Worker> workers_;  // stable addresses
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace btstore::testing
