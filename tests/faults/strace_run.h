// Real processes under strace: record which file-system (and PostgreSQL socket) system calls a
// btstore command makes, then run it again with a fault injected at one of them:
//   kill:  -e inject=NAME:signal=SIGKILL:when=K   (the process dies as it enters that call)
//   error: -e inject=NAME:error=EIO:when=K[+]     (that call, or it and every later one, fails)
// strace counts `when=` per system call name (and per thread), so the Nth call of the whole
// trace is addressed as the Kth call of its own name.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace btstore::faults {

inline constexpr char kStrace[] = "/usr/bin/strace";

inline bool have_strace() { return ::access(kStrace, X_OK) == 0; }

// The system calls that change files (and the socket writes that carry SQL, so that kills also
// land between BEGIN, the row's INSERT and COMMIT). A kill at the entry of call N leaves the
// state "after call N-1": calls that change nothing (read, stat, close) add no new state.
inline const std::vector<std::string>& kill_syscalls() {
  static const std::vector<std::string> names = {
      "openat",    "write",     "pwrite64", "writev",  "fsync",   "fdatasync", "rename",
      "renameat",  "renameat2", "mkdir",    "mkdirat", "unlink",  "unlinkat",  "rmdir",
      "ftruncate", "truncate",  "link",     "linkat",  "symlink", "sendto"};
  return names;
}

inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

struct SyscallEvent {
  int pid = 0;
  std::string name;
  int ordinal = 0;   // 1-based among calls of this name by this thread (strace's when=)
  std::string line;  // as strace printed it (-y: descriptors with their paths)
};

struct Trace {
  std::vector<SyscallEvent> events;
  testing::RunResult run;
};

// Parses `strace -f -y -o` output: one event per call start ("123 openat(..." or an
// "<unfinished ...>" start; "<... resumed>" lines continue an earlier one).
inline std::vector<SyscallEvent> parse_trace(const std::string& text) {
  static const std::regex start(R"(^(\d+)\s+([a-z0-9_]+)\()");
  std::vector<SyscallEvent> out;
  std::map<std::pair<int, std::string>, int> counts;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, start)) continue;
    SyscallEvent e;
    e.pid = std::stoi(m[1]);
    e.name = m[2];
    e.ordinal = ++counts[{e.pid, e.name}];
    e.line = line;
    out.push_back(std::move(e));
  }
  return out;
}

inline std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `argv` under strace tracing `syscalls` (decoded strings up to `string_bytes`).
inline Trace record_trace(const std::vector<std::string>& argv,
                          const std::vector<std::string>& syscalls,
                          const std::filesystem::path& log, int string_bytes = 64,
                          const testing::RunOptions& run = {}) {
  std::vector<std::string> cmd = {kStrace, "-f",
                                  "-y",    "-qq",
                                  "-s",    std::to_string(string_bytes),
                                  "-o",    log.string(),
                                  "-e",    "trace=" + joined(syscalls)};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  Trace t;
  t.run = testing::run_process(cmd, run);
  t.events = parse_trace(read_all(log));
  return t;
}

// Runs `argv` with `action` ("signal=SIGKILL", "error=EIO") injected at the `ordinal`th call of
// `name` (and every later one when `persistent`).
inline testing::RunResult run_injected(const std::vector<std::string>& argv,
                                       const std::string& name, int ordinal,
                                       const std::string& action, bool persistent = false,
                                       const testing::RunOptions& run = {}) {
  std::vector<std::string> cmd = {kStrace,
                                  "-f",
                                  "-qq",
                                  "-o",
                                  "/dev/null",
                                  "-e",
                                  "trace=" + name,
                                  "-e",
                                  "inject=" + name + ":" + action +
                                      ":when=" + std::to_string(ordinal) + (persistent ? "+" : "")};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  return testing::run_process(cmd, run);
}

// The index of the first event that touches `path` (a descriptor or a path argument under it):
// kills before it cannot change the store. events.size() when none does.
inline size_t first_touching(const std::vector<SyscallEvent>& events, const std::string& path) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].line.find(path) != std::string::npos) return i;
  }
  return events.size();
}

}  // namespace btstore::faults
