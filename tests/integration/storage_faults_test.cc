// Failures injected at each step of save, delete and cleanup, on the real file
// system and the real database: the store must stay consistent. A save either
// happened entirely (row + files that verify finds clean) or not at all (the
// previous state, plus at most leftovers that `verify --repair --grace 0s`
// sweeps), no row ever points at missing files, and a retry succeeds.
//
// File system faults come from FaultyFileStore, which wraps the local store and
// fails (or crashes the process) at the Nth call of one of its operations.
// Database faults are real: triggers that raise on backtest_results, and
// pg_terminate_backend of the storage's own connection.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <functional>
#include <thread>

#include "filestore/file_store.h"
#include "storage/pg_result_storage.h"
#include "storage_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

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

class FaultyFileStore final : public filestore::FileStore {
 public:
  FaultyFileStore(std::unique_ptr<FileStore> real, std::vector<Fault> faults)
      : real_(std::move(real)), faults_(std::move(faults)) {}

  Result<filestore::Staged> stage(std::string_view task_id,
                                  const std::vector<filestore::FileContent>& files) override {
    return at(Op::kStage, [&] { return real_->stage(task_id, files); });
  }
  Status publish(filestore::Staged& staged, bool replace, filestore::Staged* replaced) override {
    return at(Op::kPublish, [&] { return real_->publish(staged, replace, replaced); });
  }
  Status unpublish(const filestore::Staged& staged, const filestore::Staged* replaced) override {
    return at(Op::kUnpublish, [&] { return real_->unpublish(staged, replaced); });
  }
  Status discard(const filestore::Staged& staged) override {
    return at(Op::kDiscard, [&] { return real_->discard(staged); });
  }
  Status remove(std::string_view task_id) override {
    return at(Op::kRemove, [&] { return real_->remove(task_id); });
  }
  Result<std::string> read(std::string_view task_id, std::string_view name,
                           uint64_t max_bytes) override {
    return real_->read(task_id, name, max_bytes);
  }
  Result<std::vector<std::pair<std::string, uint64_t>>> list_files(
      std::string_view task_id) override {
    return real_->list_files(task_id);
  }
  Result<std::vector<filestore::Entry>> entries() override { return real_->entries(); }
  Status remove_entry(const filestore::Entry& entry) override { return real_->remove_entry(entry); }

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

  std::unique_ptr<FileStore> real_;
  std::vector<Fault> faults_;
  std::array<int, kOpNames.size()> calls_{};
};

// What the task was before the faulty save: nothing, a saved result (the save
// replaces it), or a registered running task (the save completes it).
enum class Before { kNothing, kSaved, kRunning };
constexpr std::array<Before, 3> kAllBefore = {Before::kNothing, Before::kSaved, Before::kRunning};
const char* name_of(Before b) {
  return b == Before::kNothing ? "new" : b == Before::kSaved ? "replace" : "over running";
}

constexpr int kOldRows = 1;  // signals of the result being replaced
constexpr int kNewRows = 4;  // signals of the result being saved

class StorageFaultsTest : public StorageFixture {
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
      std::this_thread::sleep_for(10ms);
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
    repair.grace = 0s;
    auto repaired = clean.verify(repair);
    ASSERT_TRUE(repaired.ok()) << repaired.status().to_string();
    for (const auto& p : *repaired) EXPECT_TRUE(p.repaired) << describe(*repaired);
    EXPECT_EQ(describe(problems(clean)), "");
  }

  // The state after a save of `id` over `before` that returned `saved`.
  void expect_consistent_after_save(const std::string& id, Before before, bool saved) {
    auto clean = open_storage();
    ASSERT_TRUE(clean);
    expect_only_sweepable_problems(*clean);
    auto entry = clean->get_entry(id);
    const bool has_result = saved || before == Before::kSaved;
    if (has_result) {
      ASSERT_TRUE(entry.ok()) << entry.status().to_string();
      EXPECT_EQ(entry->status, "completed");
      EXPECT_EQ(entry->record_count, saved ? kNewRows : kOldRows);
      EXPECT_TRUE(clean->get_result(id).ok());
    } else if (before == Before::kRunning) {
      ASSERT_TRUE(entry.ok()) << entry.status().to_string();
      EXPECT_EQ(entry->status, "running");
      EXPECT_FALSE(entry->file_size);
    } else {
      EXPECT_EQ(entry.status().code(), StatusCode::kNotFound);
    }
    repair_and_expect_clean(*clean);
    EXPECT_EQ(entries_of(id), has_result ? std::set<std::string>{id} : std::set<std::string>{});

    // A retry succeeds (a new save needs no --replace: nothing was left behind).
    auto retry = clean->save_result(new_document(id), /*replace=*/has_result);
    ASSERT_TRUE(retry.ok()) << retry.status().to_string();
    EXPECT_EQ(clean->get_entry(id)->record_count, kNewRows);
    EXPECT_EQ(describe(problems(*clean)), "");
    EXPECT_EQ(entries_of(id), std::set<std::string>{id});
  }

  // The entries under backtests/ that belong to `id` (cases share the root).
  std::set<std::string> entries_of(const std::string& id) const {
    std::set<std::string> out;
    for (const auto& e : store_entries()) {
      if (e.find(id) != std::string::npos) out.insert(e);
    }
    return out;
  }

  // One save with `faults` (and a trigger, when given) over each kind of `before`.
  void run_save_case(const std::string& name, const std::vector<Fault>& faults,
                     const std::string& trigger, bool expect_failure,
                     const std::vector<Before>& befores = {kAllBefore.begin(), kAllBefore.end()}) {
    for (Before before : befores) {
      SCOPED_TRACE(name + ", " + name_of(before));
      const std::string id = prepare(before);
      if (!trigger.empty()) install_trigger(trigger);
      auto faulty = open_faulty(faults, "st_fault");
      ASSERT_TRUE(faulty);
      auto saved = faulty->save_result(new_document(id), before == Before::kSaved);
      faulty.reset();
      remove_trigger();
      if (expect_failure) {
        EXPECT_FALSE(saved.ok()) << "the fault did not fail the save";
      }
      expect_consistent_after_save(id, before, saved.ok());
    }
  }
};

