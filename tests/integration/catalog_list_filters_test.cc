// Every list filter, alone and combined, on 5,000 rows with skewed strategies and symbols and
// many created_at ties: the keyset pages together give exactly the rows a plain query over
// backtest_results finds (symbols @> on the table itself), in (created_at, task_id) DESC order.
// And the symbol index table follows every change of the catalog rows.
#include <gtest/gtest.h>

#include "catalog/migrations.h"
#include "catalog/values.h"
#include "catalog_fixture.h"
#include "common/time.h"

namespace btstore::catalog {
namespace {

constexpr const char* kFill = R"(
INSERT INTO backtest_results (task_id, strategy, symbols, start_date, end_date, timeframe, status,
  parquet_path, created_at)
SELECT id, 'strategy_' || floor(20 * power(random(), 2))::int,
       (SELECT jsonb_agg('S' || floor(50 * power(random(), 3))::int)
          FROM generate_series(1, 1 + floor(6 * random())::int + 0 * g)),
       DATE '2024-01-01', DATE '2024-01-31', '1h',
       (ARRAY['completed', 'completed', 'completed', 'failed', 'running'])[1 + g % 5],
       'backtests/' || id || '/',
       TIMESTAMPTZ '2023-01-01 00:00:00+00' + floor(random() * 1500) * INTERVAL '12 hours'
FROM (SELECT g, md5('filters-' || g)::uuid AS id FROM generate_series(1, 5000) g) s)";

class ListFiltersTest : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(conn().exec_script("SELECT setseed(0.5)").ok());
    auto st = conn().exec(kFill);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    ASSERT_TRUE(conn().exec_script("ANALYZE backtest_results").ok());
  }

  // What the filter must return, by a query that does not use the symbol table.
  std::vector<std::string> expected(const ListFilter& f) {
    std::string sql = "SELECT task_id::text FROM backtest_results WHERE TRUE";
    std::vector<Param> params;
    auto add = [&](std::string cond, std::string value) {
      params.push_back(std::move(value));
      sql += " AND " + cond + " $" + std::to_string(params.size());
    };
    if (f.status) add("status =", *f.status);
    if (f.strategy) add("strategy =", *f.strategy);
    if (!f.symbols.empty()) add("symbols @>", encode_string_array(f.symbols));
    if (f.symbols.size() > 0) sql += "::jsonb";
    if (f.since) add("created_at >=", format_timestamp(*f.since));
    if (f.since) sql += "::timestamptz";
    if (f.until) add("created_at <", format_timestamp(*f.until));
    if (f.until) sql += "::timestamptz";
    sql += " ORDER BY created_at DESC, task_id DESC";
    auto rows = conn().exec(sql, params);
    EXPECT_TRUE(rows.ok()) << rows.status().to_string();
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const Row& r : rows->rows) out.push_back(r[0].value_or(""));
    }
    return out;
  }

  // Every page of the filter, 37 rows at a time; checks the keyset order on the way.
  std::vector<std::string> walk(ListFilter f) {
    f.limit = 37;
    std::vector<std::string> out;
    const CatalogRecord* prev = nullptr;
    CatalogRecord last;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = cat().list(f);
      EXPECT_TRUE(page.ok()) << page.status().to_string();
      if (!page.ok()) break;
      EXPECT_LE(page->records.size(), 37u);
      for (const CatalogRecord& r : page->records) {
        if (prev != nullptr) {
          EXPECT_TRUE(std::tie(r.created_at, r.task_id) < std::tie(last.created_at, last.task_id))
              << r.task_id << " after " << last.task_id;
        }
        last = r;
        prev = &last;
        out.push_back(r.task_id);
      }
      if (page->next_cursor.empty()) break;
      f.after = page->next_cursor;
    }
    return out;
  }

  void check(const ListFilter& f, const char* what, size_t at_least = 1) {
    std::vector<std::string> want = expected(f);
    EXPECT_GE(want.size(), at_least) << what << ": the data should exercise this filter";
    EXPECT_EQ(walk(f), want) << what;
  }
};

int64_t at(const char* rfc3339) { return *parse_timestamp(rfc3339); }

