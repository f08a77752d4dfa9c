// Row 6 of the fault suite: PostgreSQL crashes (`pg_ctl stop -m immediate`, then a restart)
// while two writers save, each with its own ResultStorage. The server is a cluster of this test
// alone (durable: fsync on), so the crashes touch no other test. A writer retries a failed save
// until it succeeds; every save that reported success must be there and verify, nothing else,
// and no failure report may be a lie (a retry finding the result already saved).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "catalog/embedded_cluster.h"
#include "catalog/process.h"
#include "db_faults_env.h"
#include "faults/store_check.h"
#include "integration/storage_fixture.h"

namespace btstore::testing {
namespace {

namespace fs = std::filesystem;

// A durable cluster in a directory of its own (tmpfs when there is one: fsync stays real for
// PostgreSQL's protocol, only cheaper), stopped and removed at the end.
class CrashCluster {
 public:
  Status start() {
    fs::path base = fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    home_ = base / ("btfdb-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(home_, ec);
    fs::create_directories(home_);
    ::chmod(home_.c_str(), 0755);  // the server's account (root runs it as postgres) enters it
    catalog::ClusterOptions o;
    o.home = home_;
    o.durable = true;
    BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster c, catalog::EmbeddedCluster::open(o));
    cluster_ = std::make_unique<catalog::EmbeddedCluster>(std::move(c));
    return cluster_->start();
  }
  ~CrashCluster() {
    if (cluster_) (void)cluster_->stop();
    std::error_code ec;
    if (!home_.empty()) fs::remove_all(home_, ec);
  }

  // The server processes die at once, as in a crash: no checkpoint, no goodbye to clients.
  Status crash() {
    BTSTORE_ASSIGN_OR_RETURN(std::optional<catalog::RunAs> run_as, catalog::server_account());
    BTSTORE_ASSIGN_OR_RETURN(fs::path bin, catalog::find_postgres_bin_dir());
    BTSTORE_ASSIGN_OR_RETURN(
        catalog::ProcessResult out,
        catalog::run_process({(bin / "pg_ctl").string(), "stop", "-D",
                              cluster_->data_dir().string(), "-m", "immediate", "-w", "-s"},
                             run_as, cluster_->pg_dir()));
    if (out.exit_code != 0) return Status::DatabaseError("pg_ctl stop -m immediate: " + out.output);
    return Status::OK();
  }
  Status restart() { return cluster_->start(); }  // crash recovery, then accepting again
  std::string conninfo() const { return cluster_->conninfo(); }

