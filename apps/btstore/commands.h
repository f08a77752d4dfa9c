// Each file apps/btstore/cmd_*.cc registers one group of subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace btstore::cli {

// Exit codes (docs/cli.md): 0 ok, 1 operation failed, 2 usage error,
// 3 not found, 4 integrity problem.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,
  kExitUsage = 2,
  kExitNotFound = 3,
  kExitIntegrity = 4,
};

// The subcommand chosen on the command line sets `run`; main() calls it.
struct Dispatch {
  std::function<int()> run;
};

void add_convert_commands(CLI::App& app, Dispatch& dispatch);

}  // namespace btstore::cli