TEST_F(ListFiltersTest, EachFilterAloneMatchesAPlainQueryInKeysetOrder) {
  check({}, "no filter", 5000);
  for (const char* status : {"completed", "failed", "running"}) {
    ListFilter f;
    f.status = status;
    check(f, status, 900);
  }
  for (const char* strategy : {"strategy_0", "strategy_19"}) {
    ListFilter f;
    f.strategy = strategy;
    check(f, strategy);
  }
  for (const char* symbol : {"S0", "S10", "S49"}) {
    ListFilter f;
    f.symbols = {symbol};
    check(f, symbol);
  }
  ListFilter absent;
  absent.symbols = {"NOT-A-SYMBOL"};
  check(absent, "absent symbol", 0);
  ListFilter since;
  since.since = at("2024-06-01T00:00:00Z");
  check(since, "since");
  ListFilter until;
  until.until = at("2023-03-01T00:00:00Z");
  check(until, "until");
}

TEST_F(ListFiltersTest, CombinedFiltersMatchAPlainQueryInKeysetOrder) {
  ListFilter f;
  f.strategy = "strategy_0";
  f.status = "running";
  check(f, "strategy + status");
  f = {};
  f.symbols = {"S0", "S1"};
  check(f, "two common symbols");
  f.symbols = {"S1", "S0", "S1"};
  check(f, "the same symbols in another order, one twice");
  f.symbols = {"S0", "S40"};
  check(f, "common and rare symbol");
  f.symbols = {"S40", "S0"};
  check(f, "rare and common symbol");
  f = {};
  f.symbols = {"S0"};
  f.status = "failed";
  check(f, "symbol + status");
  f.strategy = "strategy_1";
  check(f, "symbol + status + strategy");
  f = {};
  f.symbols = {"S2"};
  f.since = at("2023-06-01T00:00:00Z");
  f.until = at("2024-06-01T00:00:00Z");
  check(f, "symbol + range");
  f.strategy = "strategy_0";
  f.status = "completed";
  check(f, "everything");
}

// 600 rows on 200 created_at values (three rows each): symbol "A" in every newer row and every
// 10th older one, "B" the reverse, "C" in all. Of {A, B} the sparser symbol near the start of a
// page is B among the newer rows and A among the older ones.
constexpr const char* kSwitchFill = R"(
INSERT INTO backtest_results (task_id, strategy, symbols, start_date, end_date, timeframe, status,
  parquet_path, created_at)
SELECT id, 'switch', jsonb_build_array('C') ||
         CASE WHEN g > 300 OR g % 10 = 0 THEN '["A"]'::jsonb ELSE '[]' END ||
         CASE WHEN g <= 300 OR g % 10 = 0 THEN '["B"]'::jsonb ELSE '[]' END,
       DATE '2024-01-01', DATE '2024-01-31', '1h',
       (ARRAY['completed', 'failed', 'running'])[1 + g % 3], 'backtests/' || id || '/',
       TIMESTAMPTZ '2022-01-01 00:00:00+00' + (g / 3) * INTERVAL '1 hour'
FROM (SELECT g, md5('switch-' || g)::uuid AS id FROM generate_series(1, 600) g) s)";

TEST_F(ListFiltersTest, SeveralSymbolsPageAlikeWhicheverIsSparserOnEachPage) {
  ASSERT_TRUE(conn().exec_script(kSwitchFill).ok());
  ASSERT_TRUE(conn().exec_script("ANALYZE backtest_result_symbols").ok());
  ListFilter f;
  f.symbols = {"A", "B"};
  check(f, "A and B: the sparser one changes half way", 60);
  f.symbols = {"B", "A"};
  check(f, "B and A", 60);
  f.symbols = {"C", "B", "A"};
  check(f, "three symbols, one in every row", 60);
  f.symbols = {"A", "C"};
  check(f, "A and C", 300);
  f.status = "running";
  check(f, "two symbols + status");
  f = {};
  f.symbols = {"A", "B"};
  f.since = at("2022-01-03T00:00:00Z");
  f.until = at("2022-01-11T00:00:00Z");
  check(f, "two symbols + range across the switch");
  f.strategy = "switch";
  check(f, "two symbols + range + strategy");
  f.strategy = "strategy_0";
  check(f, "two symbols of one strategy held by another", 0);
}

