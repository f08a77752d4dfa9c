// Runs a child process (the btstore CLI) for tests: feeds standard input,
// captures standard output and error, changes the environment, and kills the
// child after a time limit so a hang fails the test instead of stalling ctest.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace btstore::testing {

struct RunOptions {
  std::string stdin_data;  // written to the child's standard input, then closed
  // Variables to set (a value) or remove (nullopt) in the child's environment;
  // everything else is inherited.
  std::map<std::string, std::optional<std::string>> env;
  double timeout_seconds = 60;
  // The child's standard error is a pseudo-terminal (isatty() is true), read into `err` as a
  // pipe would be, with the terminal's "\r\n" for each "\n".
  bool stderr_terminal = false;
};

struct RunResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // when the child exited
  int signal = 0;      // when a signal ended it
  std::string out, err;

  // "exit 3; stderr: ..." for assertion messages.
  std::string describe() const;
};

// argv[0] is a path (no PATH lookup).
RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

}  // namespace btstore::testing
