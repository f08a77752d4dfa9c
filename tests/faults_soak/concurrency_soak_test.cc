// Concurrency soak: 8 writer threads (one ResultStorage each), a writer process
// (the CLI), 2 readers sharing one ResultStorage, a deleter and a cleanup loop
// work on one storage root and one catalog at once; 10% of saves reuse a task_id
// other writers are saving at the same moment, with and without --replace.
//
// Checked all along: a reader gets NotFound or a complete result equal to a
// version some writer saved for that id. Checked at the end: every save that
// reported success and was not removed afterwards is there with a version no
// later save superseded; nothing removed afterwards is there; rows and
// directories match one to one; nothing is left staged or in the trash;
// verify finds nothing. A watchdog aborts on a stall (deadlock).
//
// Duration: BTSTORE_SOAK_SECONDS (default 300), BTSTORE_FAULTS_LONG=1 -> 1800.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "integration/storage_fixture.h"
#include "json/result_writer.h"
#include "soak_history.h"
#include "soak_watchdog.h"

namespace btstore::testing {
namespace {

using Clock = std::chrono::steady_clock;

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

int soak_seconds() {
  if (const char* v = std::getenv("BTSTORE_SOAK_SECONDS"); v != nullptr && *v != '\0') {
    return std::atoi(v);
  }
  return env_int("BTSTORE_FAULTS_LONG", 0) == 1 ? 1800 : 300;
}

size_t digest(const std::string& canonical) { return std::hash<std::string>{}(canonical); }

// get_result appends the catalog's members after the document's own; cut them off.
std::string document_part(const std::string& text) {
  size_t at = text.rfind(",\"created_at\":");
  return at == std::string::npos ? text : text.substr(0, at) + "}";
}

// A handful of task_ids that every writer shares for two seconds, then new ones.
class CollisionPool {
 public:
  std::string pick(std::mt19937_64& rng) {
    std::lock_guard lock(mu_);
    if (ids_.empty() || Clock::now() - born_ > std::chrono::seconds(2)) {
      ids_.clear();
      for (int i = 0; i < 4; ++i) ids_.push_back(generate_uuid_v4());
      born_ = Clock::now();
    }
    return ids_[rng() % ids_.size()];
  }

 private:
  std::mutex mu_;
  std::vector<std::string> ids_;
  Clock::time_point born_;
};

struct Counters {
  std::atomic<uint64_t> saves{0}, refused{0}, process_saves{0}, gets{0}, found{0}, lists{0},
      deletes{0}, cleaned{0}, checks{0};
};

class ConcurrencySoak : public StorageFixture {
 protected:
  std::unique_ptr<ResultStorage> open_or_fail(const char* who) {
    auto s = ResultStorage::open(options());
    if (!s.ok()) violations_.add(std::string(who) + ": open: " + s.status().to_string());
    return s.ok() ? std::move(*s) : nullptr;
  }

  // A new version of a result for `id`: its content names the writer and the attempt.
  std::string version_json(const std::string& id, int writer, uint64_t seq, std::mt19937_64& rng,
                           std::string* canonical) {
    static const std::vector<std::string> kSymbols = {"BTC/USDT", "ETH/USDT", "SOL/USDT"};
    ResultSpec spec;
    spec.id(id).named(rng() % 2 ? "soak_a" : "soak_b").rows(1 + rng() % 12, 1 + rng() % 12);
    spec.with({kSymbols.begin(), kSymbols.begin() + 1 + rng() % kSymbols.size()});
    spec.metadata_json =
        "{\"writer\":" + std::to_string(writer) + ",\"seq\":" + std::to_string(seq) + "}";
    model::BacktestResult r = make_result(spec);
    *canonical = json::write_result(r, 0);
    return json::write_result(r, 2);
  }

  void check_read(const std::string& id, const Result<std::string>& got, const char* who) {
    counters_.checks++;
    if (got.ok()) {
      counters_.found++;
      if (!history_.was_attempted(id, digest(document_part(*got)))) {
        violations_.add(std::string(who) + ": get " + id + " gave a result no writer saved");
      }
    } else if (got.status().code() != StatusCode::kNotFound) {
      violations_.add(std::string(who) + ": get " + id + ": " + got.status().to_string());
    }
  }

