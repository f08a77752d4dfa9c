// I/O errors at every file-system call of a save and of a delete that touches the store:
// EIO, ENOSPC and EACCES, once (only that call fails) and persistent (it and every later call of
// the same name fail), injected by strace into the real btstore process. The command must fail
// with a message naming the error, leave no temporary files behind (a persistent error of the
// calls that remove them excepted: then `verify --repair` sweeps them), keep the store
// consistent, and the next save must succeed.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <regex>

#include "btstore/convert.h"
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

// One injected run: the call it failed, how, and what the command did.
struct InjectedCase {
  const SyscallEvent& call;
  const ErrorCase& error;
  bool persistent;
  RunResult run;
};

// Collects the failed expectations of one case.
class CaseExpect {
 public:
  void operator()(bool cond, const std::string& what) {
    if (!cond) ADD_FAILURE() << what;
    bad_ |= !cond;
  }
  bool bad() const { return bad_; }

 private:
  bool bad_ = false;
};

struct CaseCount {
  int cases = 0;
  int failures = 0;
};

class IoErrorsTest : public FaultFixture {
 protected:
  // The calls of the recorded run that touch `under` (the storage root by default).
  std::vector<SyscallEvent> calls_under(const std::vector<std::string>& args,
                                        const std::string& under) {
    Trace t = record_trace(cli_argv(args), error_syscalls(), scratch_.path() / "trace.log");
    EXPECT_EQ(t.run.exit_code, 0) << t.run.describe();
    std::vector<SyscallEvent> out;
    for (const auto& e : t.events) {
      if (e.line.find(under) != std::string::npos) out.push_back(e);
    }
    return out;
  }
  std::vector<SyscallEvent> store_calls(const std::vector<std::string>& args) {
    return calls_under(args, root_->str());
  }

  // Runs `args` with every error of kErrors injected at each of `calls`, once and persistently:
  // `prepare` sets the scene before each run, `judge` checks what the run left. Stops after five
  // failed cases.
  CaseCount for_each_case(const std::vector<SyscallEvent>& calls,
                          const std::vector<std::string>& args,
                          const std::function<void()>& prepare,
                          const std::function<void(const InjectedCase&, CaseExpect&)>& judge) {
    CaseCount count;
    for (const SyscallEvent& e : calls) {
      for (const ErrorCase& err : kErrors) {
        for (bool persistent : {false, true}) {
          if (count.failures >= 5) return count;
          SCOPED_TRACE(std::string(err.name) + (persistent ? " from" : " at") + " call " +
                       std::to_string(e.ordinal) + " of " + e.name + ": " + e.line);
          prepare();
          InjectedCase c{e, err, persistent,
                         run_injected(cli_argv(args), e.name, e.ordinal,
                                      std::string("error=") + err.name, persistent)};
          ++count.cases;
          CaseExpect expect;
          judge(c, expect);
          count.failures += expect.bad();
        }
      }
    }
    return count;
  }

