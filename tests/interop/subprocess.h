// Runs a child process (node scripts, the btstore CLI) for the interop tests:
// captures stdout and stderr, reports how it ended, and kills it after a time
// limit so a hanging reader fails the test instead of stalling ctest.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace btstore::interop {

struct ProcessResult {
  bool started = false;    // false: fork/exec failed (see err)
  bool timed_out = false;  // killed after the time limit
  int exit_code = -1;      // valid when the child exited
  int signal = 0;          // non-zero when a signal ended the child
  double seconds = 0;
  std::string out, err;

  bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
  std::string describe() const {
    if (!started) return "could not start: " + err;
    if (timed_out) return "timed out after " + std::to_string(seconds) + " s";
    if (signal != 0)
      return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "exit code " + std::to_string(exit_code);
  }
};

namespace internal {

inline void drain(int fd, std::string& sink, bool& open) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    sink.append(buf, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    open = false;
  }
}

}  // namespace internal

// Runs argv[0] (looked up in PATH) with argv; stdin is /dev/null.
inline ProcessResult run_process(const std::vector<std::string>& argv, double timeout_seconds) {
  ProcessResult result;
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    result.err = "pipe() failed";
    return result;
  }
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    result.err = "fork() failed";
    return result;
  }
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  bool out_open = true, err_open = true;
  auto deadline = start + std::chrono::duration<double>(timeout_seconds);
  while (out_open || err_open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                     {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) internal::drain(out_pipe[0], result.out, out_open);
    if (fds[1].revents != 0) internal::drain(err_pipe[0], result.err, err_open);
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.started = true;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
    if (result.exit_code == 127 && result.out.empty() && result.err.empty()) {
      result.started = false;
      result.err = "could not execute " + argv[0] + " (not in PATH?)";
    }
  } else if (WIFSIGNALED(status) && !result.timed_out) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace btstore::interop
