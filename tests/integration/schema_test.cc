// The catalog schema as the design's DDL defines it, read back from the server's own catalogs.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "pg_test_env.h"

namespace btstore::catalog {
namespace {

using btstore::testing::connect_test;

std::vector<Row> query(Connection& conn, const std::string& sql, std::vector<Param> params = {}) {
  auto result = conn.exec(sql, params);
  EXPECT_TRUE(result.ok()) << result.status().to_string();
  return result.ok() ? result->rows : std::vector<Row>{};
}

std::string schema_of(Connection& conn) { return *query(conn, "SELECT current_schema()")[0][0]; }

TEST(Schema, ColumnsTypesNullabilityAndDefaultsAreAsDesigned) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  auto rows =
      query(conn,
            "SELECT column_name, data_type, character_maximum_length::text, is_nullable, "
            "column_default FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = 'backtest_results' ORDER BY ordinal_position");
  using Col = std::tuple<std::string, std::string, Param, std::string, Param>;
  std::vector<Col> expected = {
      {"task_id", "uuid", std::nullopt, "NO", std::nullopt},
      {"strategy", "character varying", "100", "NO", std::nullopt},
      {"symbols", "jsonb", std::nullopt, "NO", std::nullopt},
      {"start_date", "date", std::nullopt, "NO", std::nullopt},
      {"end_date", "date", std::nullopt, "NO", std::nullopt},
      {"timeframe", "character varying", "10", "YES", std::nullopt},
      {"status", "character varying", "20", "NO", std::nullopt},
      {"parquet_path", "character varying", "500", "NO", std::nullopt},
      {"file_size", "bigint", std::nullopt, "YES", std::nullopt},
      {"record_count", "integer", std::nullopt, "YES", std::nullopt},
      {"metadata", "jsonb", std::nullopt, "YES", "'{}'::jsonb"},
      {"created_at", "timestamp with time zone", std::nullopt, "YES", "CURRENT_TIMESTAMP"},
      {"updated_at", "timestamp with time zone", std::nullopt, "YES", "CURRENT_TIMESTAMP"},
  };
  ASSERT_EQ(rows.size(), expected.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Col actual{*rows[i][0], *rows[i][1], rows[i][2], *rows[i][3], rows[i][4]};
    EXPECT_EQ(actual, expected[i]) << "column " << i << " " << *rows[i][0];
  }
}

TEST(Schema, ConstraintsAreAsDesigned) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  auto rows = query(conn,
                    "SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'backtest_results'::regclass ORDER BY conname");
  std::map<std::string, std::pair<std::string, std::string>> got;
  for (const Row& r : rows) got[*r[0]] = {*r[1], *r[2]};
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got["backtest_results_pkey"],
            std::make_pair(std::string("p"), std::string("PRIMARY KEY (task_id)")));
  EXPECT_EQ(got["backtest_results_parquet_path_key"],
            std::make_pair(std::string("u"), std::string("UNIQUE (parquet_path)")));
  EXPECT_EQ(got["date_order"],
            std::make_pair(std::string("c"), std::string("CHECK ((start_date <= end_date))")));
  EXPECT_EQ(got["status_valid"].first, "c");
  EXPECT_EQ(got["status_valid"].second,
            "CHECK (((status)::text = ANY ((ARRAY['completed'::character varying, "
            "'failed'::character varying, 'running'::character varying])::text[])))");
}

TEST(Schema, IndexesAreAsDesignedPlusTheKeysetIndex) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  std::string table = schema_of(conn) + ".backtest_results";
  auto rows = query(conn,
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                    "current_schema() AND tablename = 'backtest_results'");
  std::map<std::string, std::string> got;
  for (const Row& r : rows) got[*r[0]] = *r[1];
  std::map<std::string, std::string> expected = {
      {"backtest_results_pkey",
       "CREATE UNIQUE INDEX backtest_results_pkey ON " + table + " USING btree (task_id)"},
      {"backtest_results_parquet_path_key",
       "CREATE UNIQUE INDEX backtest_results_parquet_path_key "
       "ON " +
           table + " USING btree (parquet_path)"},
      {"idx_backtest_results_created_at", "CREATE INDEX idx_backtest_results_created_at ON " +
                                              table + " USING btree (created_at DESC)"},
      {"idx_backtest_results_strategy",
       "CREATE INDEX idx_backtest_results_strategy ON " + table + " USING btree (strategy)"},
      {"idx_backtest_results_status",
       "CREATE INDEX idx_backtest_results_status ON " + table + " USING btree (status)"},
      {"idx_backtest_results_symbols",
       "CREATE INDEX idx_backtest_results_symbols ON " + table + " USING gin (symbols)"},
      {"idx_backtest_results_task_id",
       "CREATE INDEX idx_backtest_results_task_id ON " + table + " USING btree (task_id)"},
      {"idx_backtest_results_created_at_task_id",
       "CREATE INDEX idx_backtest_results_created_at_task_id ON " + table +
           " USING btree (created_at DESC, task_id DESC)"},
      // 0003_list_filter_indexes: the keyset order after each list filter's equality columns.
      {"idx_backtest_results_status_created_at",
       "CREATE INDEX idx_backtest_results_status_created_at ON " + table +
           " USING btree (status, created_at DESC, task_id DESC)"},
      {"idx_backtest_results_strategy_created_at",
       "CREATE INDEX idx_backtest_results_strategy_created_at ON " + table +
           " USING btree (strategy, created_at DESC, task_id DESC)"},
      {"idx_backtest_results_strategy_status_created_at",
       "CREATE INDEX idx_backtest_results_strategy_status_created_at ON " + table +
           " USING btree (strategy, status, created_at DESC, task_id DESC)"},
  };
  EXPECT_EQ(got, expected);
}