TEST_F(StorageFaultsTest, SaveFailingAtEachFileStep) {
  run_save_case("stage fails", {{Op::kStage, 1, Mode::kFailBefore}}, "", true);
  // Staged files whose clean-up failed too: a leftover.
  run_save_case("stage fails after writing", {{Op::kStage, 1, Mode::kFailAfter}}, "", true);
  // (A failed publish has published nothing, by the FileStore contract; the
  // crash right after a publish is SaveCrashingBetweenSteps.)
  run_save_case("publish fails", {{Op::kPublish, 1, Mode::kFailBefore}}, "", true);
  // Discarding the replaced files happens after COMMIT: the save stands, the
  // old files become a leftover for repair.
  for (Mode mode : {Mode::kFailBefore, Mode::kFailAfter}) {
    run_save_case("discard fails", {{Op::kDiscard, 1, mode}}, "", false);
  }
}

TEST_F(StorageFaultsTest, SaveFailingInTheDatabase) {
  // The insert of a new row, the update of an existing one, and COMMIT itself
  // (after the files were published, which must then be undone).
  run_save_case("insert raises", {}, "BEFORE INSERT", false);
  run_save_case("update raises", {}, "BEFORE UPDATE", false);
  run_save_case("commit raises", {}, "COMMIT", true);
}

TEST_F(StorageFaultsTest, SaveFailingToUndoAfterAFailedCommit) {
  // Two faults: COMMIT fails, then so does undoing the publish or discarding.
  run_save_case("commit raises, unpublish fails after acting",
                {{Op::kUnpublish, 1, Mode::kFailAfter}}, "COMMIT", true);
  run_save_case("commit raises, discard fails", {{Op::kDiscard, 1, Mode::kFailBefore}}, "COMMIT",
                true);
  // A new result whose publish cannot be undone is a directory without a row.
  run_save_case("commit raises, unpublish fails", {{Op::kUnpublish, 1, Mode::kFailBefore}},
                "COMMIT", true, {Before::kNothing, Before::kRunning});
}

TEST_F(StorageFaultsTest, ReplaceWhoseUndoFailsIsReportedAndKeepsTheOldFiles) {
  // COMMIT fails and the swap cannot be undone: the row is the old one, the
  // files the new ones. verify must say so (not a clean bill), and the old
  // files must not be thrown away by the failed save.
  const std::string id = prepare(Before::kSaved);
  install_trigger("COMMIT");
  auto faulty = open_faulty({{Op::kUnpublish, 1, Mode::kFailBefore}});
  auto saved = faulty->save_result(new_document(id), true);
  remove_trigger();
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.status().message().find("btstore verify"), std::string::npos)
      << saved.status().to_string();
  auto clean = open_storage();
  auto found = problems(*clean);
  bool reported = false;
  for (const auto& p : found) reported |= p.task_id == id;
  EXPECT_TRUE(reported) << describe(found);
  size_t staged = 0;
  for (const auto& e : entries_of(id)) staged += e.rfind(".staging/" + id, 0) == 0;
  EXPECT_EQ(staged, 1u);  // the replaced result, kept
}

TEST_F(StorageFaultsTest, SaveWhoseConnectionIsKilled) {
  // Before anything reaches the database, and inside the open transaction
  // (after the row was written, before the files are published).
  for (Op op : {Op::kStage, Op::kPublish}) {
    Fault kill{op, 1, Mode::kHook, [this] { terminate("st_fault"); }};
    run_save_case(std::string("connection killed before ") + kOpNames[size_t(op)], {kill}, "",
                  true);
  }
}

