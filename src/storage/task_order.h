// The order of a batch's saves that share a task_id: saved side by side, inputs with the same
// task_id must still end as they would one after the other (with replace, the last input wins;
// without, the first one is saved and the later ones find it there).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace btstore::storage {

class SameTaskOrder {
 public:
  explicit SameTaskOrder(size_t inputs);

  // Records input `i`'s task key (empty: none that can clash, e.g. a task_id to be generated),
  // then waits until every earlier input has been recorded and none of them with the same key
  // is still being saved. Called once per input, before its save.
  void enter(size_t i, std::string key);
  // Input `i` is saved (or failed): later inputs of its key may go.
  void leave(size_t i);

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> keys_;
  std::vector<char> recorded_;
  size_t recorded_prefix_ = 0;  // inputs [0, recorded_prefix_) are all recorded
  std::map<std::string, std::set<size_t>> unfinished_;  // key -> its inputs not yet saved
};

}  // namespace btstore::storage