TEST(Schema, UpdateTriggerIsBeforeUpdateForEachRow) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  std::string schema = schema_of(conn);
  auto rows = query(conn,
                    "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = "
                    "'backtest_results'::regclass AND NOT tgisinternal "
                    // 0003's triggers keep backtest_result_symbols (catalog_list_filters_test).
                    "AND NOT starts_with(tgname, 'backtest_result_symbols_')");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "backtest_results_update_timestamp");
  EXPECT_EQ(rows[0][1], "CREATE TRIGGER backtest_results_update_timestamp BEFORE UPDATE ON " +
                            schema +
                            ".backtest_results FOR EACH ROW EXECUTE FUNCTION "
                            "update_backtest_results_timestamp()");
}

TEST(Schema, TriggerRefreshesUpdatedAtAndLeavesCreatedAt) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  ASSERT_TRUE(conn.exec_script("DELETE FROM backtest_results").ok());
  // INSERT is not touched by the BEFORE UPDATE trigger, so old times can be planted here.
  ASSERT_TRUE(conn.exec("INSERT INTO backtest_results (task_id, strategy, symbols, start_date, "
                        "end_date, status, parquet_path, created_at, updated_at) VALUES ($1, 's', "
                        "'[]', '2024-01-01', '2024-01-02', 'running', 'p', $2, $2)",
                        {"00000000-0000-4000-8000-000000000001", "2000-01-01T00:00:00Z"})
                  .ok());
  ASSERT_TRUE(conn.exec_script("UPDATE backtest_results SET strategy = 't'").ok());
  auto rows = query(conn,
                    "SELECT created_at = '2000-01-01T00:00:00Z', updated_at > now() - interval "
                    "'1 minute', metadata::text FROM backtest_results");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "t");
  EXPECT_EQ(rows[0][1], "t");
  EXPECT_EQ(rows[0][2], "{}");  // the design's default
}

TEST(Schema, ConstraintsRefuseBadStatusAndReversedDates) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  const std::string insert =
      "INSERT INTO backtest_results (task_id, strategy, symbols, start_date, end_date, status, "
      "parquet_path) VALUES (gen_random_uuid(), 's', '[]', $1, $2, $3, gen_random_uuid()::text)";
  auto bad_status = conn.exec(insert, {"2024-01-01", "2024-01-02", "done"});
  ASSERT_FALSE(bad_status.ok());
  EXPECT_NE(bad_status.status().message().find("status_valid"), std::string::npos);
  auto reversed = conn.exec(insert, {"2024-01-03", "2024-01-02", "completed"});
  ASSERT_FALSE(reversed.ok());
  EXPECT_NE(reversed.status().message().find("date_order"), std::string::npos);
  EXPECT_NE(reversed.status().message().find("23514"), std::string::npos);
}

// The plans the list and --symbol queries rely on (sequential and bitmap scans off: the table
// is tiny, and a plain index scan is what a large table gets for a LIMITed page).
TEST(Schema, SymbolFilterAndKeysetPageUseTheirIndexes) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  ASSERT_TRUE(conn.exec_script("SET enable_seqscan = off").ok());
  auto plan = [&](const std::string& sql) {
    std::string text;
    for (const Row& r : query(conn, "EXPLAIN " + sql)) text += *r[0] + "\n";
    return text;
  };
  EXPECT_NE(plan("SELECT task_id FROM backtest_results WHERE symbols @> '[\"BTC/USDT\"]'::jsonb")
                .find("idx_backtest_results_symbols"),
            std::string::npos);
  ASSERT_TRUE(conn.exec_script("SET enable_bitmapscan = off").ok());  // GIN needs bitmap scans
  std::string keyset = plan(
      "SELECT task_id FROM backtest_results WHERE (created_at, task_id) < (now(), "
      "'00000000-0000-4000-8000-000000000001'::uuid) ORDER BY created_at DESC, task_id DESC "
      "LIMIT 10");
  EXPECT_NE(keyset.find("idx_backtest_results_created_at_task_id"), std::string::npos) << keyset;
  EXPECT_EQ(keyset.find("Sort"), std::string::npos) << keyset;
}

}  // namespace
}  // namespace btstore::catalog
