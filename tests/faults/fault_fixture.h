// The fixture of the file-system and process fault suite: a fresh storage root and an empty
// catalog table per test (the schema of this process, via PGOPTIONS, which the btstore
// processes inherit), the CLI's argv, results of three sizes, and the consistency check.
//
// BTSTORE_FAULTS_LONG=1 (scripts/faults --long) makes every suite go deeper.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "faults/store_check.h"
#include "faults/strace_run.h"
#include "integration/storage_fixture.h"

namespace btstore::faults {

namespace fs = std::filesystem;
using testing::ResultSpec;
using testing::RunOptions;
using testing::RunResult;

inline bool long_run() {
  const char* v = std::getenv("BTSTORE_FAULTS_LONG");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

// The CI default, or the --long figure.
inline int scaled(int ci, int deep) { return long_run() ? deep : ci; }

enum class Size { kTiny, kSmall, kLarge };
inline const char* size_name(Size s) {
  return s == Size::kTiny ? "tiny" : s == Size::kSmall ? "small" : "large";
}

// tiny: 2 signals (a few KB of files); small: ~1 MB of JSON; large: 12,000 signals, so
// symbol_signals has two row groups. `version` changes the content (for replaces).
inline std::string document(Size size, const std::string& id, int version = 0) {
  ResultSpec spec;
  spec.id(id);
  if (size == Size::kTiny) spec.rows(2 + version, 2);
  if (size == Size::kSmall) spec.with({"BTC/USDT", "ETH/USDT"}).rows(1800 + version, 400);
  if (size == Size::kLarge) spec.with({"BTC/USDT", "ETH/USDT"}).rows(6000 + version, 500);
  return testing::result_json(spec);
}

// A few fixed task ids, so that every run of a scenario has the same argv.
inline std::string fixed_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

class FaultFixture : public testing::StorageFixture {
 protected:
  void SetUp() override {
    StorageFixture::SetUp();
    if (HasFatalFailure()) return;
    if (!have_strace()) GTEST_SKIP() << "strace is not installed (apt-get install strace)";
  }

  // btstore ARGS against this test's database and root.
  std::vector<std::string> cli_argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {BTSTORE_CLI, "--database-url", testing::test_conninfo(),
                                     "--home", root_->str()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // An empty catalog table and no backtests/ directory.
  void reset_store() {
    ASSERT_TRUE(admin_->exec_script("TRUNCATE backtest_results").ok());
    std::error_code ec;
    fs::remove_all(backtests(), ec);
    ASSERT_FALSE(ec) << ec.message();
  }

  ResultStorage& store() {
    if (!storage_) storage_ = open_storage();
    return *storage_;
  }

  void save_ok(const std::string& json, bool replace = false) {
    auto saved = store().save_result(json, replace);
    ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  }

  StoreCheck check(const std::map<std::string, Expected>& expected, bool repair = true) {
    StoreCheckOptions o;
    o.storage = options();
    o.expected = expected;
    o.repair = repair;
    return check_store(o);
  }

  // Entries under backtests/.staging (temporary files of saves).
  int staging_entries() const {
    std::error_code ec;
    int n = 0;
    for (auto it = fs::directory_iterator(backtests() / ".staging", ec);
         !ec && it != fs::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  }

  std::unique_ptr<ResultStorage> storage_;
};

}  // namespace btstore::faults
