// save, register, fail: the commands that write results.
#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "commands.h"
#include "json/json_writer.h"
#include "json_limits.h"
#include "output.h"
#include "progress.h"
#include "storage_options.h"

namespace btstore::cli {
namespace {

struct SaveArgs {
  std::vector<std::string> files;
  bool replace = false;
  int jobs = 0;  // 0: one per core
  bool json = false;
};

int run_save(const SaveArgs& args, const StorageFlags& flags) {
  // Files are read side by side: standard input, which can be read only once anyway, once.
  if (std::count(args.files.begin(), args.files.end(), "-") > 1) {
    fmt::print(stderr,
               "btstore: save: '-' (standard input) is given more than once; give it once\n");
    return kExitUsage;
  }
  int rc = kExitOk;
  size_t saved = 0, failed = 0;
  ProgressBar progress("files");
  auto read = [&](size_t i) { return read_result_input(args.files[i], flags.max_json_bytes); };
  // Called in the order of the files, one at a time.
  auto done = [&](size_t i, const Result<std::string>& task_id) {
    const std::string name = args.files[i] == "-" ? "stdin" : args.files[i];
    if (task_id.ok()) {
      ++saved;
    } else {
      ++failed;
      rc = rc == kExitOk ? exit_code_for(task_id.status()) : rc;
    }
    if (args.json) {
      json::JsonWriter w;
      w.begin_object();
      w.key("file");
      w.string(name);
      w.key("ok");
      w.boolean(task_id.ok());
      w.key(task_id.ok() ? "task_id" : "error");
      w.string(task_id.ok() ? *task_id : task_id.status().to_string());
      w.end_object();
      fmt::print("{}\n", w.str());
      std::fflush(stdout);  // a reader of the pipe learns of each save as it happens
    } else if (task_id.ok()) {
      progress.clear();
      fmt::print("saved {}  {}\n", *task_id, name);
    } else {
      progress.clear();
      fmt::print(stderr, "btstore: {}: {}\n", name, task_id.status().to_string());
    }
    if (args.files.size() > 1) progress.update(saved + failed, args.files.size());
  };
  const Status st = save_results(to_storage_options(flags), args.files.size(), read, done,
                                 BatchSaveOptions{args.replace, args.jobs});
  if (!st.ok()) return report_error(st);
  if (!args.json) {
    fmt::print(stderr, "{} saved, {} failed\n", saved, failed);
  }
  return rc;
}

struct RegisterArgs {
  RunningTask task;
  std::string timeframe;
  bool json = false;
};

int run_register(RegisterArgs args, const StorageFlags& flags) {
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  if (!args.timeframe.empty()) args.task.timeframe = args.timeframe;
  auto task_id = storage->register_running(args.task);
  if (!task_id.ok()) return report_error(task_id.status());
  if (args.json) {
    fmt::print("{{\"task_id\":\"{}\",\"status\":\"running\"}}\n", *task_id);
  } else {
    fmt::print("{}\n", *task_id);
  }
  return kExitOk;
}

struct FailArgs {
  std::string task_id;
  std::string error;
};

int run_fail(const FailArgs& args, const StorageFlags& flags) {
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  Status st = storage->mark_failed(args.task_id, args.error);
  if (!st.ok()) return report_error(st);
  fmt::print("{} marked failed\n", args.task_id);
  return kExitOk;
}

}  // namespace

void add_save_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags) {
  auto save = std::make_shared<SaveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "save",
      "Validate BacktestResult JSON files and save each as one catalog row plus "
      "backtests/{task_id}/ (three Parquet files + metadata.json), transactionally.");
  cmd->add_option("FILE", save->files, "result files; '-' reads standard input")->required();
  cmd->add_flag("--replace", save->replace, "overwrite a result whose task_id is already saved");
  cmd->add_option("--jobs", save->jobs,
                  "files saved at a time, each on a database connection of its own (default: "
                  "the number of cores, at most one per file); files with the same task_id are "
                  "still saved in the order given, and results are reported in that order")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--compression", flags.compression, "snappy (default), zstd or uncompressed")
      ->check(CLI::IsMember({"snappy", "zstd", "uncompressed"}));
  add_json_limit_options(cmd, flags.max_json_bytes, flags.max_json_depth);
  cmd->add_flag("--json", save->json, "one JSON line per file: {file, ok, task_id|error}");
  cmd->callback([&dispatch, &flags, save] {
    dispatch.run = [&flags, save] { return run_save(*save, flags); };
  });

  auto reg = std::make_shared<RegisterArgs>();
  cmd = app.add_subcommand("register",
                           "Register a task that is still running (status running, no files "
                           "yet); a later save of the same task_id completes it.");
  cmd->add_option("--task-id", reg->task.task_id, "UUID (generated when absent)")
      ->check(task_id_check());
  cmd->add_option("--strategy", reg->task.strategy, "strategy name")->required();
  cmd->add_option("--symbol", reg->task.symbols, "a symbol (repeatable)");
  cmd->add_option("--start-date", reg->task.start_date, "YYYY-MM-DD")->required();
  cmd->add_option("--end-date", reg->task.end_date, "YYYY-MM-DD")->required();
  cmd->add_option("--timeframe", reg->timeframe, "e.g. 1h");
  cmd->add_option("--metadata", reg->task.metadata_json, "a JSON object");
  cmd->add_flag("--json", reg->json, "print {task_id, status} as JSON");
  cmd->callback([&dispatch, &flags, reg] {
    dispatch.run = [&flags, reg] { return run_register(*reg, flags); };
  });

  auto fail = std::make_shared<FailArgs>();
  cmd = app.add_subcommand("fail", "Mark a registered task failed, keeping the error text.");
  cmd->add_option("ID", fail->task_id, "task id")->required()->check(task_id_check());
  cmd->add_option("--error", fail->error, "what went wrong")->required();
  cmd->callback([&dispatch, &flags, fail] {
    dispatch.run = [&flags, fail] { return run_fail(*fail, flags); };
  });
}

}  // namespace btstore::cli
