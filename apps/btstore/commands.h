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

struct StorageFlags;

void add_convert_commands(CLI::App& app, Dispatch& dispatch);
// save, register, fail (cmd_save.cc).
void add_save_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags);
// get, list, show (cmd_query.cc).
void add_query_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags);
// delete, cleanup, verify (cmd_maintain.cc).
void add_maintenance_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags);
// parquet-schema, parquet-cat (cmd_inspect.cc).
void add_inspect_commands(CLI::App& app, Dispatch& dispatch);
// migrate, migrate status, archive, archive verify (cmd_migrate.cc).
void add_migrate_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags);
// db migrate|start|stop|status|url (cmd_db.cc).
void add_db_commands(CLI::App& app, Dispatch& dispatch);

}  // namespace btstore::cli
