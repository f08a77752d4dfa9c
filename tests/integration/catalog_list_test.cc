// Catalog listing, paging and cleanup against a real PostgreSQL.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "catalog_fixture.h"
#include "common/time.h"

namespace btstore::catalog {
namespace {

using namespace std::chrono_literals;

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

}  // namespace
}  // namespace btstore::catalog
