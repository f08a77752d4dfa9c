// Fault injection for the storage tests: FaultyFileStore wraps the real local
// file store and fails (or crashes the process) at the Nth call of one of its
// operations; FaultsFixture adds real database faults (a trigger that raises,
// pg_terminate_backend of the storage's connection) and consistency checks.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <thread>

#include "filestore/file_store.h"
#include "storage/pg_result_storage.h"
#include "storage_fixture.h"
#include "support/forwarding_file_store.h"

namespace btstore::testing {

enum class Op { kStage, kPublish, kUnpublish, kDiscard, kRemove };
constexpr std::array<const char*, 5> kOpNames = {"stage", "publish", "unpublish", "discard",
                                                 "remove"};

enum class Mode {
  kFailBefore,   // return an error instead of doing it
  kFailAfter,    // do it, then return an error (e.g. the fsync after a rename failed)
  kCrashBefore,  // _exit() the process instead (only in a forked child)
  kCrashAfter,   // do it, then _exit()
  kHook,         // run the hook (e.g. kill the database connection), then do it
};

struct Fault {
  Op op;
  int nth = 1;  // which call of `op` (1 = the first)
  Mode mode = Mode::kFailBefore;
  std::function<void()> hook = {};
};

constexpr int kCrashedExitCode = 42;

class FaultyFileStore final : public ForwardingFileStore {
 public:
  FaultyFileStore(std::unique_ptr<FileStore> real, std::vector<Fault> faults)
      : ForwardingFileStore(std::move(real)), faults_(std::move(faults)) {}

  Result<filestore::Staged> stage(std::string_view task_id,
                                  const std::vector<filestore::FileContent>& files) override {
    return at(Op::kStage, [&] { return ForwardingFileStore::stage(task_id, files); });
  }
  Status publish(filestore::Staged& staged, bool replace, filestore::Staged* replaced) override {
    return at(Op::kPublish,
              [&] { return ForwardingFileStore::publish(staged, replace, replaced); });
  }
  Status unpublish(const filestore::Staged& staged, const filestore::Staged* replaced) override {
    return at(Op::kUnpublish, [&] { return ForwardingFileStore::unpublish(staged, replaced); });
  }
  Status discard(const filestore::Staged& staged) override {
    return at(Op::kDiscard, [&] { return ForwardingFileStore::discard(staged); });
  }
  Status remove(std::string_view task_id) override {
    return at(Op::kRemove, [&] { return ForwardingFileStore::remove(task_id); });
  }

 private:
  template <typename Call>
  auto at(Op op, Call call) -> decltype(call()) {
    const int n = ++calls_[static_cast<size_t>(op)];
    const Fault* fault = nullptr;
    for (const auto& f : faults_) {
      if (f.op == op && f.nth == n) fault = &f;
    }
    if (fault == nullptr) return call();
    const std::string what =
        std::string(kOpNames[static_cast<size_t>(op)]) + " call " + std::to_string(n);
    switch (fault->mode) {
      case Mode::kHook: fault->hook(); return call();
      case Mode::kCrashBefore: ::_exit(kCrashedExitCode);
      case Mode::kFailBefore: return Status::IOError("injected fault instead of " + what);
      default: break;
    }
    auto result = call();
    if (fault->mode == Mode::kCrashAfter) ::_exit(kCrashedExitCode);
    if (!result.ok()) return result;
    return Status::IOError("injected fault after " + what);
  }

  std::vector<Fault> faults_;
  std::array<int, kOpNames.size()> calls_{};
};

// What the task was before the faulty save: nothing, a saved result (the save
// replaces it), or a registered running task (the save completes it).
enum class Before { kNothing, kSaved, kRunning };
constexpr std::array<Before, 3> kAllBefore = {Before::kNothing, Before::kSaved, Before::kRunning};
inline const char* name_of(Before b) {
  return b == Before::kNothing ? "new" : b == Before::kSaved ? "replace" : "over running";
}

// The faulty storage's connection name; per process, as ctest runs test
// processes side by side on one server.
inline const std::string kApp = "btstore_fault_" + std::to_string(::getpid());

constexpr int kOldRows = 1;  // signals of the result being replaced
constexpr int kNewRows = 4;  // signals of the result being saved

class FaultsFixture : public StorageFixture {
 protected:
  void TearDown() override { remove_trigger(); }

