// Shared by the ResultStorage and CLI integration tests: small results built by
// hand, a fixture with a fresh storage root and a clean catalog table, the CLI
// run against the test database, and JSON parsing of its --json output.
//
// The database and its isolation come from pg_test_env.h: one schema per test
// process (PGOPTIONS, inherited by the btstore processes the tests start).
// Tests of one process share that schema, so every test truncates the table.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "btstore/storage.h"
#include "common/time.h"
#include "common/uuid.h"
#include "json/result_writer.h"
#include "model/result.h"
#include "pg_test_env.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace btstore::testing {

namespace fs = std::filesystem;

struct ResultSpec {
  std::string task_id;  // generated when empty
  std::string strategy = "volume_zone_breakout";
  std::vector<std::string> symbols = {"BTC/USDT"};
  int signals = 2;  // per symbol
  int curve = 2;    // per symbol
  std::string status = "completed";
  std::string metadata_json = R"({"note":"integration test"})";

  // Chained setters: ResultSpec().id(x).signals(7) (designated initializers
  // would trip -Wmissing-field-initializers).
  ResultSpec& id(std::string v) { return task_id = std::move(v), *this; }
  ResultSpec& named(std::string v) { return strategy = std::move(v), *this; }
  ResultSpec& with(std::vector<std::string> v) { return symbols = std::move(v), *this; }
  ResultSpec& rows(int signal_rows, int curve_rows) {
    return signals = signal_rows, curve = curve_rows, *this;
  }
  ResultSpec& state(std::string v) { return status = std::move(v), *this; }
};

