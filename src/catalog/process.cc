#include "catalog/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

extern char** environ;

namespace btstore::catalog {
namespace {

std::string errno_text() { return std::strerror(errno); }

std::optional<RunAs> lookup_account(const char* name) {
  struct passwd pw {};
  struct passwd* found = nullptr;
  char buf[4096];
  if (getpwnam_r(name, &pw, buf, sizeof buf, &found) != 0 || found == nullptr) return std::nullopt;
  return RunAs{name, pw.pw_uid, pw.pw_gid};
}

// The environment for the child, prepared before fork (setenv is not async-signal-safe).
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view var = *e;
    if (var.starts_with("LC_ALL=") || var.starts_with("LANG=")) continue;
    env.emplace_back(var);
  }
  env.emplace_back("LC_ALL=C");
  env.emplace_back("LANG=C");
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(int out_fd, const RunAs* run_as, const char* cwd, char** argv,
                             char** envp) {
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) _exit(125);
  close_range(3, ~0U, 0);
  if (run_as != nullptr) {
    gid_t gid = run_as->gid;
    if (setgroups(1, &gid) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0) {
      static const char msg[] = "btstore: cannot switch to the server's user account\n";
      (void)!write(2, msg, sizeof msg - 1);
      _exit(126);
    }
  }
  if (chdir(cwd) != 0) {
    static const char msg[] = "btstore: cannot enter the PostgreSQL directory\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(126);
  }
  execve(argv[0], argv, envp);
  static const char msg[] = "btstore: cannot execute the PostgreSQL program\n";
  (void)!write(2, msg, sizeof msg - 1);
  _exit(127);
}

Result<int> wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Status::Internal("waitpid failed: " + errno_text());
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

std::string read_all(int fd) {
  std::string out;
  if (lseek(fd, 0, SEEK_SET) < 0) return out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// Runs `check` in a child as `run_as`; its exit code is its answer.
template <typename Fn>
Result<int> run_as_child(const RunAs& run_as, Fn check) {
  pid_t pid = fork();
  if (pid < 0) return Status::Internal("fork failed: " + errno_text());
  if (pid == 0) {
    gid_t gid = run_as.gid;
    if (setgroups(1, &gid) != 0 || setgid(run_as.gid) != 0 || setuid(run_as.uid) != 0) _exit(255);
    _exit(check());
  }
  return wait_for(pid);
}

}  // namespace

Result<std::optional<RunAs>> server_account() {
  if (geteuid() != 0) return std::optional<RunAs>();
  for (const char* name : {"postgres", "nobody"}) {
    if (std::optional<RunAs> account = lookup_account(name)) return account;
  }
  return Status::NotSupported(
      "btstore runs as root, and PostgreSQL refuses to; neither a 'postgres' nor a 'nobody' "
      "account exists to run it as. Install Debian's postgresql package (it creates 'postgres') "
      "or run btstore as an ordinary user");
}

Result<ProcessResult> run_process(const std::vector<std::string>& argv,
                                  const std::optional<RunAs>& run_as,
                                  const std::filesystem::path& cwd) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment();
  std::vector<char*> arg_ptrs = pointers(args);
  std::vector<char*> env_ptrs = pointers(env);
  std::string dir = cwd.string();
  // An anonymous file rather than a pipe: a server the child leaves running can never hold it
  // open and keep us waiting for end-of-file.
  int out_fd = memfd_create("btstore-pg-output", MFD_CLOEXEC);
  if (out_fd < 0) return Status::IOError("memfd_create failed: " + errno_text());
  pid_t pid = fork();
  if (pid < 0) {
    close(out_fd);
    return Status::Internal("fork failed: " + errno_text());
  }
  if (pid == 0)
    exec_child(out_fd, run_as ? &*run_as : nullptr, dir.c_str(), arg_ptrs.data(), env_ptrs.data());
  Result<int> code = wait_for(pid);
  ProcessResult result;
  result.output = read_all(out_fd);
  close(out_fd);
  if (!code.ok()) return code.status();
  result.exit_code = *code;
  return result;
}

Status check_reachable(const RunAs& run_as, const std::filesystem::path& dir, bool need_write) {
  std::vector<std::string> chain;
  for (std::filesystem::path p = dir;; p = p.parent_path()) {
    chain.insert(chain.begin(), p.string());
    if (p == p.parent_path()) break;
  }
  int last_mode = need_write ? (R_OK | W_OK | X_OK) : X_OK;
  BTSTORE_ASSIGN_OR_RETURN(int failed, run_as_child(run_as, [&chain, last_mode]() -> int {
                             for (size_t i = 0; i < chain.size(); ++i) {
                               int mode = i + 1 == chain.size() ? last_mode : X_OK;
                               if (access(chain[i].c_str(), mode) != 0)
                                 return static_cast<int>(i) + 1;
                             }
                             return 0;
                           }));
  if (failed == 0) return Status::OK();
  std::string blocked = failed >= 1 && static_cast<size_t>(failed) <= chain.size()
                            ? chain[static_cast<size_t>(failed) - 1]
                            : dir.string();
  return Status::IOError(
      "btstore runs as root, so its PostgreSQL server runs as the unprivileged user '" +
      run_as.name + "', which cannot " +
      (blocked == dir.string() && need_write ? "use " : "enter ") + blocked +
      (blocked == dir.string() ? "" : " on the way to " + dir.string()) +
      ". Set BTSTORE_HOME (or --home) to a directory that user can reach, e.g. "
      "/var/lib/btstore, or set --database-url to a server of your own");
}

Result<FileLock> FileLock::acquire(const std::filesystem::path& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::IOError("cannot open lock file " + path.string() + ": " + errno_text());
  while (flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      std::string why = errno_text();
      close(fd);
      return Status::IOError("cannot lock " + path.string() + ": " + why);
    }
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);  // closing releases the flock
}

}  // namespace btstore::catalog
