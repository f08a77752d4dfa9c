// What the concurrency soak did to each task_id, and what that allows the store
// to hold. Every operation gets a [start, end] interval on one global counter
// (taken just before the call and just after it returns), so "A ended before B
// started" is a real-time order; overlapping operations may take effect in
// either order.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace btstore::testing {

struct Interval {
  uint64_t start = 0;
  uint64_t end = 0;
};

struct SavedVersion {
  Interval when;
  size_t digest = 0;  // of the canonical document (write_result with indent 0)
};

struct IdHistory {
  std::set<size_t> attempted;  // every version any writer tried to save, success or not
  std::vector<SavedVersion> saved;
  std::vector<Interval> removed;  // deletes and cleanups that reported removing it
};

// What the store must hold for one task_id after every operation has returned.
struct Expectation {
  bool must_exist = false;
  bool must_be_absent = false;
  std::set<size_t> allowed;  // digests a present result may have
};

inline Expectation expect_final(const IdHistory& h) {
  Expectation e;
  // Present for sure: a save that started after every removal had ended.
  for (const SavedVersion& s : h.saved) {
    bool after_all = true;
    for (const Interval& r : h.removed) after_all = after_all && r.end < s.when.start;
    e.must_exist = e.must_exist || after_all;
  }
  // Absent for sure: a removal that started after every save had ended.
  for (const Interval& r : h.removed) {
    bool after_all = true;
    for (const SavedVersion& s : h.saved) after_all = after_all && s.when.end < r.start;
    e.must_be_absent = e.must_be_absent || after_all;
  }
  // A version may be the final one unless a later save began after it ended.
  for (const SavedVersion& s : h.saved) {
    bool superseded = false;
    for (const SavedVersion& t : h.saved) superseded = superseded || t.when.start > s.when.end;
    if (!superseded) e.allowed.insert(s.digest);
  }
  return e;
}

class SoakHistory {
 public:
  uint64_t tick() { return clock_.fetch_add(1) + 1; }

  // Called before the save so that a reader may meet the version at once.
  void attempt(const std::string& id, size_t digest) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = ids_.try_emplace(id);
    if (fresh) order_.push_back(id);
    it->second.attempted.insert(digest);
  }
  void saved(const std::string& id, Interval when, size_t digest) {
    std::lock_guard lock(mu_);
    ids_[id].saved.push_back({when, digest});
    saved_ids_.push_back(id);
  }
  void removed(const std::string& id, Interval when) {
    std::lock_guard lock(mu_);
    ids_[id].removed.push_back(when);
  }
  bool was_attempted(const std::string& id, size_t digest) {
    std::lock_guard lock(mu_);
    auto it = ids_.find(id);
    return it != ids_.end() && it->second.attempted.count(digest) != 0;
  }
  // A task_id some writer tried (or, with `saved_only`, one that a save reported saved).
  std::string pick(std::mt19937_64& rng, bool saved_only) {
    std::lock_guard lock(mu_);
    const std::vector<std::string>& from = saved_only ? saved_ids_ : order_;
    if (from.empty()) return {};
    // Half the picks among the newest, where writers are still busy.
    size_t n = from.size();
    size_t window = std::min<size_t>(n, 64);
    size_t i = rng() % 2 ? n - 1 - rng() % window : rng() % n;
    return from[i];
  }
  std::unordered_map<std::string, IdHistory> snapshot() {
    std::lock_guard lock(mu_);
    return ids_;
  }

 private:
  std::atomic<uint64_t> clock_{0};
  std::mutex mu_;
  std::unordered_map<std::string, IdHistory> ids_;
  std::vector<std::string> order_;
  std::vector<std::string> saved_ids_;
};

// Problems found by any thread, counted by kind (the text before the first
// ':'), with the first few of each kind kept.
class Violations {
 public:
  void add(std::string what) {
    std::lock_guard lock(mu_);
    ++count_;
    Kind& k = kinds_[what.substr(0, what.find(':'))];
    ++k.count;
    if (k.first.size() < 8) k.first.push_back(std::move(what));
  }
  uint64_t count() {
    std::lock_guard lock(mu_);
    return count_;
  }
  std::string describe() {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [name, k] : kinds_) {
      out += std::to_string(k.count) + " x " + name + ", e.g.:\n";
      for (const std::string& s : k.first) out += "  " + s + "\n";
    }
    return out;
  }

 private:
  struct Kind {
    uint64_t count = 0;
    std::vector<std::string> first;
  };
  std::mutex mu_;
  uint64_t count_ = 0;
  std::map<std::string, Kind> kinds_;
};

}  // namespace btstore::testing
