// Running the PostgreSQL tools (initdb, pg_ctl) as child processes, as another user when
// btstore runs as root (PostgreSQL refuses to run as root).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "btstore/status.h"

namespace btstore::catalog {

// The unprivileged account the server runs as when btstore is root.
struct RunAs {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// nullopt when btstore is not root (the server runs as the caller); otherwise the `postgres`
// system user if it exists, else `nobody`.
Result<std::optional<RunAs>> server_account();

struct ProcessResult {
  int exit_code = 0;   // 128 + signal number when killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs argv[0] (an absolute path) with argv, stdin from /dev/null, in `cwd`, with LC_ALL=C and
// no inherited descriptors beyond 0-2; as `run_as` when given. Waits for it to exit.
Result<ProcessResult> run_process(const std::vector<std::string>& argv,
                                  const std::optional<RunAs>& run_as,
                                  const std::filesystem::path& cwd);

// OK when `run_as` can search every directory above `dir` and search `dir` (and, with
// `need_write`, read and write it); otherwise an error naming the first directory it cannot use.
Status check_reachable(const RunAs& run_as, const std::filesystem::path& dir, bool need_write);

// Holds an exclusive flock on `path` (created if missing) until destroyed. The descriptor is
// close-on-exec, so servers started meanwhile do not inherit the lock.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::filesystem::path& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace btstore::catalog