// Runs `save` in a forked child whose file store exits the process at `fault`
// (a crash: no rollback code runs, the server sees the connection drop).
TEST_F(StorageFaultsTest, SaveCrashingBetweenSteps) {
  struct Case {
    Fault fault;
    std::vector<Before> befores;
  };
  const std::vector<Case> cases = {
      {{Op::kStage, 1, Mode::kCrashBefore}, {kAllBefore.begin(), kAllBefore.end()}},
      {{Op::kStage, 1, Mode::kCrashAfter}, {kAllBefore.begin(), kAllBefore.end()}},
      // After publish, before COMMIT. (A replace crashing here is covered by
      // ReplaceCrashingBeforeCommitIsReported.)
      {{Op::kPublish, 1, Mode::kCrashAfter}, {Before::kNothing, Before::kRunning}},
      // After COMMIT, before the replaced files are discarded.
      {{Op::kDiscard, 1, Mode::kCrashBefore}, {kAllBefore.begin(), kAllBefore.end()}},
  };
  for (const auto& c : cases) {
    for (Before before : c.befores) {
      const bool after_commit = c.fault.op == Op::kDiscard;
      SCOPED_TRACE(std::string(kOpNames[size_t(c.fault.op)]) +
                   (c.fault.mode == Mode::kCrashAfter ? " then crash, " : " crashes, ") +
                   name_of(before));
      const std::string id = prepare(before);
      const std::string doc = new_document(id);
      StorageOptions o = options();
      pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        auto files = std::make_unique<FaultyFileStore>(filestore::open_local_file_store(o.root),
                                                       std::vector<Fault>{c.fault});
        auto s = storage::open_with_file_store(o, std::move(files));
        if (!s.ok()) ::_exit(1);
        auto saved = (*s)->save_result(doc, before == Before::kSaved);
        ::_exit(saved.ok() ? 0 : 2);  // the fault was not reached
      }
      int status = 0;
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      ASSERT_TRUE(WIFEXITED(status));
      ASSERT_EQ(WEXITSTATUS(status), kCrashedExitCode);
      expect_consistent_after_save(id, before, after_commit);
    }
  }
}