  void writer(int w, SoakWatchdog::Worker& me) {
    std::mt19937_64 rng(1000 + w);
    auto storage = open_or_fail("writer");
    if (!storage) return;
    for (uint64_t seq = 0; !stop_; ++seq) {
      bool collide = rng() % 10 == 0;
      std::string id = collide ? collisions_.pick(rng) : generate_uuid_v4();
      bool replace = collide ? rng() % 2 == 0 : rng() % 10 == 0;
      std::string canonical;
      std::string json = version_json(id, w, seq, rng, &canonical);
      history_.attempt(id, digest(canonical));
      SoakWatchdog::begin(me, replace ? "save --replace" : "save");
      Interval when{history_.tick(), 0};
      auto saved = storage->save_result(json, replace);
      when.end = history_.tick();
      SoakWatchdog::done(me);
      if (saved.ok()) {
        counters_.saves++;
        history_.saved(id, when, digest(canonical));
      } else if (saved.status().code() == StatusCode::kAlreadyExists && !replace && collide) {
        counters_.refused++;
      } else {
        violations_.add("writer " + std::to_string(w) + ": save " + id +
                        (replace ? " --replace: " : ": ") + saved.status().to_string());
      }
    }
  }

  // The CLI in its own process, saving through the same catalog and root.
  void process_writer(SoakWatchdog::Worker& me) {
    std::mt19937_64 rng(77);
    std::string file = (scratch_.path() / "process.json").string();
    for (uint64_t seq = 0; !stop_; ++seq) {
      bool collide = rng() % 10 == 0;
      std::string id = collide ? collisions_.pick(rng) : generate_uuid_v4();
      bool replace = collide && rng() % 2 == 0;
      std::string canonical;
      std::ofstream(file, std::ios::binary) << version_json(id, 100, seq, rng, &canonical);
      history_.attempt(id, digest(canonical));
      std::vector<std::string> args = {"save", file};
      if (replace) args.push_back("--replace");
      SoakWatchdog::begin(me, "btstore save");
      Interval when{history_.tick(), 0};
      RunOptions options;
      options.timeout_seconds = 300;
      RunResult run = cli(args, options);
      when.end = history_.tick();
      SoakWatchdog::done(me);
      if (run.exit_code == 0) {
        counters_.process_saves++;
        history_.saved(id, when, digest(canonical));
      } else if (collide && !replace && run.exit_code == 1 &&
                 (run.err.find("already saved") != std::string::npos ||
                  run.err.find("another writer") != std::string::npos)) {
        counters_.refused++;
      } else {
        violations_.add("process writer: save " + id + ": " + run.describe());
      }
    }
  }

  void reader(ResultStorage& storage, int r, SoakWatchdog::Worker& me) {
    std::mt19937_64 rng(2000 + r);
    while (!stop_) {
      if (rng() % 5 != 0) {
        // A third of the reads on the ids being saved, replaced and deleted right now.
        std::string id = rng() % 3 == 0 ? collisions_.pick(rng) : history_.pick(rng, rng() % 2);
        if (id.empty()) continue;
        SoakWatchdog::begin(me, "get_result");
        auto got = storage.get_result(id);
        SoakWatchdog::done(me);
        counters_.gets++;
        check_read(id, got, "reader");
        continue;
      }
      ListFilter filter;
      filter.strategy = rng() % 2 ? "soak_a" : "soak_b";
      filter.limit = 20;
      SoakWatchdog::begin(me, "list");
      auto page = storage.list(filter);
      SoakWatchdog::done(me);
      counters_.lists++;
      if (!page.ok()) {
        violations_.add("reader: list: " + page.status().to_string());
        continue;
      }
      for (const ResultEntry& e : page->entries) {
        counters_.checks++;
        if (e.strategy != *filter.strategy || e.parquet_path != "backtests/" + e.task_id + "/" ||
            e.status != "completed") {
          violations_.add("reader: list gave " + e.task_id + " " + e.strategy + " " + e.status +
                          " " + e.parquet_path);
        }
      }
    }
  }