  // A failed command: exit code 1 and a message naming the error (unless every later write,
  // those to stderr included, fails).
  static void expect_failure_message(const InjectedCase& c, CaseExpect& expect) {
    const std::string message = std::strerror(c.error.code);
    expect(c.run.exit_code == 1, "exit code: " + c.run.describe());
    const bool mute = c.persistent && c.call.name == "write";
    expect(mute || c.run.err.find(message) != std::string::npos,
           "the error does not say \"" + message + "\": " + c.run.err);
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
  int leftovers = 0, succeeded = 0;
  CaseCount n = for_each_case(
      calls, args, [&] { reset_store(); },
      [&](const InjectedCase& c, CaseExpect& expect) {
        // A call whose failure btstore works around (the RENAME_EXCHANGE tried first, which
        // finds no result to swap with) may let the save succeed: then it is there in full.
        if (c.run.exit_code == 0) {
          ++succeeded;
          StoreCheck whole = check({{id, Expected::saved(digest)}});
          expect(whole.ok(), whole.describe());
          return;
        }
        expect_failure_message(c, expect);
        if (staging_entries() != 0) {
          ++leftovers;
          expect(c.persistent && removes(c.call.name),
                 std::to_string(staging_entries()) + " staged entries left behind");
        }
        StoreCheck gone = check({});  // a failed save: nothing of it may remain
        expect(gone.ok(), gone.describe());
        auto next = store().save_result(json);
        expect(next.ok(), "the next save: " + next.status().to_string());
        StoreCheck saved = check({{id, Expected::saved(digest)}});
        expect(saved.ok(), saved.describe());
      });
  std::printf(
      "[ figures ] save: %zu store calls x 3 errors x 2 = %d cases, %d saved in spite of the "
      "error, %d left staged files (persistent removal errors), %d failed\n",
      calls.size(), n.cases, succeeded, leftovers, n.failures);
}

TEST_F(IoErrorsTest, DeleteFailsCleanlyAtEveryCallWithEveryError) {
  const std::string id = fixed_id(1);
  const std::string json = document(Size::kTiny, id);
  const std::vector<std::string> args = {"delete", id};
  reset_store();
  save_ok(json);
  std::vector<SyscallEvent> calls = store_calls(args);
  ASSERT_GE(calls.size(), 3u);
  CaseCount n = for_each_case(
      calls, args,
      [&] {
        reset_store();
        save_ok(json);
      },
      [&](const InjectedCase& c, CaseExpect& expect) {
        expect_failure_message(c, expect);
        // The row goes first: the result may be gone or still there, never half.
        StoreCheck maybe = check({{id, Expected::maybe({content_digest(json)})}});
        expect(maybe.ok(), maybe.describe());
        Status again = store().delete_result(id);
        expect(again.ok() || again.code() == StatusCode::kNotFound, again.to_string());
        StoreCheck gone = check({});
        expect(gone.ok(), gone.describe());
      });
  std::printf("[ figures ] delete: %zu store calls x 3 errors x 2 = %d cases, %d failed\n",
              calls.size(), n.cases, n.failures);
}

// The files of a directory by name; metadata.json without the time of its writing.
std::map<std::string, std::string> dir_files(const fs::path& dir) {
  static const std::regex written_at(R"("created_at": *"[^"]*")");
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) {
    out[it->path().filename().string()] = read_all(it->path());
  }
  if (out.count("metadata.json")) {
    out["metadata.json"] = std::regex_replace(out["metadata.json"], written_at, "");
  }
  return out;
}

TEST_F(IoErrorsTest, JsonToParquetReplacesADirectoryWholeOrNotAtAll) {
  // No catalog here: a result directory of the user's, replaced by json-to-parquet.
  const fs::path work = scratch_.path() / "files";
  const fs::path out = work / "out";
  const std::string old_json = document(Size::kTiny, fixed_id(1));
  const std::string new_json = document(Size::kTiny, fixed_id(1), 1);
  ASSERT_TRUE(json_to_parquet(new_json, scratch_.path() / "new").ok());
  const auto new_files = dir_files(scratch_.path() / "new");
  auto put_old = [&] {
    fs::remove_all(work);
    ASSERT_TRUE(json_to_parquet(old_json, out).ok());
  };
  put_old();
  const auto old_files = dir_files(out);
  ASSERT_EQ(old_files.size(), 4u);
  ASSERT_NE(old_files, new_files);
  const std::vector<std::string> args = {"json-to-parquet", write_file("new.json", new_json),
                                         out.string()};
  std::vector<SyscallEvent> calls = calls_under(args, work.string());
  ASSERT_GE(calls.size(), 10u);
  int succeeded = 0, leftovers = 0;
  CaseCount n = for_each_case(calls, args, put_old, [&](const InjectedCase& c, CaseExpect& expect) {
    const auto now = dir_files(out);
    const size_t beside = std::distance(fs::directory_iterator(work), {});
    if (beside != 1) ++leftovers;
    if (c.run.exit_code == 0) {
      ++succeeded;
      expect(now == new_files, "succeeded, but the directory is not the new result");
      // Only the old copy's removal may fail, and only persistently.
      expect(beside == 1 || (c.persistent && removes(c.call.name)),
             "the old copy was left beside the directory");
      return;
    }
    expect_failure_message(c, expect);
    expect(now == old_files, "failed, but the directory is not the old result");
    expect(beside == 1 || (c.persistent && removes(c.call.name)),
           "a staged copy was left beside the directory");
  });
  std::printf(
      "[ figures ] json-to-parquet over a result: %zu calls x 3 errors x 2 = %d cases, %d "
      "succeeded in spite of the error, %d left a hidden copy (persistent removal errors), %d "
      "failed\n",
      calls.size(), n.cases, succeeded, leftovers, n.failures);
}

}  // namespace
}  // namespace btstore::faults
