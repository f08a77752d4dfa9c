// Failures injected at each step of save, on the real file system and the real
// database: the store must stay consistent. A save either happened entirely
// (row + files that verify finds clean) or not at all (the previous state, plus
// at most leftovers that `verify --repair --grace 0s` sweeps), no row ever
// points at missing files, and a retry succeeds.
//
// File system faults come from FaultyFileStore, which wraps the local store and
// fails (or crashes the process) at the Nth call of one of its operations.
// Database faults are real: triggers that raise on backtest_results, and
// pg_terminate_backend of the storage's own connection.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "faults_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

class StorageFaultsTest : public FaultsFixture {
 protected:
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

  // One save with `faults` (and a trigger, when given) over each kind of `before`.
  void run_save_case(const std::string& name, const std::vector<Fault>& faults,
                     const std::string& trigger, bool expect_failure,
                     const std::vector<Before>& befores = {kAllBefore.begin(), kAllBefore.end()}) {
    for (Before before : befores) {
      SCOPED_TRACE(name + ", " + name_of(before));
      const std::string id = prepare(before);
      if (!trigger.empty()) install_trigger(trigger);
      auto faulty = open_faulty(faults, kApp);
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
  // (after the row was written, before the files are published). Nothing can
  // have committed, so the save undoes its attempt and succeeds once more on a
  // new connection.
  for (Op op : {Op::kStage, Op::kPublish}) {
    Fault kill{op, 1, Mode::kHook, [this] { terminate(kApp); }};
    run_save_case(std::string("connection killed before ") + kOpNames[size_t(op)], {kill}, "",
                  false);
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

}  // namespace
}  // namespace btstore::testing
