// btstore: the command-line face of the library. Parses arguments, calls the
// library and maps its Status codes to the exit codes of docs/cli.md.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "btstore_version.h"
#include "commands.h"
#include "storage_options.h"

int main(int argc, char** argv) {
  CLI::App app{
      "btstore " BTSTORE_VERSION
      " - storage for trading-strategy backtest results (PostgreSQL catalog + Parquet files)",
      "btstore"};
  app.set_version_flag("--version", "btstore " BTSTORE_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 not found, 4 integrity problem.\n"
      "Run 'btstore COMMAND --help' for the options of a command.");

  btstore::cli::Dispatch dispatch;
  btstore::cli::StorageFlags flags;
  btstore::cli::add_storage_flags(app, flags);
  app.fallthrough();  // the storage options may also follow the subcommand
  btstore::cli::add_convert_commands(app, dispatch);
  btstore::cli::add_inspect_commands(app, dispatch);
  btstore::cli::add_save_commands(app, dispatch, flags);
  btstore::cli::add_query_commands(app, dispatch, flags);
  btstore::cli::add_maintenance_commands(app, dispatch, flags);
  btstore::cli::add_db_commands(app, dispatch);
  btstore::cli::add_migrate_commands(app, dispatch, flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? btstore::cli::kExitOk : btstore::cli::kExitUsage;
  }
  if (!dispatch.run) return btstore::cli::kExitUsage;
  try {
    return dispatch.run();
  } catch (const std::exception& e) {
    // fmt::print throws when stdout or stderr cannot be written (EIO, ENOSPC):
    // the command failed, which is no reason to abort with a core dump.
    std::fprintf(stderr, "btstore: %s\n", e.what());
    return btstore::cli::kExitFailed;
  }
}