// A small valid result whose doubles include values that only survive a
// bit-exact round trip (0.1 + 0.2, -0.0, a subnormal, the largest double).
inline model::BacktestResult make_result(const ResultSpec& spec) {
  model::BacktestResult r;
  r.header.task_id = spec.task_id.empty() ? generate_uuid_v4() : spec.task_id;
  r.header.strategy = spec.strategy;
  r.header.timeframe = "1h";
  r.header.start_date = "2024-01-01";
  r.header.end_date = "2024-01-31";
  r.header.status = spec.status;
  r.header.metadata_json = spec.metadata_json;
  const int64_t t0 = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z
  int k = 0;
  for (const auto& sym : spec.symbols) {
    auto& s = r.summary;
    s.symbol.push(sym);
    s.win_rate.push(0.1 + 0.2);
    s.avg_return.push(-0.0);
    s.max_return.push(1.7976931348623157e308);
    s.min_return.push(4.9e-324);
    s.max_drawdown.push_null();
    s.avg_hold_bars.push(12.5);
    s.total_signals.push(spec.signals);
    s.winning_signals.push(spec.signals / 2);
    s.losing_signals.push(spec.signals - spec.signals / 2);
    s.total_pnl.push(1234.5678 + k);
    s.total_pnl_pct.push(0.000123456789);
    for (int i = 0; i < spec.signals; ++i) {
      auto& g = r.signals;
      g.symbol.push(sym);
      g.signal_index.push(i);
      g.timestamp.push(t0 + int64_t{i} * 3'600'000'001);
      g.type.push(i % 2 ? "sell" : "buy");
      g.entry_price.push(42000.125 + i);
      g.exit_price.push(42100.0 / 3.0 + i);
      g.quantity.push(0.001);
      g.return_pct.push(i % 3 ? -1.5e-7 : 2.25);
      g.hold_bars.push(i);
      g.fee_amount.push(0.04);
      g.slippage_amount.push_null();
      g.status.push("closed");
    }
    for (int i = 0; i < spec.curve; ++i) {
      auto& c = r.curve;
      c.symbol.push(sym);
      c.idx.push(i);
      c.timestamp.push(t0 + int64_t{i} * 60'000'000);
      c.equity.push(10000.0 + i / 7.0);
      c.drawdown.push(-0.0);
      c.cumulative_pnl.push(i * 0.1);
      c.cumulative_pnl_pct.push(i * 1e-3);
    }
    ++k;
  }
  return r;
}

// A running task to register (start and end dates of January 2024).
inline RunningTask running_task(std::string strategy, std::vector<std::string> symbols) {
  RunningTask t;
  t.strategy = std::move(strategy);
  t.symbols = std::move(symbols);
  t.start_date = "2024-01-01";
  t.end_date = "2024-01-31";
  return t;
}

inline std::string result_json(const ResultSpec& spec) {
  return json::write_result(make_result(spec), 2);
}

// Parses CLI output; the parser must outlive the element. Throws (which fails
// the test) on malformed JSON, like every checked access below.
inline simdjson::dom::element parse_json(simdjson::dom::parser& parser, const std::string& text) {
  return parser.parse(text);
}

inline std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

// Every catalog and file check of a test starts from an empty table and a new root.
class StorageFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    BTSTORE_REQUIRE_PG();
    admin_ = std::make_unique<catalog::Connection>(connect_test());
    ASSERT_TRUE(admin_->exec_script("TRUNCATE backtest_results").ok());
  }

  StorageOptions options() const {
    StorageOptions o;
    o.database_url = test_conninfo();
    o.home = root_->str();
    o.root = root_->str();
    return o;
  }

  std::unique_ptr<ResultStorage> open_storage() {
    auto s = ResultStorage::open(options());
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Runs one SQL statement on the test schema, failing the test on error.
  catalog::QueryResult sql(const std::string& statement,
                           const std::vector<catalog::Param>& params = {}) {
    auto r = admin_->exec(statement, params);
    EXPECT_TRUE(r.ok()) << statement << ": " << r.status().to_string();
    return r.ok() ? std::move(*r) : catalog::QueryResult{};
  }
  std::string scalar(const std::string& statement, const std::vector<catalog::Param>& params = {}) {
    auto r = sql(statement, params);
    return r.rows.empty() ? "<no row>" : r.rows[0][0].value_or("NULL");
  }
  int64_t row_count() { return std::stoll(scalar("SELECT count(*) FROM backtest_results")); }

  // Sets created_at by SQL: the trigger only refreshes updated_at.
  void set_created_at(const std::string& task_id, const std::string& expr) {
    sql("UPDATE backtest_results SET created_at = " + expr + " WHERE task_id = $1::uuid",
        {task_id});
  }

  // Puts the storage root on tmpfs when there is one: for tests that save many
  // results and are about the catalog, not about fsync.
  void use_memory_root() {
    if (fs::is_directory("/dev/shm")) root_ = std::make_unique<TempDir>("bt", "/dev/shm");
  }

  fs::path backtests() const { return root_->path() / "backtests"; }
  fs::path result_dir(const std::string& task_id) const { return backtests() / task_id; }

  // Names under backtests/, with .staging/ and .trash/ entries as ".staging/x".
  std::set<std::string> store_entries() const {
    std::set<std::string> out;
    std::error_code ec;
    if (!fs::exists(backtests(), ec)) return out;
    for (const auto& e : fs::directory_iterator(backtests())) {
      std::string name = e.path().filename().string();
      if (name == ".staging" || name == ".trash") {
        for (const auto& inner : fs::directory_iterator(e.path())) {
          out.insert(name + "/" + inner.path().filename().string());
        }
      } else {
        out.insert(name);
      }
    }
    return out;
  }

  // The CLI against the test database and this test's root.
  RunResult cli(std::vector<std::string> args, RunOptions run = {}) {
    std::vector<std::string> argv = {BTSTORE_CLI, "--database-url", test_conninfo(), "--home",
                                     root_->str()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, run);
  }

  // Writes `text` to a file of this test's scratch directory and returns its path.
  std::string write_file(const std::string& name, const std::string& text) {
    fs::path p = scratch_.path() / name;
    FILE* f = std::fopen(p.c_str(), "wb");
    EXPECT_NE(f, nullptr) << p;
    if (f != nullptr) {
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
    }
    return p.string();
  }

  // Problems verify finds in the whole store (nothing repaired).
  std::vector<Problem> problems(ResultStorage& storage) {
    VerifyOptions v;
    v.grace = std::chrono::seconds(0);
    auto p = storage.verify(v);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? *p : std::vector<Problem>{{"", "verify_failed", p.status().to_string()}};
  }

  static std::string describe(const std::vector<Problem>& problems) {
    std::string out;
    for (const auto& p : problems) {
      out += p.kind + " " + p.task_id + ": " + p.detail + (p.repaired ? " [repaired]" : "") + "\n";
    }
    return out;
  }

  std::unique_ptr<TempDir> root_ = std::make_unique<TempDir>();
  TempDir scratch_{"bts"};
  std::unique_ptr<catalog::Connection> admin_;
};

}  // namespace btstore::testing
