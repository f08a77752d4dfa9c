// Schema migrations against a real PostgreSQL: applied once, idempotent, safe concurrently.
#include "catalog/migrations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pg_test_env.h"

namespace btstore::catalog {
namespace {

using btstore::testing::connect_test;

// A connection to a new, empty schema of its own.
Connection connect_fresh_schema(const std::string& schema) {
  Connection conn = connect_test();
  EXPECT_TRUE(conn.exec_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE").ok());
  EXPECT_TRUE(conn.exec_script("CREATE SCHEMA " + schema).ok());
  EXPECT_TRUE(conn.exec_script("SET search_path TO " + schema).ok());
  return conn;
}

std::string fresh_name(const char* tag) {
  return btstore::testing::pg_test_server().schema + "_" + tag;
}

TEST(Migrations, KnownMigrationsAreNumberedInOrderFromOne) {
  const auto& all = known_migrations();
  ASSERT_GE(all.size(), 2u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(all[i].sql.empty());
  }
  EXPECT_EQ(all[0].name, "0001_create_backtest_results");
}

TEST(Migrations, FreshSchemaHasAllPendingAndMigrateAppliesEachOnce) {
  BTSTORE_REQUIRE_PG();
  std::string schema = fresh_name("fresh");
  Connection conn = connect_fresh_schema(schema);
  auto pending = pending_migrations(conn);
  ASSERT_TRUE(pending.ok()) << pending.status().to_string();
  EXPECT_EQ(*pending, static_cast<int>(known_migrations().size()));
  EXPECT_EQ(require_current_schema(conn).code(), StatusCode::kDatabaseError);
  EXPECT_NE(require_current_schema(conn).message().find("btstore db migrate"), std::string::npos);

  auto applied = migrate(conn);
  ASSERT_TRUE(applied.ok()) << applied.status().to_string();
  EXPECT_EQ(*applied, static_cast<int>(known_migrations().size()));
  EXPECT_EQ(*pending_migrations(conn), 0);
  EXPECT_EQ(*schema_version(conn), known_migrations().back().version);
  EXPECT_TRUE(require_current_schema(conn).ok());

  auto rows = conn.exec(
      "SELECT version, name, applied_at IS NOT NULL FROM schema_migrations "
      "ORDER BY version");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), known_migrations().size());
  for (size_t i = 0; i < rows->rows.size(); ++i) {
    EXPECT_EQ(rows->rows[i][0], std::to_string(known_migrations()[i].version));
    EXPECT_EQ(rows->rows[i][1], known_migrations()[i].name);
    EXPECT_EQ(rows->rows[i][2], "t");
  }
  EXPECT_TRUE(conn.exec_script("DROP SCHEMA " + schema + " CASCADE").ok());
}

TEST(Migrations, SecondMigrateAppliesNothingAndKeepsAppliedAt) {
  BTSTORE_REQUIRE_PG();
  Connection conn = connect_test();
  auto before = conn.exec("SELECT version, applied_at::text FROM schema_migrations ORDER BY 1");
  ASSERT_TRUE(before.ok());
  auto applied = migrate(conn);
  ASSERT_TRUE(applied.ok()) << applied.status().to_string();
  EXPECT_EQ(*applied, 0);
  auto after = conn.exec("SELECT version, applied_at::text FROM schema_migrations ORDER BY 1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(before->rows, after->rows);
}

TEST(Migrations, ConcurrentMigrateFromFourConnectionsAppliesEachOnce) {
  BTSTORE_REQUIRE_PG();
  std::string schema = fresh_name("race");
  { Connection setup = connect_fresh_schema(schema); }
  std::atomic<int> total{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto conn = Connection::open(btstore::testing::test_conninfo());
      if (!conn.ok() || !conn->exec_script("SET search_path TO " + schema).ok()) {
        ++failures;
        return;
      }
      auto applied = migrate(*conn);
      if (applied.ok()) {
        total += *applied;
      } else {
        ADD_FAILURE() << applied.status().to_string();
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(total.load(), static_cast<int>(known_migrations().size()));
  Connection conn = connect_test();
  ASSERT_TRUE(conn.exec_script("SET search_path TO " + schema).ok());
  auto count = conn.exec("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->rows[0][0], std::to_string(known_migrations().size()));
  EXPECT_TRUE(conn.exec_script("DROP SCHEMA " + schema + " CASCADE").ok());
}

TEST(Migrations, FailedMigrationLeavesNoTraceAndNamesTheMigration) {
  BTSTORE_REQUIRE_PG();
  std::string schema = fresh_name("broken");
  Connection conn = connect_fresh_schema(schema);
  // A table of the same name makes 0001 fail half-way; its transaction must roll back whole.
  ASSERT_TRUE(conn.exec_script("CREATE TABLE backtest_results (x int)").ok());
  auto applied = migrate(conn);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(applied.status().message().find("0001_create_backtest_results"), std::string::npos)
      << applied.status().message();
  EXPECT_FALSE(conn.in_transaction());
  // Even schema_migrations, created in the same transaction, is gone again.
  auto pending = pending_migrations(conn);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, static_cast<int>(known_migrations().size()));
  auto fn = conn.exec("SELECT to_regproc('update_backtest_results_timestamp') IS NULL");
  ASSERT_TRUE(fn.ok());
  EXPECT_EQ(fn->rows[0][0], "t");
  EXPECT_TRUE(conn.exec_script("DROP SCHEMA " + schema + " CASCADE").ok());
}

}  // namespace
}  // namespace btstore::catalog
