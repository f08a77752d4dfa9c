// Catalog queries against a real PostgreSQL: every call ResultStorage makes.
#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <set>

#include "catalog/values.h"
#include "common/time.h"
#include "pg_test_env.h"

namespace btstore::catalog {
namespace {

using namespace std::chrono_literals;

std::string uuid_for(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", i);
  return buf;
}

CatalogRecord make_record(int i, std::string status = "completed") {
  CatalogRecord r;
  r.task_id = uuid_for(i);
  r.strategy = "volume_zone_breakout";
  r.symbols = {"BTC/USDT", "ETH/USDT"};
  r.start_date = "2024-01-01";
  r.end_date = "2024-01-31";
  r.timeframe = "1h";
  r.status = std::move(status);
  r.parquet_path = parquet_path_for(r.task_id);
  r.file_size = 123456;
  r.record_count = 42;
  r.metadata_json = R"({"compression": "snappy", "schema_version": "1.0"})";
  return r;
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BTSTORE_REQUIRE_PG();
    catalog_.emplace(btstore::testing::connect_test());
    ASSERT_TRUE(conn().exec_script("TRUNCATE backtest_results").ok());
  }
  Catalog& cat() { return *catalog_; }
  Connection& conn() { return catalog_->connection(); }

  void insert(const CatalogRecord& r) {
    auto st = cat().insert(r);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
  }
  // Sets created_at by SQL (not part of the Catalog API).
  void set_created_at(const std::string& id, const std::string& expr) {
    ASSERT_TRUE(
        conn()
            .exec("UPDATE backtest_results SET created_at = " + expr + " WHERE task_id = $1::uuid",
                  {id})
            .ok());
  }
  std::vector<std::string> ids(const ListFilter& f) {
    auto page = cat().list(f);
    EXPECT_TRUE(page.ok()) << page.status().to_string();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& r : page->records) out.push_back(r.task_id);
    }
    return out;
  }

  std::optional<Catalog> catalog_;
};

TEST_F(CatalogTest, InsertThenGetGivesBackEveryField) {
  CatalogRecord r = make_record(1);
  r.symbols = {"ETH/USDT", "BTC/USDT", "ADA/USDT"};  // order is kept, not sorted
  auto stored = cat().insert(r);
  ASSERT_TRUE(stored.ok()) << stored.status().to_string();
  auto got = cat().get(r.task_id);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  for (const CatalogRecord* x : {&*stored, &*got}) {
    EXPECT_EQ(x->task_id, r.task_id);
    EXPECT_EQ(x->strategy, r.strategy);
    EXPECT_EQ(x->symbols, r.symbols);
    EXPECT_EQ(x->start_date, "2024-01-01");
    EXPECT_EQ(x->end_date, "2024-01-31");
    EXPECT_EQ(x->timeframe, "1h");
    EXPECT_EQ(x->status, "completed");
    EXPECT_EQ(x->parquet_path, "backtests/" + r.task_id + "/");
    EXPECT_EQ(x->file_size, 123456);
    EXPECT_EQ(x->record_count, 42);
    EXPECT_EQ(x->metadata_json, R"({"compression": "snappy", "schema_version": "1.0"})");
    EXPECT_EQ(x->created_at, x->updated_at);
    EXPECT_LT(std::llabs(x->created_at - now_micros()), 60'000'000);
  }
  EXPECT_EQ(got->created_at, stored->created_at);
}

TEST_F(CatalogTest, OptionalColumnsRoundTripAsAbsent) {
  CatalogRecord r = make_record(2, "failed");
  r.timeframe.reset();
  r.file_size.reset();
  r.record_count.reset();
  r.symbols.clear();
  insert(r);
  auto got = cat().get(r.task_id);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->timeframe);
  EXPECT_FALSE(got->file_size);
  EXPECT_FALSE(got->record_count);
  EXPECT_TRUE(got->symbols.empty());
}

TEST_F(CatalogTest, DuplicateTaskIdIsAlreadyExists) {
  insert(make_record(3));
  CatalogRecord again = make_record(3);
  again.parquet_path = "elsewhere/";
  auto dup = cat().insert(again);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find(uuid_for(3)), std::string::npos) << dup.status().message();
}

