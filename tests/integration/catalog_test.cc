// Catalog queries against a real PostgreSQL: every call ResultStorage makes.
#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <set>

#include "catalog/values.h"
#include "catalog_fixture.h"
#include "common/time.h"
#include "pg_test_env.h"

namespace btstore::catalog {
namespace {

using namespace std::chrono_literals;

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
