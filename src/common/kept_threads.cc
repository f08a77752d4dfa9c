#include "common/kept_threads.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace btstore {
namespace {

// Never destroyed: its threads wait for jobs until the process ends.
class KeptThreads {
 public:
  // A forked child has none of the parent's threads, so it makes a set of its own.
  static KeptThreads& instance() {
    static std::atomic<KeptThreads*> current{nullptr};
    KeptThreads* threads = current.load(std::memory_order_acquire);
    if (threads != nullptr && threads->owner_ == ::getpid()) return *threads;
    auto* fresh = new KeptThreads();
    if (current.compare_exchange_strong(threads, fresh, std::memory_order_acq_rel)) return *fresh;
    delete fresh;  // another thread of this process made one first
    return *threads;
  }

  void run_all(std::vector<std::function<void()>>& jobs) {
    if (jobs.empty()) return;
    struct Latch {
      std::mutex mu;
      std::condition_variable done;
      size_t left = 0;
    };
    auto latch = std::make_shared<Latch>();
    latch->left = jobs.size() - 1;
    {
      std::lock_guard lock(mu_);
      for (size_t i = 1; i < jobs.size(); ++i) {
        queue_.push_back([job = &jobs[i], latch] {
          (*job)();
          std::lock_guard l(latch->mu);
          if (--latch->left == 0) latch->done.notify_one();
        });
      }
      while (idle_ < queue_.size()) {
        try {
          std::thread([this] { loop(); }).detach();
          ++idle_;
        } catch (const std::system_error&) {
          break;  // no thread to be had: this one runs what is left
        }
      }
    }
    wake_.notify_all();
    jobs[0]();
    // What no thread will take (none could be started) runs here.
    for (;;) {
      std::function<void()> job;
      {
        std::lock_guard lock(mu_);
        if (queue_.empty() || idle_ >= queue_.size()) break;
        job = std::move(queue_.back());
        queue_.pop_back();
      }
      job();
    }
    std::unique_lock l(latch->mu);
    latch->done.wait(l, [&] { return latch->left == 0; });
  }

 private:
  void loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [this] { return !queue_.empty(); });
      std::function<void()> job = std::move(queue_.front());
      queue_.pop_front();
      --idle_;
      lock.unlock();
      job();
      lock.lock();
      ++idle_;
    }
  }

  const pid_t owner_ = ::getpid();
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  size_t idle_ = 0;  // threads waiting for a job
};

}  // namespace

void run_side_by_side(std::vector<std::function<void()>>& jobs) {
  KeptThreads::instance().run_all(jobs);
}

}  // namespace btstore