  void deleter(SoakWatchdog::Worker& me) {
    std::mt19937_64 rng(3000);
    auto storage = open_or_fail("deleter");
    if (!storage) return;
    while (!stop_) {
      std::string id = rng() % 2 ? collisions_.pick(rng) : history_.pick(rng, true);
      if (id.empty()) continue;
      SoakWatchdog::begin(me, "delete_result");
      Interval when{history_.tick(), 0};
      Status st = storage->delete_result(id);
      when.end = history_.tick();
      SoakWatchdog::done(me);
      if (st.ok()) {
        counters_.deletes++;
        history_.removed(id, when);
      } else if (st.code() != StatusCode::kNotFound) {
        violations_.add("deleter: delete " + id + ": " + st.to_string());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void cleaner(std::chrono::seconds older_than, SoakWatchdog::Worker& me) {
    auto storage = open_or_fail("cleanup");
    if (!storage) return;
    while (!stop_) {
      SoakWatchdog::begin(me, "cleanup");
      Interval when{history_.tick(), 0};
      auto removed = storage->cleanup(older_than);
      when.end = history_.tick();
      SoakWatchdog::done(me);
      if (!removed.ok()) {
        violations_.add("cleanup: " + removed.status().to_string());
      } else {
        for (const RemovedResult& r : *removed) history_.removed(r.task_id, when);
        counters_.cleaned += removed->size();
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }

  // Every row of the catalog, page by page.
  std::set<std::string> all_rows(ResultStorage& storage) {
    std::set<std::string> rows;
    ListFilter filter;
    filter.limit = 1000;
    do {
      auto page = storage.list(filter);
      if (!page.ok()) {
        ADD_FAILURE() << page.status().to_string();
        break;
      }
      for (const ResultEntry& e : page->entries) rows.insert(e.task_id);
      filter.after = page->next_cursor;
    } while (!filter.after.empty());
    return rows;
  }

  void check_final_state(ResultStorage& storage) {
    std::set<std::string> rows = all_rows(storage);
    std::set<std::string> dirs = store_entries();
    std::string unmatched;
    for (const auto& id : rows) {
      if (dirs.count(id) == 0) unmatched += "  row without files: " + id + "\n";
    }
    for (const auto& name : dirs) {
      if (rows.count(name) == 0)
        unmatched += "  files without a row (or a leftover): " + name + "\n";
    }
    EXPECT_EQ(unmatched, "");
    std::vector<Problem> found = problems(storage);
    EXPECT_TRUE(found.empty()) << describe(found);
    uint64_t present = 0;
    for (const auto& [id, h] : history_.snapshot()) {
      Expectation e = expect_final(h);
      bool has_row = rows.count(id) != 0;
      counters_.checks++;
      if (e.must_exist && !has_row) violations_.add("final: saved " + id + " is missing");
      if (e.must_be_absent && has_row) violations_.add("final: removed " + id + " is there");
      if (!has_row) continue;
      ++present;
      auto got = storage.get_result(id);
      if (!got.ok()) {
        violations_.add("final: get " + id + ": " + got.status().to_string());
      } else if (e.allowed.count(digest(document_part(*got))) == 0) {
        violations_.add("final: " + id + " holds a version that is not the last one saved");
      }
    }
    std::printf("final state: %zu task ids tried, %llu present, %zu rows, %zu directories\n",
                history_.snapshot().size(), static_cast<unsigned long long>(present), rows.size(),
                dirs.size());
  }

  SoakHistory history_;
  Violations violations_;
  CollisionPool collisions_;
  Counters counters_;
  std::atomic<bool> stop_{false};
};

TEST_F(ConcurrencySoak, WritersReadersDeletesAndCleanupKeepTheStoreConsistent) {
  const int seconds = soak_seconds();
  const auto older_than = std::chrono::seconds(std::clamp(seconds / 4, 5, 120));
  SoakWatchdog watchdog(std::chrono::seconds(env_int("BTSTORE_SOAK_STALL_SECONDS", 120)));
  auto shared_reader_storage = open_storage();
  ASSERT_NE(shared_reader_storage, nullptr);

  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w) {
    auto& me = watchdog.add("writer" + std::to_string(w));
    threads.emplace_back([this, w, &me] { writer(w, me); });
  }
  auto& proc = watchdog.add("process");
  threads.emplace_back([this, &proc] { process_writer(proc); });
  for (int r = 0; r < 2; ++r) {
    auto& me = watchdog.add("reader" + std::to_string(r));
    threads.emplace_back(
        [this, r, &me, &shared_reader_storage] { reader(*shared_reader_storage, r, me); });
  }
  auto& del = watchdog.add("deleter");
  threads.emplace_back([this, &del] { deleter(del); });
  auto& clean = watchdog.add("cleanup");
  threads.emplace_back([this, older_than, &clean] { cleaner(older_than, clean); });
  watchdog.start();

  const auto began = Clock::now();
  std::this_thread::sleep_until(began + std::chrono::seconds(seconds));
  stop_ = true;
  for (auto& t : threads) t.join();
  watchdog.stop();
  const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();

  check_final_state(*shared_reader_storage);
  const Counters& c = counters_;
  uint64_t ops = c.saves + c.refused + c.process_saves + c.gets + c.lists + c.deletes;
  std::printf(
      "soak %.0f s: %llu saves (+%llu by the CLI), %llu refused collisions, %llu gets (%llu "
      "found), %llu lists, %llu deletes, %llu cleaned; %.1f ops/s; %llu invariant checks; "
      "%llu violations\n",
      elapsed, (unsigned long long)c.saves.load(), (unsigned long long)c.process_saves.load(),
      (unsigned long long)c.refused.load(), (unsigned long long)c.gets.load(),
      (unsigned long long)c.found.load(), (unsigned long long)c.lists.load(),
      (unsigned long long)c.deletes.load(), (unsigned long long)c.cleaned.load(), ops / elapsed,
      (unsigned long long)c.checks.load(), (unsigned long long)violations_.count());
  EXPECT_GT(c.saves.load(), 0u);
  EXPECT_GT(c.found.load(), 0u);
  EXPECT_EQ(violations_.count(), 0u) << violations_.describe();
}

}  // namespace
}  // namespace btstore::testing