TEST_F(CatalogTest, DuplicateParquetPathIsAlreadyExists) {
  insert(make_record(4));
  CatalogRecord other = make_record(5);
  other.parquet_path = make_record(4).parquet_path;
  auto dup = cat().insert(other);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("parquet_path"), std::string::npos);
}

TEST_F(CatalogTest, InvalidRecordsAreRefusedBeforeReachingTheServer) {
  auto refused = [&](auto mutate, const char* expect_in_message) {
    CatalogRecord r = make_record(6);
    mutate(r);
    auto st = cat().insert(r);
    EXPECT_EQ(st.status().code(), StatusCode::kInvalidArgument) << expect_in_message;
    EXPECT_NE(st.status().message().find(expect_in_message), std::string::npos)
        << st.status().message();
  };
  refused([](CatalogRecord& r) { r.task_id = "not-a-uuid"; }, "not a UUID");
  refused([](CatalogRecord& r) { r.start_date = "2024-02-30"; }, "start_date");
  refused([](CatalogRecord& r) { r.end_date = "2024/01/31"; }, "end_date");
  refused([](CatalogRecord& r) { r.start_date = "2024-03-01"; }, "is after end_date");
  refused([](CatalogRecord& r) { r.status = "done"; }, "completed, failed, running");
  refused([](CatalogRecord& r) { r.strategy = std::string(101, 'x'); }, "at most 100");
  refused([](CatalogRecord& r) { r.timeframe = "12345678901"; }, "at most 10");
  refused([](CatalogRecord& r) { r.parquet_path = std::string(501, 'p'); }, "at most 500");
  refused([](CatalogRecord& r) { r.strategy = std::string("a\0b", 3); }, "NUL");
  refused([](CatalogRecord& r) { r.symbols = {std::string("BTC\0", 4)}; }, "symbols[0]");
  refused([](CatalogRecord& r) { r.strategy = "\xff\xfe"; }, "UTF-8");
  refused([](CatalogRecord& r) { r.file_size = -1; }, "file_size");
  refused([](CatalogRecord& r) { r.record_count = -1; }, "record_count");
  refused([](CatalogRecord& r) { r.metadata_json = "[1]"; }, "JSON object");
  refused([](CatalogRecord& r) { r.metadata_json = "{\"a\":"; }, "JSON object");
  auto count = cat().count({});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

TEST_F(CatalogTest, MetadataWithNumbersBeyondDoubleIsKeptByTheServer) {
  CatalogRecord r = make_record(16);
  r.metadata_json = R"({"big": 1E400, "int": 123456789012345678901234567890})";
  insert(r);
  auto back = conn().exec(
      "SELECT metadata->>'int', (metadata->>'big')::numeric = 1E400 FROM backtest_results");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->rows[0][0], "123456789012345678901234567890");
  EXPECT_EQ(back->rows[0][1], "t");
  r = make_record(17);
  r.metadata_json = R"({"big": 1E400, "broken": })";  // the server still refuses bad JSON
  EXPECT_EQ(cat().insert(r).status().code(), StatusCode::kDatabaseError);
}

TEST_F(CatalogTest, StrategyOfHundredMultibyteCharactersFits) {
  CatalogRecord r = make_record(7);
  r.strategy.clear();
  for (int i = 0; i < 100; ++i) r.strategy += "전";  // 300 bytes, 100 characters
  insert(r);
  EXPECT_EQ(cat().get(r.task_id)->strategy, r.strategy);
}

