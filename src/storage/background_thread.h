// One thread kept for a storage's background work: a save's encoding and its INSERT, which run
// while the saving thread creates and writes the files. Starting a thread per save costs
// 30-500 us (more on a busy machine), as much as a fast flush.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "btstore/status.h"

namespace btstore::storage {

class BackgroundThread {
 public:
  BackgroundThread() = default;
  BackgroundThread(const BackgroundThread&) = delete;
  BackgroundThread& operator=(const BackgroundThread&) = delete;
  // Runs what is queued, then joins.
  ~BackgroundThread();

  // Runs `fn` on the thread, after what was queued before. When no thread can be started, or in
  // a child forked after the thread started (which has no such thread), `fn` runs when the
  // future's result is asked for, on the thread that asks.
  std::future<Status> run(std::function<Status()> fn);

 private:
  void loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<Status()>> queue_;
  bool stopping_ = false;
  std::unique_ptr<std::thread> thread_;
  pid_t owner_ = 0;  // the process whose thread thread_ is
};

}  // namespace btstore::storage
