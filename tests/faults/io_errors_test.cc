// I/O errors at every file-system call of a save and of a delete that touches the store:
// EIO, ENOSPC and EACCES, once (only that call fails) and persistent (it and every later call of
// the same name fail), injected by strace into the real btstore process. The command must fail
// with a message naming the error, leave no temporary files behind (a persistent error of the
// calls that remove them excepted: then `verify --repair` sweeps them), keep the store
// consistent, and the next save must succeed.
#include <gtest/gtest.h>

#include <cstring>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

struct ErrorCase {
  const char* name;  // as strace spells it
  int code;
};
constexpr ErrorCase kErrors[] = {{"EIO", EIO}, {"ENOSPC", ENOSPC}, {"EACCES", EACCES}};

// The calls that can fail a save or delete (opening, writing, syncing, renaming, creating and
// removing); reads, stats and closes are not injected.
const std::vector<std::string>& error_syscalls() {
  static const std::vector<std::string> names = {
      "openat",    "write", "pwrite64", "fsync",  "fdatasync", "rename", "renameat",
      "renameat2", "mkdir", "mkdirat",  "unlink", "unlinkat",  "rmdir"};
  return names;
}

bool removes(const std::string& syscall) {
  return syscall == "unlink" || syscall == "unlinkat" || syscall == "rmdir" ||
         syscall == "openat";  // remove_all opens the directories it empties
}

class IoErrorsTest : public FaultFixture {
 protected:
  // The calls of the recorded run that touch the storage root.
  std::vector<SyscallEvent> store_calls(const std::vector<std::string>& args) {
    Trace t = record_trace(cli_argv(args), error_syscalls(), scratch_.path() / "trace.log");
    EXPECT_EQ(t.run.exit_code, 0) << t.run.describe();
    std::vector<SyscallEvent> out;
    for (const auto& e : t.events) {
      if (e.line.find(root_->str()) != std::string::npos) out.push_back(e);
    }
    return out;
  }
};

TEST_F(IoErrorsTest, SaveFailsCleanlyAtEveryCallWithEveryError) {
  const std::string id = fixed_id(1);
  const std::string json = document(Size::kTiny, id);
  const std::string digest = content_digest(json);
  const std::vector<std::string> args = {"save", write_file("r.json", json)};
  reset_store();
  std::vector<SyscallEvent> calls = store_calls(args);
  ASSERT_GE(calls.size(), 10u);
  int cases = 0, leftovers = 0, failures = 0, succeeded = 0;
  for (const SyscallEvent& e : calls) {
    for (const ErrorCase& err : kErrors) {
      for (bool persistent : {false, true}) {
        if (failures >= 5) break;
        SCOPED_TRACE(std::string(err.name) + (persistent ? " from" : " at") + " call " +
                     std::to_string(e.ordinal) + " of " + e.name + ": " + e.line);
        reset_store();
        RunResult r = run_injected(cli_argv(args), e.name, e.ordinal,
                                   std::string("error=") + err.name, persistent);
        ++cases;
        bool bad = false;
        auto expect = [&](bool cond, const std::string& what) {
          if (!cond) ADD_FAILURE() << what;
          bad |= !cond;
        };
        const std::string message = std::strerror(err.code);
        // A call whose failure btstore works around (the RENAME_EXCHANGE tried first, which
        // finds no result to swap with) may let the save succeed: then it is there in full.
        if (r.exit_code == 0) {
          ++succeeded;
          StoreCheck whole = check({{id, Expected::saved(digest)}});
          expect(whole.ok(), whole.describe());
          failures += bad;
          continue;
        }
        expect(r.exit_code == 1, "exit code: " + r.describe());
        // Every later write failing includes those to stderr: no message can get out then.
        const bool mute = persistent && e.name == "write";
        expect(mute || r.err.find(message) != std::string::npos,
               "the error does not say \"" + message + "\": " + r.err);
        if (staging_entries() != 0) {
          ++leftovers;
          expect(persistent && removes(e.name),
                 std::to_string(staging_entries()) + " staged entries left behind");
        }
        StoreCheck c = check({});  // a failed save: nothing of it may remain
        expect(c.ok(), c.describe());
        auto next = store().save_result(json);
        expect(next.ok(), "the next save: " + next.status().to_string());
        StoreCheck saved = check({{id, Expected::saved(digest)}});
        expect(saved.ok(), saved.describe());
        failures += bad;
      }
    }
  }
  std::printf(
      "[ figures ] save: %zu store calls x 3 errors x 2 = %d cases, %d saved in spite of the "
      "error, %d left staged files (persistent removal errors), %d failed\n",
      calls.size(), cases, succeeded, leftovers, failures);
}

TEST_F(IoErrorsTest, DeleteFailsCleanlyAtEveryCallWithEveryError) {
  const std::string id = fixed_id(1);
  const std::string json = document(Size::kTiny, id);
  const std::vector<std::string> args = {"delete", id};
  reset_store();
  save_ok(json);
  std::vector<SyscallEvent> calls = store_calls(args);
  ASSERT_GE(calls.size(), 3u);
  int cases = 0, failures = 0;
  for (const SyscallEvent& e : calls) {
    for (const ErrorCase& err : kErrors) {
      for (bool persistent : {false, true}) {
        if (failures >= 5) break;
        SCOPED_TRACE(std::string(err.name) + (persistent ? " from" : " at") + " call " +
                     std::to_string(e.ordinal) + " of " + e.name + ": " + e.line);
        reset_store();
        save_ok(json);
        RunResult r = run_injected(cli_argv(args), e.name, e.ordinal,
                                   std::string("error=") + err.name, persistent);
        ++cases;
        bool bad = false;
        auto expect = [&](bool cond, const std::string& what) {
          if (!cond) ADD_FAILURE() << what;
          bad |= !cond;
        };
        const std::string message = std::strerror(err.code);
        expect(r.exit_code == 1, "exit code: " + r.describe());
        const bool mute = persistent && e.name == "write";  // stderr fails too
        expect(mute || r.err.find(message) != std::string::npos,
               "the error does not say \"" + message + "\": " + r.err);
        // The row goes first: the result may be gone or still there, never half.
        StoreCheck c = check({{id, Expected::maybe({content_digest(json)})}});
        expect(c.ok(), c.describe());
        Status again = store().delete_result(id);
        expect(again.ok() || again.code() == StatusCode::kNotFound, again.to_string());
        StoreCheck gone = check({});
        expect(gone.ok(), gone.describe());
        failures += bad;
      }
    }
  }
  std::printf("[ figures ] delete: %zu store calls x 3 errors x 2 = %d cases, %d failed\n",
              calls.size(), cases, failures);
}

}  // namespace
}  // namespace btstore::faults
