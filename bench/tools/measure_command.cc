// btstore-bench measure: runs a command and reports what the kernel measured
// for it (wait4's rusage: peak RSS, CPU times) with the wall time around it.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace btstore::bench {
namespace {

int usage_error(const char* message) {
  std::fprintf(
      stderr,
      "btstore-bench measure: %s\nusage: btstore-bench measure [-o FILE] -- COMMAND [ARG...]\n",
      message);
  return 2;
}

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

}  // namespace

int run_measure(const Args& args) {
  std::string out_path;
  size_t i = 0;
  for (; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "-o" && i + 1 < args.size())
      out_path = args[++i];
    else
      return usage_error("unknown option before --");
  }
  if (i + 1 >= args.size()) return usage_error("no command after --");
  std::vector<char*> argv;
  for (size_t j = i + 1; j < args.size(); ++j) argv.push_back(const_cast<char*>(args[j].c_str()));
  argv.push_back(nullptr);

  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::fprintf(stderr, "btstore-bench measure: fork: %s\n", std::strerror(errno));
    return 1;
  }
  if (pid == 0) {
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "btstore-bench measure: cannot run %s: %s\n", argv[0],
                 std::strerror(errno));
    ::_exit(127);
  }
  int wstatus = 0;
  rusage usage{};
  while (::wait4(pid, &wstatus, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "btstore-bench measure: wait4: %s\n", std::strerror(errno));
      return 1;
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);

  FILE* out = out_path.empty() ? stderr : std::fopen(out_path.c_str(), "w");
  if (out == nullptr) {
    std::fprintf(stderr, "btstore-bench measure: cannot write %s: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  // ru_maxrss is in KiB on Linux.
  std::fprintf(out,
               "{\"wall_seconds\": %.6f, \"user_seconds\": %.6f, \"system_seconds\": %.6f, "
               "\"max_rss_bytes\": %lld, \"exit_code\": %d}\n",
               wall, seconds(usage.ru_utime), seconds(usage.ru_stime),
               static_cast<long long>(usage.ru_maxrss) * 1024, code);
  if (out != stderr) std::fclose(out);
  return code;
}

}  // namespace btstore::bench
