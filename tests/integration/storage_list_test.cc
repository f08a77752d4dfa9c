// Listing, paging and cleanup by age through the ResultStorage API (and the
// CLI's cursor walk) against a real PostgreSQL.
#include <gtest/gtest.h>

#include "storage_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

class StorageListTest : public StorageFixture {};

TEST_F(StorageListTest, ThousandResultsPageWithoutGapsOrDuplicates) {
  use_memory_root();
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    auto id = storage->save_result(
        result_json(ResultSpec().named("s" + std::to_string(i % 3)).rows(1, 1)));
    ASSERT_TRUE(id.ok()) << i << ": " << id.status().to_string();
    ids.push_back(*id);
  }
  // Many rows share one created_at (as one transaction saving many would);
  // the keyset's task_id breaks the ties.
  sql("UPDATE backtest_results SET created_at = '2024-06-01T00:00:00Z' "
      "WHERE strategy = 's0'");
  sql("UPDATE backtest_results SET created_at = '2024-05-01T00:00:00Z' "
      "WHERE strategy = 's1' AND record_count = 1 AND task_id::text < '8'");

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    ListFilter f;
    f.limit = 37;
    f.after = cursor;
    auto page = storage->list(f);
    ASSERT_TRUE(page.ok()) << page.status().to_string();
    ASSERT_LE(page->entries.size(), 37u);
    for (const auto& e : page->entries) seen.push_back(e.task_id);
    cursor = page->next_cursor;
    ASSERT_LT(++pages, 40);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 28);  // 27 full pages + 1 of 1

  // Exactly the expected order: created_at DESC, task_id DESC.
  auto expected =
      sql("SELECT task_id::text FROM backtest_results "
          "ORDER BY created_at DESC, task_id DESC");
  ASSERT_EQ(expected.rows.size(), 1000u);
  ASSERT_EQ(seen.size(), 1000u);
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], *expected.rows[i][0]) << i;
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()),
            std::set<std::string>(ids.begin(), ids.end()));

  // The same walk through the command line, cursor by cursor.
  std::vector<std::string> walked;
  cursor.clear();
  for (int page = 0; page < 40; ++page) {
    std::vector<std::string> args = {"list", "--limit", "37", "--json"};
    if (!cursor.empty()) args.insert(args.end(), {"--after", cursor});
    RunResult r = cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    simdjson::dom::parser parser;
    auto doc = parse_json(parser, r.out);
    for (auto e : doc["results"].get_array()) walked.push_back(str(e["task_id"]));
    if (doc["next_cursor"].is_null()) break;
    cursor = str(doc["next_cursor"]);
  }
  EXPECT_EQ(walked, seen);

  // A filtered walk pages the same way.
  std::vector<std::string> s0;
  cursor.clear();
  do {
    ListFilter f;
    f.strategy = "s0";
    f.limit = 37;
    f.after = cursor;
    auto page = storage->list(f);
    ASSERT_TRUE(page.ok());
    for (const auto& e : page->entries) s0.push_back(e.task_id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(s0.size(), 334u);
  EXPECT_EQ(std::set<std::string>(s0.begin(), s0.end()).size(), 334u);
}

TEST_F(StorageListTest, ListFiltersByStatusStrategySymbolsAndTime) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  auto a = *storage->save_result(result_json(ResultSpec().named("a").with({"BTC/USDT"})));
  auto b =
      *storage->save_result(result_json(ResultSpec().named("b").with({"BTC/USDT", "ETH/USDT"})));
  auto c = *storage->register_running(running_task("a", {"ETH/USDT"}));
  set_created_at(a, "now() - interval '10 days'");
  set_created_at(b, "now() - interval '1 day'");

  auto ids = [&](ListFilter f) {
    auto page = storage->list(f);
    EXPECT_TRUE(page.ok()) << page.status().to_string();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& e : page->entries) out.push_back(e.task_id);
    }
    return out;
  };
  using V = std::vector<std::string>;
  auto filter = [](auto set) {
    ListFilter f;
    set(f);
    return f;
  };
  EXPECT_EQ(ids(ListFilter()), (V{c, b, a}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.status = "completed"; })), (V{b, a}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.status = "running"; })), (V{c}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.strategy = "a"; })), (V{c, a}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.symbols = {"ETH/USDT"}; })), (V{c, b}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.symbols = {"ETH/USDT", "BTC/USDT"}; })), (V{b}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.symbols = {"BTC"}; })), V{});  // whole names only
  const int64_t day = 86'400'000'000;
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.since_micros = now_micros() - 7 * day; })),
            (V{c, b}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.until_micros = now_micros() - 7 * day; })), (V{a}));
  EXPECT_EQ(ids(filter([&](ListFilter& f) { f.limit = 2; })), (V{c, b}));
}