TEST_F(CatalogTest, GetUnknownIsNotFoundAndBadIdIsInvalidArgument) {
  EXPECT_EQ(cat().get(uuid_for(99)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cat().get("nope").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cat().remove("nope").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogTest, UpperCaseTaskIdFindsTheRow) {
  CatalogRecord r = make_record(8);
  r.task_id = "ABCDEF00-0000-4000-8000-000000000008";
  r.parquet_path = "backtests/abcdef00-0000-4000-8000-000000000008/";
  insert(r);
  auto got = cat().get("abcdef00-0000-4000-8000-000000000008");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->task_id, "abcdef00-0000-4000-8000-000000000008");
}

TEST_F(CatalogTest, UpdateOverwritesTheRowAndKeepsCreatedAt) {
  CatalogRecord r = make_record(9, "running");
  insert(r);
  set_created_at(r.task_id, "'2024-05-01T00:00:00Z'");
  r.status = "completed";
  r.symbols = {"SOL/USDT"};
  r.file_size = 999;
  r.record_count = 7;
  r.metadata_json = R"({"x": 1})";
  auto updated = cat().update(r);
  ASSERT_TRUE(updated.ok()) << updated.status().to_string();
  EXPECT_EQ(updated->status, "completed");
  EXPECT_EQ(updated->symbols, std::vector<std::string>{"SOL/USDT"});
  EXPECT_EQ(updated->file_size, 999);
  EXPECT_EQ(updated->metadata_json, R"({"x": 1})");
  EXPECT_EQ(format_timestamp(updated->created_at), "2024-05-01T00:00:00Z");
  EXPECT_GT(updated->updated_at, updated->created_at);

  auto renewed = cat().update(r, CreatedAt::kNow);
  ASSERT_TRUE(renewed.ok());
  EXPECT_LT(std::llabs(renewed->created_at - now_micros()), 60'000'000);
  EXPECT_EQ(cat().update(make_record(10)).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, RemoveReturnsParquetPathThenNotFound) {
  insert(make_record(11));
  auto removed = cat().remove(uuid_for(11));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, "backtests/" + uuid_for(11) + "/");
  EXPECT_EQ(cat().remove(uuid_for(11)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cat().get(uuid_for(11)).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, RollbackDiscardsAndCommitKeeps) {
  ASSERT_TRUE(cat().begin().ok());
  EXPECT_TRUE(cat().in_transaction());
  insert(make_record(12));
  ASSERT_TRUE(cat().rollback().ok());
  EXPECT_FALSE(cat().in_transaction());
  EXPECT_EQ(cat().get(uuid_for(12)).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(cat().begin().ok());
  insert(make_record(12));
  ASSERT_TRUE(cat().commit().ok());
  EXPECT_TRUE(cat().get(uuid_for(12)).ok());
}

TEST_F(CatalogTest, CommitAfterAFailedStatementReportsTheRollback) {
  insert(make_record(13));
  ASSERT_TRUE(cat().begin().ok());
  insert(make_record(14));
  EXPECT_EQ(cat().insert(make_record(13)).status().code(), StatusCode::kAlreadyExists);
  Status st = cat().commit();
  EXPECT_EQ(st.code(), StatusCode::kDatabaseError);
  EXPECT_NE(st.message().find("rolled back"), std::string::npos);
  EXPECT_EQ(cat().get(uuid_for(14)).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, GetForUpdateLocksTheRowUntilCommit) {
  insert(make_record(15));
  ASSERT_TRUE(cat().begin().ok());
  ASSERT_TRUE(cat().get(uuid_for(15), RowLock::kForUpdate).ok());
  Connection other = btstore::testing::connect_test();
  ASSERT_TRUE(other.exec_script("SET lock_timeout = '200ms'").ok());
  auto blocked = other.exec("UPDATE backtest_results SET strategy = 'x' WHERE task_id = $1::uuid",
                            {uuid_for(15)});
  EXPECT_EQ(blocked.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(blocked.status().message().find("55P03"), std::string::npos)
      << blocked.status().message();
  ASSERT_TRUE(cat().commit().ok());
  EXPECT_TRUE(other
                  .exec("UPDATE backtest_results SET strategy = 'x' WHERE task_id = $1::uuid",
                        {uuid_for(15)})
                  .ok());
}

TEST_F(CatalogTest, ListIsNewestFirstAndEachFilterNarrows) {
  for (int i = 1; i <= 6; ++i) {
    CatalogRecord r = make_record(i, i % 2 == 0 ? "completed" : "failed");
    if (i >= 4) r.strategy = "mean_reversion";
    if (i == 5) r.symbols = {"ETH/USDT"};
    if (i == 6) r.symbols = {"SOL/USDT", "BTC/USDT"};
    insert(r);
    set_created_at(r.task_id, "'2024-06-0" + std::to_string(i) + "T12:00:00Z'");
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}),
            (V{uuid_for(6), uuid_for(5), uuid_for(4), uuid_for(3), uuid_for(2), uuid_for(1)}));
  ListFilter f;
  f.status = "completed";
  EXPECT_EQ(ids(f), (V{uuid_for(6), uuid_for(4), uuid_for(2)}));
  f = {};
  f.strategy = "mean_reversion";
  EXPECT_EQ(ids(f), (V{uuid_for(6), uuid_for(5), uuid_for(4)}));
  f = {};
  f.symbols = {"BTC/USDT"};
  EXPECT_EQ(ids(f), (V{uuid_for(6), uuid_for(4), uuid_for(3), uuid_for(2), uuid_for(1)}));
  f.symbols = {"ETH/USDT", "BTC/USDT"};  // all must be held, in any order
  EXPECT_EQ(ids(f), (V{uuid_for(4), uuid_for(3), uuid_for(2), uuid_for(1)}));
  f.symbols = {"ETH"};  // whole elements only
  EXPECT_EQ(ids(f), V{});
  f = {};
  f.since = *parse_timestamp("2024-06-03T12:00:00Z");  // inclusive
  f.until = *parse_timestamp("2024-06-05T12:00:00Z");  // exclusive
  EXPECT_EQ(ids(f), (V{uuid_for(4), uuid_for(3)}));
  f.status = "failed";
  f.strategy = "volume_zone_breakout";
  EXPECT_EQ(ids(f), (V{uuid_for(3)}));
  auto n = cat().count(f);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  f = {};
  f.limit = 2;
  EXPECT_EQ(ids(f), (V{uuid_for(6), uuid_for(5)}));
}

TEST_F(CatalogTest, ListRefusesBadFilters) {
  ListFilter f;
  f.status = "done";
  EXPECT_EQ(cat().list(f).status().code(), StatusCode::kInvalidArgument);
  f = {};
  f.limit = 0;
  EXPECT_EQ(cat().list(f).status().code(), StatusCode::kInvalidArgument);
  f.limit = -5;
  EXPECT_EQ(cat().list(f).status().code(), StatusCode::kInvalidArgument);
  f = {};
  f.symbols = {std::string("A\0B", 3)};
  EXPECT_EQ(cat().list(f).status().code(), StatusCode::kInvalidArgument);
  for (const char* cursor : {"garbage", "123",
                             "_"
                             "00000000-0000-4000-8000-000000000001",
                             "12x_00000000-0000-4000-8000-000000000001", "1_not-a-uuid",
                             "1_00000000-0000-4000-8000-000000000001_",
                             "99999999999999999999_00000000-0000-4000-8000-000000000001"}) {
    f = {};
    f.after = cursor;
    auto page = cat().list(f);
    EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument) << cursor;
    if (!page.ok()) {
      EXPECT_NE(page.status().message().find("cursor"), std::string::npos);
    }
  }
}

// 1,000 rows, all with one created_at (one transaction), paged 7 at a time: every row exactly
// once, in (created_at, task_id) descending order, with the last page saying so.
TEST_F(CatalogTest, ThousandRowsPageWithoutGapsOrDuplicates) {
  ASSERT_TRUE(cat().begin().ok());
  for (int i = 0; i < 1000; ++i) {
    CatalogRecord r = make_record(1000 + i, i % 3 == 0 ? "failed" : "completed");
    auto st = cat().insert(r);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
  }
  ASSERT_TRUE(cat().commit().ok());
  // A few rows with distinct times around the shared one.
  for (int i = 0; i < 5; ++i) insert(make_record(3000 + i));
  set_created_at(uuid_for(3000), "'2020-01-01T00:00:00Z'");
  set_created_at(uuid_for(3001), "'2999-01-01T00:00:00Z'");
  for (std::optional<std::string> status :
       {std::optional<std::string>(), std::optional<std::string>("failed")}) {
    ListFilter f;
    f.status = status;
    f.limit = 7;
    std::vector<CatalogRecord> seen;
    int pages = 0;
    while (true) {
      auto page = cat().list(f);
      ASSERT_TRUE(page.ok()) << page.status().to_string();
      ++pages;
      ASSERT_LE(page->records.size(), 7u);
      seen.insert(seen.end(), page->records.begin(), page->records.end());
      if (page->next_cursor.empty()) break;
      ASSERT_EQ(page->records.size(), 7u);
      f.after = page->next_cursor;
    }
    size_t expected = status ? 334 : 1005;
    EXPECT_EQ(seen.size(), expected);
    EXPECT_EQ(pages, static_cast<int>((expected + 6) / 7));
    std::set<std::string> unique;
    for (const auto& r : seen) unique.insert(r.task_id);
    EXPECT_EQ(unique.size(), expected);
    for (size_t i = 1; i < seen.size(); ++i) {
      ASSERT_TRUE(std::tie(seen[i - 1].created_at, seen[i - 1].task_id) >
                  std::tie(seen[i].created_at, seen[i].task_id))
          << "rows " << i - 1 << " and " << i << " out of order";
    }
    if (!status) {
      EXPECT_EQ(seen.front().task_id, uuid_for(3001));
      EXPECT_EQ(seen.back().task_id, uuid_for(3000));
    }
  }
}

TEST_F(CatalogTest, ExactLimitLeavesNoNextCursor) {
  for (int i = 0; i < 4; ++i) insert(make_record(40 + i));
  ListFilter f;
  f.limit = 4;
  auto page = cat().list(f);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->records.size(), 4u);
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST_F(CatalogTest, ForEachVisitsEveryRowOnceAndStopsOnError) {
  for (int i = 0; i < 10; ++i) insert(make_record(50 + i));
  std::set<std::string> seen;
  Status st = cat().for_each(
      [&](const CatalogRecord& r) {
        EXPECT_TRUE(seen.insert(r.task_id).second);
        return Status::OK();
      },
      3);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(seen.size(), 10u);
  int calls = 0;
  st = cat().for_each(
      [&](const CatalogRecord&) {
        return ++calls == 4 ? Status::Corruption("stop here") : Status::OK();
      },
      3);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_EQ(calls, 4);
}

// created_at < now() - 7 days: inside one transaction now() is fixed, so the boundary is exact.
TEST_F(CatalogTest, CleanupTakesRowsStrictlyOlderThanTheCutoff) {
  for (int i = 0; i < 4; ++i) insert(make_record(60 + i));
  ASSERT_TRUE(cat().begin().ok());
  set_created_at(uuid_for(60), "now() - interval '7 days' - interval '1 microsecond'");
  set_created_at(uuid_for(61), "now() - interval '7 days'");
  set_created_at(uuid_for(62), "now() - interval '30 days'");
  auto dry = cat().select_older_than(7 * 24h);
  ASSERT_TRUE(dry.ok()) << dry.status().to_string();
  ASSERT_EQ(dry->size(), 2u);
  EXPECT_EQ((*dry)[0].task_id, uuid_for(62));  // oldest first
  EXPECT_EQ((*dry)[1].task_id, uuid_for(60));
  EXPECT_EQ((*dry)[1].parquet_path, "backtests/" + uuid_for(60) + "/");
  auto deleted = cat().delete_older_than(7 * 24h);
  ASSERT_TRUE(deleted.ok());
  std::set<std::string> gone;
  for (const auto& r : *deleted) gone.insert(r.task_id);
  EXPECT_EQ(gone, (std::set<std::string>{uuid_for(60), uuid_for(62)}));
  ASSERT_TRUE(cat().commit().ok());
  EXPECT_TRUE(cat().get(uuid_for(61)).ok());
  EXPECT_TRUE(cat().get(uuid_for(63)).ok());
  // A later transaction has a later now(): the row that sat on the boundary is now past it.
  auto later = cat().delete_older_than(7 * 24h);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].task_id, uuid_for(61));
  auto again = cat().delete_older_than(7 * 24h);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(cat().select_older_than(-1s).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogTest, RegisterRunningThenMarkFailedKeepsMetadataAndStoresTheError) {
  RunningTask t;
  t.task_id = uuid_for(70);
  t.strategy = "s";
  t.symbols = {"BTC/USDT"};
  t.start_date = "2024-01-01";
  t.end_date = "2024-01-02";
  t.metadata_json = R"({"requested_by": "cron"})";
  auto running = cat().register_running(t);
  ASSERT_TRUE(running.ok()) << running.status().to_string();
  EXPECT_EQ(running->status, "running");
  EXPECT_EQ(running->parquet_path, "backtests/" + uuid_for(70) + "/");
  EXPECT_FALSE(running->file_size);
  EXPECT_FALSE(running->record_count);
  EXPECT_EQ(cat().register_running(t).status().code(), StatusCode::kAlreadyExists);

  const std::string error = "exchange said \"rate limit\" \\ 50% of 'quota' 🚀\n";
  auto failed = cat().mark_failed(uuid_for(70), error);
  ASSERT_TRUE(failed.ok()) << failed.status().to_string();
  EXPECT_EQ(failed->status, "failed");
  auto back = conn().exec(
      "SELECT metadata->>'error', metadata->>'requested_by' FROM backtest_results "
      "WHERE task_id = $1::uuid",
      {uuid_for(70)});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->rows[0][0], error);
  EXPECT_EQ(back->rows[0][1], "cron");

  EXPECT_EQ(cat().mark_failed(uuid_for(71), "x").status().code(), StatusCode::kNotFound);
  insert(make_record(72));
  auto completed = cat().mark_failed(uuid_for(72), "x");
  EXPECT_EQ(completed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cat().get(uuid_for(72))->status, "completed");
  EXPECT_EQ(cat().mark_failed(uuid_for(70), std::string("a\0b", 3)).status().code(),
            StatusCode::kInvalidArgument);
}

// Values travel as parameters: SQL-looking text, quotes, backslashes, LIKE wildcards and
// non-ASCII come back byte for byte and match only themselves.
TEST_F(CatalogTest, HostileStringsRoundTripAndMatchOnlyThemselves) {
  const std::vector<std::string> strategies = {
      "O'Brien\"; DROP TABLE backtest_results; --",
      "back\\slash\\\\",
      "100%_",
      "100%x",
      "전략 🚀 naïve",
      "$1 $$ :name ?",
  };
  for (size_t i = 0; i < strategies.size(); ++i) {
    CatalogRecord r = make_record(80 + static_cast<int>(i));
    r.strategy = strategies[i];
    r.symbols = {strategies[i], "quo\"te", "tab\tnew\nline", "\\u0041"};
    r.timeframe = "'%_\\";
    r.metadata_json = R"({"note": "it's \"quoted\" \\ and \u00e9"})";
    insert(r);
  }
  for (size_t i = 0; i < strategies.size(); ++i) {
    auto got = cat().get(uuid_for(80 + static_cast<int>(i)));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->strategy, strategies[i]);
    EXPECT_EQ(got->symbols,
              (std::vector<std::string>{strategies[i], "quo\"te", "tab\tnew\nline", "\\u0041"}));
    EXPECT_EQ(got->timeframe, "'%_\\");
    ListFilter f;
    f.strategy = strategies[i];
    EXPECT_EQ(ids(f), std::vector<std::string>{uuid_for(80 + static_cast<int>(i))});
    f = {};
    f.symbols = {strategies[i]};
    EXPECT_EQ(ids(f), std::vector<std::string>{uuid_for(80 + static_cast<int>(i))});
  }
  auto meta = conn().exec("SELECT metadata->>'note' FROM backtest_results LIMIT 1");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->rows[0][0], "it's \"quoted\" \\ and \xC3\xA9");
  auto count = cat().count({});
  EXPECT_EQ(*count, static_cast<int64_t>(strategies.size()));  // the table is still there
}

}  // namespace
}  // namespace btstore::catalog
