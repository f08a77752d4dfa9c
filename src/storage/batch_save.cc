// save_results(): a batch of documents saved side by side (include/btstore/storage.h).
#include <algorithm>
#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>

#include "btstore/storage.h"
#include "common/parallel.h"
#include "storage/task_order.h"

namespace btstore {
namespace {

// Hands the outcomes to `done` in input order, each as soon as every earlier one is in.
class InOrderReport {
 public:
  InOrderReport(size_t count, const std::function<void(size_t, const Result<std::string>&)>& done)
      : outcomes_(count, Status::Internal("not saved")), finished_(count, 0), done_(done) {}

  void finish(size_t i, Result<std::string> outcome) {
    std::lock_guard lock(mu_);
    outcomes_[i] = std::move(outcome);
    finished_[i] = 1;
    for (; next_ < finished_.size() && finished_[next_]; ++next_) {
      if (done_) done_(next_, outcomes_[next_]);
      outcomes_[next_] = std::string();  // reported: not kept
    }
  }

 private:
  std::mutex mu_;
  std::vector<Result<std::string>> outcomes_;
  std::vector<char> finished_;
  size_t next_ = 0;
  const std::function<void(size_t, const Result<std::string>&)>& done_;
};

}  // namespace

Status save_results(const StorageOptions& storage, size_t count,
                    const std::function<Result<std::string>(size_t)>& read,
                    const std::function<void(size_t, const Result<std::string>&)>& done,
                    const BatchSaveOptions& options) {
  if (count == 0) return Status::OK();
  const size_t jobs = threads_for(static_cast<size_t>(std::max(options.jobs, 0)), count);
  // Opened one after the other, so that the first one alone starts an embedded cluster.
  std::vector<std::unique_ptr<ResultStorage>> storages;
  for (size_t j = 0; j < jobs; ++j) {
    Result<std::unique_ptr<ResultStorage>> opened = ResultStorage::open(storage);
    if (!opened.ok()) {
      if (storages.empty()) return opened.status();
      break;  // fewer connections than asked for: the batch runs on those
    }
    storages.push_back(std::move(*opened));
  }

  storage::SameTaskOrder order(count);
  InOrderReport report(count, done);
  std::atomic<size_t> next{0};
  auto work = [&](ResultStorage& store) {
    for (size_t i = next++; i < count; i = next++) {
      Result<std::string> text = read(i);
      // One job saves in input order anyway: no need to read the task_id ahead.
      const bool keyed = text.ok() && storages.size() > 1;
      order.enter(i, keyed ? storage::task_order_key(*text) : std::string());
      Result<std::string> saved =
          text.ok() ? store.save_result(*text, options.replace) : text.status();
      order.leave(i);
      report.finish(i, std::move(saved));
    }
  };
  std::vector<std::thread> threads;
  try {
    for (size_t j = 1; j < storages.size(); ++j) threads.emplace_back(work, std::ref(*storages[j]));
  } catch (const std::system_error&) {
    // No thread to be had: the inputs go to the threads that started, this one among them.
  }
  work(*storages[0]);
  for (std::thread& t : threads) t.join();
  return Status::OK();
}

}  // namespace btstore