TEST_F(ListFiltersTest, SeveralSymbolsWithNoCommonRowListNothing) {
  ASSERT_TRUE(conn().exec_script(kSwitchFill).ok());
  for (std::vector<std::string> symbols : {std::vector<std::string>{"S0", "A"},
                                           {"A", "S0"},
                                           {"NOT-A-SYMBOL", "S0"},
                                           {"S0", "NOT-A-SYMBOL"},
                                           {"S0", "S1", "NOT-A-SYMBOL"},
                                           {"NOT-A-SYMBOL", "ALSO-NOT"}}) {
    ListFilter f;
    f.symbols = symbols;
    check(f, symbols[0].c_str(), 0);
    f.limit = 10;
    auto page = cat().list(f);
    ASSERT_TRUE(page.ok()) << page.status().to_string();
    EXPECT_TRUE(page->records.empty());
    EXPECT_TRUE(page->next_cursor.empty());
  }
}

TEST_F(ListFiltersTest, SeveralSymbolsWithoutLimitListEveryRowInOneAnswer) {
  ListFilter f;
  f.symbols = {"S3", "S0", "S1"};
  std::vector<std::string> want = expected(f);
  ASSERT_GE(want.size(), 5u) << "the data should exercise this filter";
  auto page = cat().list(f);
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  std::vector<std::string> got;
  for (const CatalogRecord& r : page->records) got.push_back(r.task_id);
  EXPECT_EQ(got, want);
  EXPECT_TRUE(page->next_cursor.empty());
}

// Every row at one instant: the keyset falls back on task_id alone, whichever symbol leads.
TEST_F(ListFiltersTest, SeveralSymbolsPageThroughRowsCreatedAtTheSameInstant) {
  ASSERT_TRUE(conn().exec_script(kSwitchFill).ok());
  ASSERT_TRUE(conn()
                  .exec_script("UPDATE backtest_results SET created_at = TIMESTAMPTZ "
                               "'2021-06-01 00:00:00+00' WHERE strategy = 'switch'")
                  .ok());
  ListFilter f;
  f.symbols = {"A", "B"};
  check(f, "ties, A and B", 60);
  f.symbols = {"C", "A"};
  check(f, "ties, C and A", 300);
}

TEST_F(ListFiltersTest, SymbolFilterFollowsUpdatesDeletesAndTruncate) {
  CatalogRecord r = make_record(900001);
  r.symbols = {"ONLY/USDT", "ALSO/USDT"};
  r.status = "running";
  r.file_size.reset();
  insert(r);
  ListFilter f;
  f.symbols = {"ONLY/USDT"};
  EXPECT_EQ(walk(f), std::vector<std::string>{r.task_id});
  f.status = "running";
  EXPECT_EQ(walk(f).size(), 1u);
  ASSERT_TRUE(cat().mark_failed(r.task_id, "boom").ok());
  EXPECT_TRUE(walk(f).empty()) << "status changed to failed";
  f.status = "failed";
  EXPECT_EQ(walk(f).size(), 1u);

  r.symbols = {"NEW/USDT"};
  r.status = "completed";
  ASSERT_TRUE(cat().update(r, CreatedAt::kNow).ok());
  f = {};
  f.symbols = {"ONLY/USDT"};
  EXPECT_TRUE(walk(f).empty());
  f.symbols = {"NEW/USDT"};
  EXPECT_EQ(walk(f), std::vector<std::string>{r.task_id});
  f.limit = 1;
  auto page = cat().list(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_GT(page->records[0].created_at, at("2025-01-01T00:00:00Z")) << "created_at moved to now";

  ASSERT_TRUE(cat().remove(r.task_id).ok());
  f.limit.reset();
  EXPECT_TRUE(walk(f).empty());
  auto left = conn().exec("SELECT count(*) FROM backtest_result_symbols WHERE task_id = $1::uuid",
                          {r.task_id});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->rows[0][0], "0");

  ASSERT_TRUE(conn().exec_script("TRUNCATE backtest_results").ok());
  auto rows = conn().exec("SELECT count(*) FROM backtest_result_symbols");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows[0][0], "0");
}