TEST_F(StorageListTest, CleanupRemovesRowsAndFilesOlderThanTheBoundaryOnly) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  auto older = *storage->save_result(result_json(ResultSpec()));
  auto younger = *storage->save_result(result_json(ResultSpec()));
  auto fresh = *storage->save_result(result_json(ResultSpec()));
  // One second either side of 7 days, by the database's clock.
  set_created_at(older, "now() - interval '7 days 1 second'");
  set_created_at(younger, "now() - interval '7 days' + interval '1 second'");

  auto dry = storage->cleanup(7 * 24h, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status().to_string();
  ASSERT_EQ(dry->size(), 1u);
  EXPECT_EQ((*dry)[0].task_id, older);
  EXPECT_EQ(row_count(), 3);
  EXPECT_TRUE(fs::exists(result_dir(older)));

  auto removed = storage->cleanup(7 * 24h);
  ASSERT_TRUE(removed.ok()) << removed.status().to_string();
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_EQ((*removed)[0].task_id, older);
  EXPECT_EQ((*removed)[0].parquet_path, "backtests/" + older + "/");
  EXPECT_FALSE(fs::exists(result_dir(older)));
  EXPECT_EQ(store_entries(), (std::set<std::string>{younger, fresh}));
  EXPECT_EQ(row_count(), 2);
  EXPECT_EQ(storage->cleanup(7 * 24h)->size(), 0u);  // idempotent
  EXPECT_EQ(describe(problems(*storage)), "");
}

TEST_F(StorageListTest, CleanupTellsItsProgressAfterEachBatchOfRemovals) {
  use_memory_root();
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  // One more than a batch of removals (500).
  for (int i = 0; i < 501; ++i) {
    auto id = storage->save_result(result_json(ResultSpec().rows(1, 1)));
    ASSERT_TRUE(id.ok()) << i << ": " << id.status().to_string();
  }
  auto fresh = *storage->save_result(result_json(ResultSpec().rows(1, 1)));
  sql("UPDATE backtest_results SET created_at = now() - interval '8 days' "
      "WHERE task_id <> '" +
      fresh + "'");

  using Calls = std::vector<std::pair<size_t, size_t>>;
  Calls calls;
  CleanupOptions options;
  options.older_than = 7 * 24h;
  options.progress = [&](size_t done, size_t total) { calls.emplace_back(done, total); };
  options.dry_run = true;
  auto dry = storage->cleanup(options);
  ASSERT_TRUE(dry.ok()) << dry.status().to_string();
  EXPECT_EQ(dry->size(), 501u);
  EXPECT_EQ(calls, Calls{});  // nothing removed, nothing to tell

  options.dry_run = false;
  auto removed = storage->cleanup(options);
  ASSERT_TRUE(removed.ok()) << removed.status().to_string();
  EXPECT_EQ(removed->size(), 501u);
  EXPECT_EQ(calls, (Calls{{500, 501}, {501, 501}}));
  EXPECT_EQ(store_entries(), (std::set<std::string>{fresh}));
  EXPECT_EQ(row_count(), 1);
}

}  // namespace
}  // namespace btstore::testing
