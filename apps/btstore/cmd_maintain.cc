// delete, cleanup, verify: the commands that remove results and check the store.
#include <fmt/core.h>

#include <memory>

#include "commands.h"
#include "json/json_writer.h"
#include "output.h"
#include "progress.h"
#include "storage_options.h"

namespace btstore::cli {
namespace {

struct DeleteArgs {
  std::vector<std::string> task_ids;
};

int run_delete(const DeleteArgs& args, const StorageFlags& flags) {
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  for (const auto& id : args.task_ids) {
    Status st = storage->delete_result(id);
    if (st.ok()) {
      fmt::print("deleted {}\n", id);
    } else {
      int code = report_error(st);
      if (rc == kExitOk) rc = code;
    }
  }
  return rc;
}

struct CleanupArgs {
  std::string older_than;
  bool dry_run = false;
  bool json = false;
};

int run_cleanup(const CleanupArgs& args, const StorageFlags& flags) {
  auto seconds = parse_duration_seconds(args.older_than);
  if (!seconds.ok()) return report_error(seconds.status()), kExitUsage;
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  CleanupOptions options;
  options.older_than = std::chrono::seconds(*seconds);
  options.dry_run = args.dry_run;
  ProgressBar bar("results");
  options.progress = bar.callback();
  auto removed = storage->cleanup(options);
  if (!removed.ok()) return report_error(removed.status());
  if (args.json) {
    json::JsonWriter w;
    w.begin_object();
    w.key("dry_run");
    w.boolean(args.dry_run);
    w.key(args.dry_run ? "would_delete" : "deleted");
    w.begin_array();
    for (const auto& r : *removed) {
      w.begin_object();
      w.key("task_id");
      w.string(r.task_id);
      w.key("parquet_path");
      w.string(r.parquet_path);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    fmt::print("{}\n", w.str());
    return kExitOk;
  }
  for (const auto& r : *removed) fmt::print("{}  {}\n", r.task_id, r.parquet_path);
  fmt::print(stderr, "{} {} results older than {}\n", args.dry_run ? "would delete" : "deleted",
             removed->size(), args.older_than);
  return kExitOk;
}

struct VerifyArgs {
  std::vector<std::string> task_ids;
  bool repair = false;
  std::string grace = "1h";
  int jobs = 0;  // 0: one per core
  bool json = false;
};

int run_verify(const VerifyArgs& args, const StorageFlags& flags) {
  auto grace = parse_duration_seconds(args.grace);
  if (!grace.ok()) return report_error(grace.status()), kExitUsage;
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  VerifyOptions options;
  options.task_ids = args.task_ids;
  options.repair = args.repair;
  options.grace = std::chrono::seconds(*grace);
  options.jobs = args.jobs;
  ProgressBar bar("results");
  options.progress = bar.callback();  // none without a terminal: the count of rows is skipped
  auto problems = storage->verify(options);
  if (!problems.ok()) return report_error(problems.status());
  size_t open = 0;
  json::JsonWriter w;
  w.begin_array();
  for (const auto& p : *problems) {
    open += p.repaired ? 0 : 1;
    if (!args.json) {
      fmt::print("{:<18} {:<36} {}\n", p.kind, p.task_id.empty() ? "-" : p.task_id, p.detail);
      continue;
    }
    w.begin_object();
    w.key("kind");
    w.string(p.kind);
    w.key("task_id");
    p.task_id.empty() ? w.null() : w.string(p.task_id);
    w.key("detail");
    w.string(p.detail);
    w.key("repaired");
    w.boolean(p.repaired);
    w.end_object();
  }
  w.end_array();
  if (args.json) {
    fmt::print("{{\"problems\":{},\"unresolved\":{}}}\n", w.str(), open);
  } else {
    fmt::print(stderr, "{} problems, {} unresolved\n", problems->size(), open);
  }
  return open == 0 ? kExitOk : kExitIntegrity;
}

}  // namespace

void add_maintenance_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags) {
  auto del = std::make_shared<DeleteArgs>();
  CLI::App* cmd = app.add_subcommand(
      "delete", "Delete results: the catalog row first, then backtests/{task_id}/.");
  cmd->add_option("ID", del->task_ids, "task ids")->required()->check(task_id_check());
  cmd->callback([&dispatch, &flags, del] {
    dispatch.run = [&flags, del] { return run_delete(*del, flags); };
  });

  auto cleanup = std::make_shared<CleanupArgs>();
  cmd = app.add_subcommand("cleanup",
                           "Delete every result created longer ago than --older-than (by the "
                           "database's clock).");
  cmd->add_option("--older-than", cleanup->older_than, "age: 7d, 12h, 30m, 2w")->required();
  cmd->add_flag("--dry-run", cleanup->dry_run, "only list what would be deleted");
  cmd->add_flag("--json", cleanup->json, "print the (would-be) deleted results as JSON");
  cmd->callback([&dispatch, &flags, cleanup] {
    dispatch.run = [&flags, cleanup] { return run_cleanup(*cleanup, flags); };
  });

  auto verify = std::make_shared<VerifyArgs>();
  cmd = app.add_subcommand(
      "verify",
      "Check results (files, schemas, row counts, MD5 etags, timestamp order) and, without IDs, "
      "the whole store (directories without rows, leftovers of interrupted saves and deletes). "
      "Exit code 4 when a problem remains.");
  cmd->add_option("ID", verify->task_ids, "task ids (default: everything)")->check(task_id_check());
  cmd->add_flag("--repair", verify->repair,
                "remove orphan directories and leftovers older than --grace, and rows whose "
                "files are gone");
  cmd->add_option("--grace", verify->grace, "leave younger directories alone (default 1h)");
  cmd->add_option("--jobs", verify->jobs,
                  "results whose files are checked at a time (default: the number of cores)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--json", verify->json, "print {problems: [...], unresolved} as JSON");
  cmd->callback([&dispatch, &flags, verify] {
    dispatch.run = [&flags, verify] { return run_verify(*verify, flags); };
  });
}

}  // namespace btstore::cli
