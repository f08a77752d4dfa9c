// The catalog tests' shared fixture: a Catalog on this process's schema, emptied per test.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "pg_test_env.h"

namespace btstore::catalog {

inline std::string uuid_for(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", i);
  return buf;
}

inline CatalogRecord make_record(int i, std::string status = "completed") {
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

}  // namespace btstore::catalog
