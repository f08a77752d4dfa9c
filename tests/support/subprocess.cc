#include "support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace btstore::testing {
namespace {

// The child's environment as "K=V" strings, built before fork().
std::vector<std::string> child_environment(const RunOptions& options) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (options.env.count(key) == 0) out.push_back(std::move(entry));
  }
  for (const auto& [key, value] : options.env) {
    if (value) out.push_back(key + "=" + *value);
  }
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Moves bytes between the pipes and the strings until both outputs close.
void pump(int in_fd, int out_fd, int err_fd, const std::string& input, RunResult& result,
          std::chrono::steady_clock::time_point deadline, pid_t pid) {
  size_t written = 0;
  if (input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  char buf[65536];
  while (out_fd >= 0 || err_fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      int& fd = i == 0 ? out_fd : err_fd;
      if (fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fd);
        fd = -1;
      }
    }
    if (in_fd >= 0 && fds[2].revents != 0) {
      ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == input.size()) {
        ::close(in_fd);
        in_fd = -1;
      }
    }
  }
  for (int fd : {in_fd, out_fd, err_fd}) {
    if (fd >= 0) ::close(fd);
  }
}

// A pseudo-terminal as a pipe: ends[0] the side read here, ends[1] the terminal the child
// writes to. Once the child and every copy of ends[1] are gone, reads give EIO, which ends
// pump()'s reading as the end of a pipe does.
bool open_terminal(int ends[2]) {
  const int reader = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (reader < 0) return false;
  const char* name =
      ::grantpt(reader) == 0 && ::unlockpt(reader) == 0 ? ::ptsname(reader) : nullptr;
  const int terminal = name ? ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
  if (terminal < 0) {
    ::close(reader);
    return false;
  }
  ends[0] = reader;
  ends[1] = terminal;
  return true;
}

}  // namespace

std::string RunResult::describe() const {
  std::string head = !started    ? "not started"
                     : timed_out ? "timed out"
                     : signal    ? "killed by signal " + std::to_string(signal)
                                 : "exit " + std::to_string(exit_code);
  return head + "; stdout: " + out.substr(0, 2000) + "; stderr: " + err.substr(0, 2000);
}

RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult result;
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment(options);
  std::vector<char*> arg_ptrs = pointers(args), env_ptrs = pointers(env);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      !(options.stderr_terminal ? open_terminal(err_pipe) : ::pipe2(err_pipe, O_CLOEXEC) == 0)) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::execve(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (pid < 0) {
    for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]}) ::close(fd);
    result.err = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  // A child that exits before reading its input must not kill us with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(options.timeout_seconds));
  pump(in_pipe[1], out_pipe[0], err_pipe[0], options.stdin_data, result, deadline, pid);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.started = true;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status) && !result.timed_out) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace btstore::testing