  // The storage with faults, on a connection named `app` (for pg_terminate_backend).
  std::unique_ptr<ResultStorage> open_faulty(std::vector<Fault> faults,
                                             const std::string& app = "") {
    StorageOptions o = options();
    if (!app.empty()) o.database_url = with_application_name(o.database_url, app);
    auto files = std::make_unique<FaultyFileStore>(filestore::open_local_file_store(o.root),
                                                   std::move(faults));
    auto s = storage::open_with_file_store(o, std::move(files));
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
  }

  static std::string with_application_name(const std::string& url, const std::string& app) {
    if (url.rfind("postgres", 0) == 0 && url.find("://") != std::string::npos) {
      return url + (url.find('?') == std::string::npos ? "?" : "&") + "application_name=" + app;
    }
    return url + " application_name=" + app;
  }

  // Ends the server process of every connection named `app` and waits until it is gone.
  void terminate(const std::string& app) {
    sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        {app});
    for (int i = 0; i < 500; ++i) {
      if (scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", {app}) ==
          "0") {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "connection " << app << " did not end";
  }

  // A trigger that raises on backtest_results: "BEFORE INSERT", "BEFORE UPDATE",
  // "BEFORE DELETE", or "COMMIT" (a deferred constraint trigger: COMMIT fails).
  void install_trigger(const std::string& when) {
    remove_trigger();
    std::string sql_text =
        "CREATE FUNCTION btstore_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'injected fault: % on backtest_results', TG_OP; END $$; ";
    if (when == "COMMIT") {
      sql_text +=
          "CREATE CONSTRAINT TRIGGER btstore_test_fault AFTER INSERT OR UPDATE ON "
          "backtest_results DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
          "btstore_test_fault()";
    } else {
      sql_text += "CREATE TRIGGER btstore_test_fault " + when +
                  " ON backtest_results FOR EACH ROW EXECUTE FUNCTION btstore_test_fault()";
    }
    Status st = admin_->exec_script(sql_text);
    ASSERT_TRUE(st.ok()) << st.to_string();
  }
  void remove_trigger() {
    if (!admin_) return;
    (void)admin_->exec_script(
        "DROP TRIGGER IF EXISTS btstore_test_fault ON backtest_results; "
        "DROP FUNCTION IF EXISTS btstore_test_fault()");
  }

  // Sets up `before` for a new task id and returns it.
  std::string prepare(Before before) {
    const std::string id = generate_uuid_v4();
    auto clean = open_storage();
    if (before == Before::kSaved) {
      auto saved = clean->save_result(result_json(ResultSpec().id(id).rows(kOldRows, 1)));
      EXPECT_TRUE(saved.ok()) << saved.status().to_string();
    } else if (before == Before::kRunning) {
      RunningTask t;
      t.task_id = id;
      t.strategy = "volume_zone_breakout";
      t.start_date = "2024-01-01";
      t.end_date = "2024-01-31";
      EXPECT_TRUE(clean->register_running(t).ok());
    }
    return id;
  }

  static std::string new_document(const std::string& id) {
    return result_json(ResultSpec().id(id).rows(kNewRows, 3));
  }

  // Before any repair: only what `verify --repair` sweeps may be wrong.
  void expect_only_sweepable_problems(ResultStorage& clean) {
    auto found = problems(clean);
    for (const auto& p : found) {
      EXPECT_TRUE(p.kind == "orphan_dir" || p.kind == "leftover_staging" ||
                  p.kind == "leftover_trash")
          << describe(found);
    }
  }

  // After `verify --repair --grace 0s` nothing is left to report.
  void repair_and_expect_clean(ResultStorage& clean) {
    VerifyOptions repair;
    repair.repair = true;
    repair.grace = std::chrono::seconds(0);
    auto repaired = clean.verify(repair);
    ASSERT_TRUE(repaired.ok()) << repaired.status().to_string();
    for (const auto& p : *repaired) EXPECT_TRUE(p.repaired) << describe(*repaired);
    EXPECT_EQ(describe(problems(clean)), "");
  }

  // The entries under backtests/ that belong to `id` (cases share the root).
  std::set<std::string> entries_of(const std::string& id) const {
    std::set<std::string> out;
    for (const auto& e : store_entries()) {
      if (e.find(id) != std::string::npos) out.insert(e);
    }
    return out;
  }
};

}  // namespace btstore::testing