TEST_F(StorageFaultsTest, ReplaceCrashingBeforeCommitIsReported) {
  // Known limit of the protocol: a crash between the swap of the directories
  // and COMMIT leaves the old row with the new files. verify reports it, so a
  // user can repeat the save; it must never pass as clean.
  const std::string id = prepare(Before::kSaved);
  const std::string doc = new_document(id);
  StorageOptions o = options();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto files =
        std::make_unique<FaultyFileStore>(filestore::open_local_file_store(o.root),
                                          std::vector<Fault>{{Op::kPublish, 1, Mode::kCrashAfter}});
    auto s = storage::open_with_file_store(o, std::move(files));
    if (s.ok()) (void)(*s)->save_result(doc, true);
    ::_exit(2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_EQ(WEXITSTATUS(status), kCrashedExitCode);
  auto clean = open_storage();
  auto found = problems(*clean);
  bool reported = false;
  for (const auto& p : found) reported |= p.task_id == id;
  EXPECT_TRUE(reported) << describe(found);
  // Saving again mends it.
  ASSERT_TRUE(clean->save_result(doc, true).ok());
  repair_and_expect_clean(*clean);
  EXPECT_EQ(clean->get_entry(id)->record_count, kNewRows);
}

class DeleteFaults : public StorageFaultsTest {
 protected:
  // After a delete of `id` that returned `st`: nothing points at missing
  // files, repair sweeps the rest, and deleting again finishes the job.
  void expect_consistent_after_delete(const std::string& id, const Status& st) {
    auto clean = open_storage();
    ASSERT_TRUE(clean);
    expect_only_sweepable_problems(*clean);
    auto entry = clean->get_entry(id);
    if (st.ok()) {
      EXPECT_EQ(entry.status().code(), StatusCode::kNotFound);
    }
    if (entry.ok()) {
      EXPECT_TRUE(clean->get_result(id).ok());  // a row keeps its files
    }
    repair_and_expect_clean(*clean);
    Status again = clean->delete_result(id);
    EXPECT_TRUE(again.ok() || again.code() == StatusCode::kNotFound) << again.to_string();
    EXPECT_EQ(clean->get_entry(id).status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(entries_of(id).empty()) << ::testing::PrintToString(store_entries());
    EXPECT_EQ(describe(problems(*clean)), "");
  }
};

TEST_F(DeleteFaults, RemovingTheFilesFails) {
  for (Mode mode : {Mode::kFailBefore, Mode::kFailAfter}) {
    SCOPED_TRACE(mode == Mode::kFailBefore ? "remove fails" : "remove fails after acting");
    const std::string id = prepare(Before::kSaved);
    auto faulty = open_faulty({{Op::kRemove, 1, mode}});
    Status st = faulty->delete_result(id);
    EXPECT_FALSE(st.ok());
    expect_consistent_after_delete(id, st);
  }
}

TEST_F(DeleteFaults, DatabaseRefusesOrLosesTheConnection) {
  {
    SCOPED_TRACE("delete raises");
    const std::string id = prepare(Before::kSaved);
    install_trigger("BEFORE DELETE");
    auto faulty = open_faulty({});
    Status st = faulty->delete_result(id);
    remove_trigger();
    EXPECT_EQ(st.code(), StatusCode::kDatabaseError) << st.to_string();
    EXPECT_TRUE(fs::exists(result_dir(id)));
    expect_consistent_after_delete(id, st);
  }
  {
    SCOPED_TRACE("connection killed");
    const std::string id = prepare(Before::kSaved);
    auto faulty = open_faulty({}, "st_fault");
    terminate("st_fault");
    Status st = faulty->delete_result(id);
    EXPECT_EQ(st.code(), StatusCode::kDatabaseError) << st.to_string();
    EXPECT_TRUE(fs::exists(result_dir(id)));
    expect_consistent_after_delete(id, st);
  }
}

TEST_F(DeleteFaults, CrashBetweenRowAndFiles) {
  const std::string id = prepare(Before::kSaved);
  StorageOptions o = options();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto files =
        std::make_unique<FaultyFileStore>(filestore::open_local_file_store(o.root),
                                          std::vector<Fault>{{Op::kRemove, 1, Mode::kCrashBefore}});
    auto s = storage::open_with_file_store(o, std::move(files));
    if (s.ok()) (void)(*s)->delete_result(id);
    ::_exit(2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_EQ(WEXITSTATUS(status), kCrashedExitCode);
  EXPECT_EQ(row_count(), 0);                // the row went first...
  EXPECT_TRUE(fs::exists(result_dir(id)));  // ...so only a directory is left
  expect_consistent_after_delete(id, Status::OK());
}

TEST_F(DeleteFaults, LeftoverTrashIsSweptWhateverItsAge) {
  const std::string id = prepare(Before::kSaved);
  auto clean = open_storage();
  ASSERT_TRUE(clean->delete_result(id).ok());
  // A delete interrupted after the rename into .trash.
  fs::path trash = backtests() / ".trash" / (id + "." + generate_uuid_v4());
  fs::create_directories(trash);
  std::ofstream(trash / "metadata.json") << "{}";
  VerifyOptions repair;
  repair.repair = true;  // default grace: trash is never a save in flight
  auto repaired = clean->verify(repair);
  ASSERT_TRUE(repaired.ok());
  ASSERT_EQ(repaired->size(), 1u) << describe(*repaired);
  EXPECT_EQ((*repaired)[0].kind, "leftover_trash");
  EXPECT_TRUE((*repaired)[0].repaired);
  EXPECT_FALSE(fs::exists(trash));
}

TEST_F(DeleteFaults, CleanupGoesOnPastAFailedDirectoryAndRepairFinishes) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(prepare(Before::kSaved));
    set_created_at(ids.back(), "now() - interval '30 days'");
  }
  std::string young = prepare(Before::kSaved);
  auto faulty = open_faulty({{Op::kRemove, 2, Mode::kFailBefore}});
  auto removed = faulty->cleanup(7 * 24h);
  ASSERT_FALSE(removed.ok());
  EXPECT_NE(removed.status().message().find("injected fault"), std::string::npos);
  EXPECT_EQ(row_count(), 1);  // every old row is gone, the young one stays
  size_t left = 0;
  for (const auto& id : ids) left += fs::exists(result_dir(id));
  EXPECT_EQ(left, 1u);  // the loop went on past the failed directory

  auto clean = open_storage();
  expect_only_sweepable_problems(*clean);
  repair_and_expect_clean(*clean);
  EXPECT_EQ(store_entries(), std::set<std::string>{young});
  EXPECT_EQ(clean->cleanup(7 * 24h)->size(), 0u);
}

TEST_F(DeleteFaults, CleanupRefusedByTheDatabaseChangesNothing) {
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    ids.push_back(prepare(Before::kSaved));
    set_created_at(ids.back(), "now() - interval '30 days'");
  }
  install_trigger("BEFORE DELETE");
  auto removed = open_storage()->cleanup(7 * 24h);
  remove_trigger();
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.status().code(), StatusCode::kDatabaseError);
  EXPECT_EQ(row_count(), 2);
  EXPECT_EQ(store_entries(), (std::set<std::string>{ids[0], ids[1]}));
  EXPECT_EQ(describe(problems(*open_storage())), "");
}

}  // namespace
}  // namespace btstore::testing