// A session whose search_path does not lead to the catalog (psql, an administrator's script)
// changes its rows by their qualified name, and the triggers still keep the catalog's symbol
// table, not fail for want of one.
TEST_F(ListFiltersTest, SymbolTableFollowsChangesFromASessionOfAnotherSearchPath) {
  CatalogRecord kept = make_record(900002);
  CatalogRecord removed = make_record(900003);
  kept.symbols = removed.symbols = {"PINNED/USDT", "ETH/USDT"};
  insert(kept);
  insert(removed);
  auto schema = conn().exec("SELECT current_schema()");
  ASSERT_TRUE(schema.ok());
  const std::string table = *schema->rows[0][0] + ".backtest_results";
  catalog::Connection other = btstore::testing::connect_test();
  ASSERT_TRUE(other.exec_script("SET search_path = pg_catalog").ok());
  // The two results' symbol rows, or every symbol row.
  auto symbol_rows = [&](bool all = false) {
    auto rows = conn().exec(
        "SELECT count(DISTINCT task_id) FROM backtest_result_symbols WHERE $3 OR task_id IN "
        "($1::uuid, $2::uuid)",
        {kept.task_id, removed.task_id, all ? "true" : "false"});
    EXPECT_TRUE(rows.ok()) << rows.status().to_string();
    return rows.ok() ? rows->rows[0][0].value_or("") : "";
  };
  ASSERT_EQ(symbol_rows(), "2");
  Status st = other.exec_script("UPDATE " + table + " SET status = 'failed' WHERE task_id = '" +
                                kept.task_id + "'");
  ASSERT_TRUE(st.ok()) << st.to_string();
  st = other.exec_script("DELETE FROM " + table + " WHERE task_id = '" + removed.task_id + "'");
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(symbol_rows(), "1");
  ListFilter f;
  f.symbols = {"PINNED/USDT"};
  f.status = "failed";
  EXPECT_EQ(walk(f), std::vector<std::string>{kept.task_id});
  st = other.exec_script("TRUNCATE " + table);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(symbol_rows(/*all=*/true), "0");
}

TEST_F(ListFiltersTest, CleanupRemovesTheSymbolRowsOfTheRowsItDeletes) {
  ASSERT_TRUE(conn()
                  .exec_script("UPDATE backtest_results SET created_at = now() - "
                               "INTERVAL '10 days' WHERE task_id::text < '8'")
                  .ok());
  ListFilter f;
  f.symbols = {"S0"};
  auto removed = cat().delete_older_than(std::chrono::hours(24 * 30));
  ASSERT_TRUE(removed.ok()) << removed.status().to_string();
  EXPECT_GT(removed->size(), 1000u);
  check(f, "symbol after cleanup");
  auto orphans = conn().exec(
      "SELECT count(*) FROM backtest_result_symbols s WHERE NOT EXISTS (SELECT 1 FROM "
      "backtest_results r WHERE r.task_id = s.task_id AND r.created_at = s.created_at)");
  ASSERT_TRUE(orphans.ok());
  EXPECT_EQ(orphans->rows[0][0], "0");
}

// A catalog filled before the symbol table existed gets its rows when the migration runs.
TEST(ListFiltersMigration, SymbolTableIsBackfilledFromExistingRows) {
  BTSTORE_REQUIRE_PG();
  std::string schema = btstore::testing::pg_test_server().schema + "_backfill";
  Connection conn = btstore::testing::connect_test();
  ASSERT_TRUE(conn.exec_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE").ok());
  ASSERT_TRUE(conn.exec_script("CREATE SCHEMA " + schema).ok());
  ASSERT_TRUE(conn.exec_script("SET search_path TO " + schema).ok());
  ASSERT_TRUE(conn.exec_script("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                               "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT "
                               "CURRENT_TIMESTAMP)")
                  .ok());
  for (const Migration& m : known_migrations()) {
    if (m.version >= 3) break;
    ASSERT_TRUE(conn.exec_script(m.sql).ok()) << m.name;
    ASSERT_TRUE(conn.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                          {std::to_string(m.version), m.name})
                    .ok());
  }
  Catalog cat(std::move(conn));
  for (int i = 1; i <= 3; ++i) {
    CatalogRecord r = make_record(i);
    r.symbols = {"A/USDT", i == 2 ? "B/USDT" : "C/USDT", "A/USDT"};
    ASSERT_TRUE(cat.insert(r).ok());
  }
  auto applied = migrate(cat.connection());
  ASSERT_TRUE(applied.ok()) << applied.status().to_string();
  EXPECT_GE(*applied, 1);
  ListFilter f;
  f.symbols = {"A/USDT"};
  auto page = cat.list(f);
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  EXPECT_EQ(page->records.size(), 3u);
  f.symbols = {"B/USDT", "A/USDT"};
  page = cat.list(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].task_id, uuid_for(2));
  EXPECT_TRUE(cat.connection().exec_script("DROP SCHEMA " + schema + " CASCADE").ok());
}

}  // namespace
}  // namespace btstore::catalog
