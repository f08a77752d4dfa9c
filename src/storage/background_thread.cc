#include "storage/background_thread.h"

#include <unistd.h>

#include <system_error>

namespace btstore::storage {

BackgroundThread::~BackgroundThread() {
  if (!thread_) return;
  if (owner_ != ::getpid()) {  // a forked child: the thread is not here to join
    (void)thread_.release();
    return;
  }
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_->join();
}

std::future<Status> BackgroundThread::run(std::function<Status()> fn) {
  if (thread_ && owner_ != ::getpid()) return std::async(std::launch::deferred, std::move(fn));
  std::unique_lock lock(mu_);
  if (!thread_) {
    try {
      thread_ = std::make_unique<std::thread>([this] { loop(); });
      owner_ = ::getpid();
    } catch (const std::system_error&) {
      return std::async(std::launch::deferred, std::move(fn));
    }
  }
  std::packaged_task<Status()> task(std::move(fn));
  std::future<Status> result = task.get_future();
  queue_.push_back(std::move(task));
  lock.unlock();
  wake_.notify_one();
  return result;
}

void BackgroundThread::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::packaged_task<Status()> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace btstore::storage
