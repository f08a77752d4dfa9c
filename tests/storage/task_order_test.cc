#include "storage/task_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace btstore::storage {
namespace {

using namespace std::chrono_literals;

TEST(SameTaskOrder, InputsOfOneKeyAreSavedInInputOrder) {
  constexpr size_t kInputs = 60;
  const std::string keys[] = {"a", "b", "c", ""};
  SameTaskOrder order(kInputs);
  std::mutex mu;
  std::map<std::string, std::vector<size_t>> saved;  // key -> inputs, in the order saved
  std::atomic<size_t> next{0}, inside{0}, most_inside{0};
  auto worker = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (size_t i = next++; i < kInputs; i = next++) {
      const std::string key = keys[(i * 7) % std::size(keys)];
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300));  // reading
      order.enter(i, key);
      const size_t now = ++inside;
      for (size_t m = most_inside; now > m && !most_inside.compare_exchange_weak(m, now);) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 500));  // saving
      {
        std::lock_guard lock(mu);
        saved[key].push_back(i);
      }
      --inside;
      order.leave(i);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 6; ++t) threads.emplace_back(worker, t);
  for (auto& t : threads) t.join();
  size_t total = 0;
  for (const auto& [key, inputs] : saved) {
    total += inputs.size();
    if (key.empty()) continue;  // no order among inputs without a key
    EXPECT_TRUE(std::is_sorted(inputs.begin(), inputs.end())) << "key " << key;
  }
  EXPECT_EQ(total, kInputs);
  EXPECT_GT(most_inside.load(), 1u) << "inputs of different keys never ran side by side";
}

TEST(SameTaskOrder, OtherKeysDoNotWait) {
  SameTaskOrder order(3);
  order.enter(0, "a");  // being saved
  auto b = std::async(std::launch::async, [&] { order.enter(1, "b"); });
  auto none = std::async(std::launch::async, [&] { order.enter(2, ""); });
  EXPECT_EQ(b.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(none.wait_for(5s), std::future_status::ready);
  order.leave(0);
  order.leave(1);
  order.leave(2);
}

TEST(SameTaskOrder, ALaterInputWaitsForEarlierOnesOfItsKey) {
  SameTaskOrder order(3);
  auto second = std::async(std::launch::async, [&] { order.enter(2, "a"); });
  // Input 2 cannot know yet whether inputs 0 and 1 carry its key.
  EXPECT_EQ(second.wait_for(50ms), std::future_status::timeout);
  auto first = std::async(std::launch::async, [&] { order.enter(1, "b"); });
  EXPECT_EQ(second.wait_for(50ms), std::future_status::timeout);
  EXPECT_EQ(first.wait_for(50ms), std::future_status::timeout);  // input 0 is unknown to it too
  order.enter(0, "a");  // input 2 shares its key: it waits for this save
  EXPECT_EQ(first.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(second.wait_for(50ms), std::future_status::timeout);
  order.leave(0);
  EXPECT_EQ(second.wait_for(5s), std::future_status::ready);
  order.leave(1);
  order.leave(2);
}

}  // namespace
}  // namespace btstore::storage
