#include "storage/task_order.h"

namespace btstore::storage {

SameTaskOrder::SameTaskOrder(size_t inputs) : keys_(inputs), recorded_(inputs, 0) {}

void SameTaskOrder::enter(size_t i, std::string key) {
  std::unique_lock lock(mu_);
  keys_[i] = std::move(key);
  recorded_[i] = 1;
  while (recorded_prefix_ < recorded_.size() && recorded_[recorded_prefix_]) ++recorded_prefix_;
  if (!keys_[i].empty()) unfinished_[keys_[i]].insert(i);
  changed_.notify_all();
  if (keys_[i].empty()) return;
  // Once every earlier input is recorded, the set holds all earlier ones of this key.
  changed_.wait(lock,
                [&] { return recorded_prefix_ >= i && *unfinished_.at(keys_[i]).begin() == i; });
}

void SameTaskOrder::leave(size_t i) {
  std::lock_guard lock(mu_);
  if (keys_[i].empty()) return;
  auto it = unfinished_.find(keys_[i]);
  it->second.erase(i);
  if (it->second.empty()) unfinished_.erase(it);
  changed_.notify_all();
}

}  // namespace btstore::storage
