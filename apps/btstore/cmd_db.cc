// btstore db migrate|start|stop|status|url: the catalog's schema and the embedded PostgreSQL.
#include <fmt/core.h>

#include <memory>

#include "btstore/database.h"
#include "commands.h"
#include "output.h"

namespace btstore::cli {
namespace {

struct DbArgs {
  CLI::App* root = nullptr;  // for --database-url / --home when main() put them there
  std::string database_url;  // our own, only when the top level has none
  std::string home;
  bool json = false;
};

// A value of the top level's shared option `name` (flag or environment), else `own`.
std::string shared_option(const DbArgs& args, const char* name, const std::string& own) {
  CLI::Option* opt = args.root->get_option_no_throw(name);
  if (opt == nullptr || opt->count() == 0 || opt->results().empty()) return own;
  return opt->results().front();
}

StorageOptions storage_options(const DbArgs& args) {
  StorageOptions options;
  options.database_url = shared_option(args, "--database-url", args.database_url);
  options.home = shared_option(args, "--home", args.home);
  return options;
}

std::string source_name(DatabaseSource source) {
  switch (source) {
    case DatabaseSource::kUrl: return "url";
    case DatabaseSource::kPgEnvironment: return "pg_environment";
    case DatabaseSource::kEmbedded: return "embedded";
  }
  return "unknown";
}

int run_migrate(const DbArgs& args) {
  Result<int> applied = migrate_database(storage_options(args));
  if (!applied.ok()) return report_error(applied.status());
  if (args.json) {
    fmt::print("{{\"applied\":{}}}\n", *applied);
  } else if (*applied == 0) {
    fmt::print("the catalog schema is up to date\n");
  } else {
    fmt::print("applied {} migration{}\n", *applied, *applied == 1 ? "" : "s");
  }
  return kExitOk;
}

int run_start(const DbArgs& args) {
  StorageOptions options = storage_options(args);
  if (Status st = start_embedded_database(options); !st.ok()) return report_error(st);
  Result<std::string> url = database_url(options);
  if (!url.ok()) return report_error(url.status());
  if (args.json) {
    fmt::print("{{\"running\":true,\"url\":{}}}\n", json_quote(*url));
  } else {
    fmt::print("embedded PostgreSQL is running; connect with: psql '{}'\n", *url);
  }
  return kExitOk;
}

int run_stop(const DbArgs& args) {
  if (Status st = stop_embedded_database(storage_options(args)); !st.ok()) return report_error(st);
  if (args.json) {
    fmt::print("{{\"running\":false}}\n");
  } else {
    fmt::print("embedded PostgreSQL is stopped\n");
  }
  return kExitOk;
}

void print_status_json(const DatabaseStatus& s) {
  std::string out = "{\"source\":" + json_quote(source_name(s.source)) +
                    ",\"target\":" + json_quote(s.target) + ",\"url\":" + json_quote(s.url) +
                    ",\"running\":" + (s.running ? "true" : "false") +
                    ",\"server_version\":" + json_quote(s.server_version) +
                    fmt::format(",\"schema_version\":{},\"pending_migrations\":{}",
                                s.schema_version, s.pending_migrations) +
                    ",\"error\":" + json_quote(s.error);
  if (s.source == DatabaseSource::kEmbedded) {
    out += std::string(",\"initialized\":") + (s.initialized ? "true" : "false") +
           fmt::format(",\"pid\":{},\"port\":{}", s.pid, s.port) +
           ",\"data_dir\":" + json_quote(s.data_dir.string()) +
           ",\"socket_dir\":" + json_quote(s.socket_dir.string()) +
           ",\"log_file\":" + json_quote(s.log_file.string()) +
           ",\"data_version\":" + json_quote(s.data_version) +
           ",\"run_as\":" + json_quote(s.run_as);
  }
  fmt::print("{}}}\n", out);
}

void print_status_text(const DatabaseStatus& s) {
  fmt::print("database:   {}\n", s.target);
  if (s.source == DatabaseSource::kEmbedded) {
    fmt::print("running:    {}\n",
               s.running ? fmt::format("yes (pid {}, runs as {})", s.pid, s.run_as)
                         : (s.initialized ? "no (btstore starts it on demand, or `btstore db "
                                            "start`)"
                                          : "no (not created yet; btstore creates it on first "
                                            "use)"));
    fmt::print("data dir:   {}{}\n", s.data_dir.string(),
               s.data_version.empty() ? "" : " (PostgreSQL " + s.data_version + ")");
    fmt::print("socket:     {}/.s.PGSQL.{}\n", s.socket_dir.string(), s.port);
    fmt::print("log:        {}\n", s.log_file.string());
  } else {
    fmt::print("running:    {}\n", s.running ? "yes" : "no");
  }
  if (s.running) {
    fmt::print("version:    PostgreSQL {}\n", s.server_version);
    if (s.pending_migrations >= 0) {
      fmt::print("schema:     version {}, {} migration{} pending{}\n", s.schema_version,
                 s.pending_migrations, s.pending_migrations == 1 ? "" : "s",
                 s.pending_migrations > 0 ? " (run `btstore db migrate`)" : "");
    }
  }
  if (!s.url.empty()) fmt::print("url:        {}\n", s.url);
  if (!s.error.empty()) fmt::print("error:      {}\n", s.error);
}

int run_status(const DbArgs& args) {
  Result<DatabaseStatus> status = database_status(storage_options(args));
  if (!status.ok()) return report_error(status.status());
  if (args.json) {
    print_status_json(*status);
  } else {
    print_status_text(*status);
  }
  return kExitOk;
}

int run_url(const DbArgs& args) {
  Result<std::string> url = database_url(storage_options(args));
  if (!url.ok()) return report_error(url.status());
  fmt::print("{}\n", *url);
  return kExitOk;
}

}  // namespace

void add_db_commands(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<DbArgs>();
  CLI::App* db = app.add_subcommand(
      "db",
      "Manage the catalog database: schema migrations and btstore's embedded PostgreSQL "
      "(used when no --database-url / BTSTORE_DATABASE_URL or PG* variable is set).");
  db->require_subcommand(1);
  args->root = &app;
  // main() normally puts --database-url and --home on the top level for every command (and
  // they may follow the subcommand); without them there, `db` brings its own.
  if (app.get_option_no_throw("--database-url") == nullptr) {
    db->add_option("--database-url", args->database_url,
                   "libpq URI or keyword string of your own PostgreSQL server")
        ->envname("BTSTORE_DATABASE_URL");
  }
  if (app.get_option_no_throw("--home") == nullptr) {
    db->add_option("--home", args->home,
                   "btstore's data directory; the embedded cluster lives in HOME/pg "
                   "(default ~/.local/share/btstore)")
        ->envname("BTSTORE_HOME");
  }
  db->add_flag("--json", args->json, "print one JSON document for scripts");

  struct Leaf {
    const char* name;
    const char* help;
    int (*run)(const DbArgs&);
  };
  const Leaf leaves[] = {
      {"migrate", "Apply the catalog schema migrations the database lacks (safe to repeat).",
       run_migrate},
      {"start", "Create (on first use) and start the embedded PostgreSQL; it keeps running.",
       run_start},
      {"stop", "Stop the embedded PostgreSQL.", run_stop},
      {"status",
       "Show which database btstore uses, whether it runs, its data directory, socket, version "
       "and schema state.",
       run_status},
      {"url", "Print the connection URL of the embedded PostgreSQL (passwords shown as ***).",
       run_url},
  };
  for (const Leaf& leaf : leaves) {
    CLI::App* cmd = db->add_subcommand(leaf.name, leaf.help);
    cmd->fallthrough();  // `btstore db status --json` as well as `btstore db --json status`
    auto run = leaf.run;
    cmd->callback([&dispatch, args, run] { dispatch.run = [args, run] { return run(*args); }; });
  }
}

}  // namespace btstore::cli
