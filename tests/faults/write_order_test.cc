// Write ordering of saves, read from strace of the real process: every file is fsynced before
// the rename that publishes its directory, the staged directory is fsynced before that rename,
// and backtests/ (which the rename changed) is fsynced before COMMIT goes to PostgreSQL.
#include <gtest/gtest.h>

#include "common/uuid.h"
#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

// The path between "<" and ">" of the first descriptor argument ("write(5</a/b>, ...").
std::string fd_path(const std::string& line) {
  size_t open = line.find('<'), close = line.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return line.substr(open + 1, close - open - 1);
}

// Every problem with the order of one traced save of `id`.
std::vector<std::string> order_problems(const std::vector<SyscallEvent>& events,
                                        const std::string& backtests, const std::string& id) {
  std::vector<std::string> out;
  std::set<std::string> written, synced;  // staged files and directories
  std::string staged_dir;
  bool renamed = false, backtests_synced = false, committed = false;
  for (const auto& e : events) {
    const std::string& l = e.line;
    if ((e.name == "write" || e.name == "pwrite64") && l.find("/.staging/") != std::string::npos) {
      written.insert(fd_path(l));
    } else if (e.name == "fsync" || e.name == "fdatasync") {
      const std::string p = fd_path(l);
      if (p.find("/.staging/") != std::string::npos) synced.insert(p);
      if (p == backtests && renamed) backtests_synced = true;
    } else if (e.name == "mkdir" && l.find("/.staging/" + id) != std::string::npos) {
      size_t q = l.find('"');
      staged_dir = l.substr(q + 1, l.find('"', q + 1) - q - 1);
    } else if (e.name == "renameat2" && l.find("/.staging/" + id) != std::string::npos &&
               !committed) {
      if (l.find("= -1") != std::string::npos) continue;  // RENAME_EXCHANGE with nothing there
      renamed = true;
      if (written.empty()) out.push_back("no staged file was written before the rename");
      for (const auto& f : written) {
        if (synced.count(f) == 0) out.push_back(f + " not fsynced before the rename");
      }
      if (staged_dir.empty() || synced.count(staged_dir) == 0) {
        out.push_back("the staged directory " + staged_dir + " not fsynced before the rename");
      }
    } else if (e.name == "sendto" && l.find("COMMIT") != std::string::npos && !staged_dir.empty() &&
               !committed) {
      // The save's COMMIT: the first after staging (opening the store may commit before).
      committed = true;
      if (!renamed) out.push_back("COMMIT before the directory was renamed into place");
      if (!backtests_synced) out.push_back(backtests + " not fsynced before COMMIT");
    }
  }
  if (!committed) out.push_back("no COMMIT seen");
  return out;
}

class WriteOrderTest : public FaultFixture {};

TEST_F(WriteOrderTest, FilesAndDirectoriesAreSyncedBeforeRenameAndCommit) {
  const int saves = scaled(20, 200);
  const std::vector<std::string> syscalls = {"openat",    "write",     "pwrite64",
                                             "fsync",     "fdatasync", "mkdir",
                                             "renameat2", "rename",    "sendto"};
  const std::string backtests_path = backtests().string();
  int checked = 0, bad = 0;
  for (int i = 0; i < saves; ++i) {
    const std::string id = generate_uuid_v4();
    // New saves and replaces, of each size.
    const Size size = i % 10 == 9 ? Size::kLarge : i % 3 == 2 ? Size::kSmall : Size::kTiny;
    const bool replace = i % 2 == 1;
    if (replace) save_ok(document(Size::kTiny, id));
    std::vector<std::string> args = {"save", write_file("r.json", document(size, id, 1))};
    if (replace) args.push_back("--replace");
    Trace t = record_trace(cli_argv(args), syscalls, scratch_.path() / "order.log", 200);
    ASSERT_EQ(t.run.exit_code, 0) << t.run.describe();
    std::vector<std::string> problems = order_problems(t.events, backtests_path, id);
    ++checked;
    if (!problems.empty()) {
      ++bad;
      std::string all;
      for (const auto& p : problems) all += "  " + p + "\n";
      ADD_FAILURE() << "save " << i << " (" << size_name(size) << (replace ? ", replace" : "")
                    << "):\n"
                    << all;
    }
  }
  std::printf("[ figures ] %d traced saves, %d with an ordering problem\n", checked, bad);
}

}  // namespace
}  // namespace btstore::faults
