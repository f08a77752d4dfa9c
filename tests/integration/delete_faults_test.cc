// Failures injected at each step of delete and cleanup, on the real file system
// and the real database: no row ever points at missing files, what is left is
// swept by `verify --repair --grace 0s`, and deleting again finishes the job.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "faults_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

class DeleteFaults : public FaultsFixture {
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
    auto faulty = open_faulty({}, kApp);
    terminate(kApp);
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