 private:
  fs::path home_;
  std::unique_ptr<catalog::EmbeddedCluster> cluster_;
};

struct WriterLog {
  std::map<std::string, faults::Expected> expected;
  int saved = 0, errors = 0, unknown = 0, lies = 0, gave_up = 0, unclear = 0;
  std::vector<std::string> error_samples;
};

TEST(ServerCrashTest, ImmediateShutdownsWhileTwoWritersSaveLoseNothing) {
  BTSTORE_REQUIRE_PG();  // for this process's schema name (PGOPTIONS)
  const int restarts = fault_count(30);
  CrashCluster cluster;
  Status started = cluster.start();
  ASSERT_TRUE(started.ok()) << started.to_string();
  {
    auto admin = catalog::Connection::open(cluster.conninfo());
    ASSERT_TRUE(admin.ok()) << admin.status().to_string();
    ASSERT_TRUE(admin->exec_script("CREATE SCHEMA " + pg_test_server().schema).ok());
  }
  TempDir root("btcrash", fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp");
  StorageOptions options;
  options.database_url = cluster.conninfo();
  options.home = root.str();
  options.root = root.str();
  options.connect_timeout_seconds = 5;
  options.statement_timeout_ms = 10'000;
  options.network_timeout_ms = 5'000;
  {
    auto first = ResultStorage::open(options);  // creates the table
    ASSERT_TRUE(first.ok()) << first.status().to_string();
  }

  std::atomic<bool> stop{false};
  WriterLog logs[2];
  auto writer = [&](WriterLog& log, unsigned seed) {
    std::mt19937 rng(seed);
    std::unique_ptr<ResultStorage> storage;
    while (!stop) {
      const std::string id = generate_uuid_v4();
      const std::string doc = result_json(ResultSpec().id(id).rows(1 + int(rng() % 20), 3));
      const std::string digest = faults::content_digest(doc);
      bool maybe_saved = false;
      for (int attempt = 0;; ++attempt) {
        if (!storage) {  // opening needs the server too
          auto opened = ResultStorage::open(options);
          if (opened.ok()) storage = std::move(*opened);
        }
        Result<std::string> saved = storage ? storage->save_result(doc)
                                            : Result<std::string>(Status::DatabaseError("closed"));
        if (saved.ok()) {
          ++log.saved;
          log.expected[id] = faults::Expected::saved(digest);
          break;
        }
        const Status& st = saved.status();
        if (st.code() == StatusCode::kAlreadyExists && !maybe_saved) {
          ++log.lies;  // an earlier attempt reported "not saved", yet it was
          log.error_samples.push_back("LIE: " + st.to_string());
          log.expected[id] = faults::Expected::saved(digest);
          break;
        }
        if (st.code() == StatusCode::kAlreadyExists) {  // the unknown outcome was a commit
          log.expected[id] = faults::Expected::saved(digest);
          ++log.saved;
          break;
        }
        ++log.errors;
        if (st.message().find("may or may not be saved") != std::string::npos) {
          ++log.unknown;
          maybe_saved = true;
        } else if (storage && st.code() == StatusCode::kDatabaseError &&
                   st.message().find("not saved") == std::string::npos) {
          ++log.unclear;
          log.error_samples.push_back("UNCLEAR: " + st.to_string());
        }
        if (log.error_samples.size() < 3) log.error_samples.push_back(st.to_string());
        if (attempt >= 400 || (stop && attempt >= 100)) {
          ++log.gave_up;
          if (maybe_saved) log.expected[id] = faults::Expected::maybe({digest});
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  };
  std::thread w1(writer, std::ref(logs[0]), 1u);
  std::thread w2(writer, std::ref(logs[1]), 2u);
  std::mt19937 rng(std::random_device{}());
  int crashed = 0;
  for (int i = 0; i < restarts; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
    Status st = cluster.crash();
    if (!st.ok()) {
      ADD_FAILURE() << st.to_string();
      break;
    }
    ++crashed;
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 300));
    st = cluster.restart();
    if (!st.ok()) {
      ADD_FAILURE() << st.to_string();
      break;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // saves after the last restart
  stop = true;
  w1.join();
  w2.join();

  faults::StoreCheckOptions check;
  check.storage = options;
  int saved = 0, errors = 0, unknown = 0, lies = 0, gave_up = 0, unclear = 0;
  for (const WriterLog& log : logs) {
    check.expected.insert(log.expected.begin(), log.expected.end());
    saved += log.saved;
    errors += log.errors;
    unknown += log.unknown;
    lies += log.lies;
    gave_up += log.gave_up;
    unclear += log.unclear;
    for (const auto& e : log.error_samples) std::cout << "[ sample   ] " << e << "\n";
  }
  faults::StoreCheck result = faults::check_store(check);
  std::string direct_rows = "?";
  if (auto c = catalog::Connection::open(cluster.conninfo()); c.ok()) {
    if (auto n = c->exec("SELECT count(*) FROM backtest_results"); n.ok()) {
      direct_rows = n->rows[0][0].value_or("?");
    }
    for (const auto& [id, e] : check.expected) {
      auto r = c->exec("SELECT status FROM backtest_results WHERE task_id = $1::uuid", {id});
      if (r.ok() && r->rows.empty() && !e.may_be_absent) std::cout << "[ missing  ] " << id << "\n";
    }
  }
  std::cout << "[ figures  ] rows by count(*): " << direct_rows << "\n";
  std::cout << "[ figures  ] " << crashed << " crashes and restarts; " << saved
            << " saves succeeded, " << errors << " attempts failed and were retried, " << unknown
            << " left unknown, " << lies << " false failures, " << gave_up << " given up; "
            << result.rows << " rows, " << result.repaired << " leftovers repaired\n";
  EXPECT_EQ(crashed, restarts);
  EXPECT_TRUE(result.ok()) << result.describe();
  EXPECT_EQ(lies, 0);
  EXPECT_EQ(gave_up, 0);
  EXPECT_EQ(unclear, 0);  // every failure said the result was not saved, or may be
  // Nothing duplicated, nothing extra.
  EXPECT_GE(result.rows, saved);
  EXPECT_LE(result.rows, saved + unknown);
  EXPECT_GT(errors, 0) << "no save met a crash: the test proved nothing";
}

}  // namespace
}  // namespace btstore::testing
