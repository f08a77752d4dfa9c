// kill -9 at every file-system system call of save, replace, delete, cleanup and migrate: the
// btstore command runs under strace, which kills it as it enters the Nth call. After each kill
// the store must be consistent (faults/store_check.h) and the next save or delete of the same
// task must succeed.
//
// The calls are those of one recorded run; kills start at the first call that touches the
// storage root (earlier ones cannot change the store; --long kills at every call from the first).
#include <gtest/gtest.h>

#include <csignal>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

enum class Operation { kSave, kReplace, kDelete, kCleanup, kMigrate };

struct KillCase {
  Operation op;
  Size size;
};

std::string op_name(Operation op) {
  switch (op) {
    case Operation::kSave: return "save";
    case Operation::kReplace: return "replace";
    case Operation::kDelete: return "delete";
    case Operation::kCleanup: return "cleanup";
    case Operation::kMigrate: return "migrate";
  }
  return "?";
}

// One operation on a prepared store: what may be true after it is killed, how to finish it,
// and what must be true then.
struct Scenario {
  std::vector<std::string> args;
  std::map<std::string, Expected> after_kill;
  std::map<std::string, Expected> after_retry;
};

class KillPointsTest : public FaultFixture, public ::testing::WithParamInterface<KillCase> {
 protected:
  // Sets up the store for the operation (always the same task ids and files).
  Scenario prepare(Operation op, Size size) {
    reset_store();
    Scenario s;
    const std::string id = fixed_id(1);
    const std::string v0 = document(size, id, 0), v1 = document(size, id, 1);
    const std::string d0 = content_digest(v0), d1 = content_digest(v1);
    switch (op) {
      case Operation::kSave:
        s.args = {"save", write_file("new.json", v1)};
        s.after_kill[id] = Expected::maybe({d1});
        s.after_retry[id] = Expected::saved(d1);
        break;
      case Operation::kReplace:
        save_ok(v0);
        s.args = {"save", "--replace", write_file("new.json", v1)};
        s.after_kill[id] = Expected{{d0, d1}, false, false};
        s.after_retry[id] = Expected::saved(d1);
        break;
      case Operation::kDelete:
        save_ok(v0);
        s.args = {"delete", id};
        s.after_kill[id] = Expected::maybe({d0});
        break;
      case Operation::kCleanup: {
        const std::string old2 = fixed_id(2), fresh = fixed_id(3);
        save_ok(v0);
        save_ok(document(size, old2));
        save_ok(document(Size::kTiny, fresh));
        set_created_at(id, "now() - interval '30 days'");
        set_created_at(old2, "now() - interval '8 days'");
        s.args = {"cleanup", "--older-than", "7d"};
        s.after_kill[id] = Expected::maybe({d0});
        s.after_kill[old2] = Expected::maybe({content_digest(document(size, old2))});
        s.after_kill[fresh] = Expected::saved(content_digest(document(Size::kTiny, fresh)));
        s.after_retry[fresh] = s.after_kill[fresh];
        break;
      }
      case Operation::kMigrate: {
        const fs::path legacy = scratch_.path() / "legacy";
        fs::create_directories(legacy);
        const std::string id2 = fixed_id(2), v2 = document(size, id2);
        write_file("legacy/" + id + ".json", v0);
        write_file("legacy/" + id2 + ".json", v2);
        s.args = {"migrate", "--from", legacy.string(), "--jobs", "1"};
        s.after_kill[id] = Expected::maybe({d0});
        s.after_kill[id2] = Expected::maybe({content_digest(v2)});
        s.after_retry[id] = Expected::saved(d0);
        s.after_retry[id2] = Expected::saved(content_digest(v2));
        break;
      }
    }
    return s;
  }

  // Completes the operation after a kill, as a user would: save again (--replace when the
  // killed save got through), delete again, clean up again, migrate again.
  void retry(Operation op, Size size) {
    const std::string id = fixed_id(1);
    switch (op) {
      case Operation::kSave:
      case Operation::kReplace: {
        const bool exists = store().get_entry(id).ok();
        save_ok(document(size, id, 1), exists);
        break;
      }
      case Operation::kDelete: {
        Status st = store().delete_result(id);
        EXPECT_TRUE(st.ok() || st.code() == StatusCode::kNotFound) << st.to_string();
        break;
      }
      case Operation::kCleanup: {
        auto removed = store().cleanup(std::chrono::hours(24 * 7));
        EXPECT_TRUE(removed.ok()) << removed.status().to_string();
        break;
      }
      case Operation::kMigrate: {
        RunResult r = testing::run_process(cli_argv(prepare_args_));
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        break;
      }
    }
  }

  std::vector<std::string> prepare_args_;
};

TEST_P(KillPointsTest, EveryKillPointLeavesTheStoreConsistent) {
  const KillCase c = GetParam();
  Scenario s = prepare(c.op, c.size);
  prepare_args_ = s.args;
  const fs::path log = scratch_.path() / "trace.log";
  Trace trace = record_trace(cli_argv(s.args), kill_syscalls(), log);
  ASSERT_EQ(trace.run.exit_code, 0) << trace.run.describe();
  {
    StoreCheck done = check(s.after_retry);
    ASSERT_TRUE(done.ok()) << "after the unkilled run: " << done.describe();
  }
  const size_t first = long_run() ? 0 : first_touching(trace.events, root_->str());
  ASSERT_LT(first, trace.events.size()) << "the command never touched " << root_->str();

  int kills = 0, not_reached = 0, failures = 0;
  for (size_t k = first; k < trace.events.size() && failures < 5; ++k) {
    const SyscallEvent& e = trace.events[k];
    SCOPED_TRACE("kill at call " + std::to_string(k + 1) + ": " + e.line);
    prepare(c.op, c.size);
    if (HasFatalFailure()) return;
    RunResult r = run_injected(cli_argv(s.args), e.name, e.ordinal, "signal=SIGKILL");
    if (r.signal == SIGKILL) {
      ++kills;
    } else {
      ++not_reached;  // this run made fewer calls of that name
    }
    StoreCheck after_kill = check(s.after_kill);
    EXPECT_TRUE(after_kill.ok()) << after_kill.describe();
    retry(c.op, c.size);
    StoreCheck after_retry = check(s.after_retry);
    EXPECT_TRUE(after_retry.ok()) << after_retry.describe();
    if (!after_kill.ok() || !after_retry.ok()) ++failures;
  }
  std::printf(
      "[ figures ] %s %s: %zu calls traced, %zu kill points, %d killed, %d not reached, "
      "%d inconsistent\n",
      op_name(c.op).c_str(), size_name(c.size), trace.events.size(), trace.events.size() - first,
      kills, not_reached, failures);
  EXPECT_GT(kills, 0);
}

std::vector<KillCase> kill_cases() {
  std::vector<KillCase> out;
  for (Operation op : {Operation::kSave, Operation::kReplace, Operation::kDelete,
                       Operation::kCleanup, Operation::kMigrate}) {
    for (Size size : {Size::kTiny, Size::kSmall, Size::kLarge}) out.push_back({op, size});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(All, KillPointsTest, ::testing::ValuesIn(kill_cases()),
                         [](const ::testing::TestParamInfo<KillCase>& info) {
                           return op_name(info.param.op) + "_" + size_name(info.param.size);
                         });

}  // namespace
}  // namespace btstore::faults
