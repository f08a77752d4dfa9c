// migrate, migrate status, archive, archive verify: the blue-green migration
// from a legacy JSON store (docs/migration.md).
#include <fmt/core.h>

#include <memory>

#include "commands.h"
#include "json/json_writer.h"
#include "migration/archive.h"
#include "migration/migrate.h"
#include "output.h"
#include "progress.h"
#include "storage_options.h"

namespace btstore::cli {
namespace {

using migration::FileOutcome;
using migration::MigrateReport;
using migration::Outcome;

struct MigrateArgs {
  std::string from;
  int jobs = 0;
  bool verify = false, dry_run = false, replace = false, json = false;
};

void write_outcome(json::JsonWriter& w, const FileOutcome& o) {
  w.begin_object();
  w.key("file");
  w.string(o.file);
  w.key("task_id");
  o.task_id.empty() ? w.null() : w.string(o.task_id);
  w.key("outcome");
  w.string(migration::outcome_name(o.outcome));
  w.key("detail");
  w.string(o.detail);
  w.end_object();
}

void print_report_json(const MigrateReport& r, bool dry_run, bool all_files) {
  json::JsonWriter w;
  w.begin_object();
  w.key("dry_run");
  w.boolean(dry_run);
  for (auto [name, value] : {std::pair<const char*, size_t>{"files", r.files},
                             {"migrated", r.migrated},
                             {"skipped", r.skipped},
                             {"conflicts", r.conflicts},
                             {"replaced", r.replaced},
                             {"failed", r.failed},
                             {"verified", r.verified}}) {
    w.key(name);
    w.number(static_cast<int64_t>(value));
  }
  w.key("bytes_before");
  w.number(static_cast<int64_t>(r.bytes_before));
  w.key("bytes_after");
  w.number(r.bytes_after);
  w.key("seconds");
  w.number(r.seconds);
  w.key(all_files ? "files_detail" : "problems");
  w.begin_array();
  for (const auto& o : r.outcomes) {
    bool problem = o.outcome == Outcome::kConflict || o.outcome == Outcome::kFailed;
    if (all_files || problem) write_outcome(w, o);
  }
  w.end_array();
  w.end_object();
  fmt::print("{}\n", w.str());
}

void print_problems(const MigrateReport& r) {
  for (const auto& o : r.outcomes) {
    if (o.outcome != Outcome::kConflict && o.outcome != Outcome::kFailed) continue;
    std::string detail = o.detail;
    for (size_t at = detail.find('\n'); at != std::string::npos; at = detail.find('\n', at + 11)) {
      detail.insert(at + 1, 10, ' ');  // continuation lines under the first
    }
    fmt::print("{:<9} {}  {}\n          {}\n", migration::outcome_name(o.outcome), o.file,
               o.task_id.empty() ? "-" : o.task_id, detail);
  }
}

int run_migrate(const MigrateArgs& args, const StorageFlags& flags) {
  migration::MigrateOptions options;
  options.storage = to_storage_options(flags);
  options.from = args.from;
  options.jobs = args.jobs;
  options.verify = args.verify;
  options.dry_run = args.dry_run;
  options.replace = args.replace;
  ProgressBar bar("files");
  options.progress = bar.callback();
  auto report = migration::migrate(options);
  if (!report.ok()) return report_error(report.status());
  const MigrateReport& r = *report;
  if (args.json) {
    print_report_json(r, args.dry_run, false);
  } else {
    print_problems(r);
    const char* would = args.dry_run ? " (dry run: nothing written)" : "";
    fmt::print("{} legacy files in {:.1f}s{}\n", r.files, r.seconds, would);
    fmt::print(
        "  migrated   {:>8}\n  skipped    {:>8}\n  conflicts  {:>8}\n  replaced   {:>8}\n"
        "  failed     {:>8}\n",
        r.migrated, r.skipped, r.conflicts, r.replaced, r.failed);
    if (args.verify) fmt::print("  verified   {:>8}\n", r.verified);
    fmt::print("  bytes before {} (legacy files), after {} (Parquet)\n",
               with_thousands(static_cast<long long>(r.bytes_before)),
               with_thousands(r.bytes_after));
  }
  if (r.failed > 0) return kExitFailed;
  return r.conflicts > 0 ? kExitIntegrity : kExitOk;
}

int run_migrate_status(const MigrateArgs& args, const StorageFlags& flags) {
  migration::MigrateOptions options;
  options.storage = to_storage_options(flags);
  options.from = args.from;
  options.jobs = args.jobs;
  options.dry_run = true;
  ProgressBar bar("files");
  options.progress = bar.callback();
  auto report = migration::migrate(options);
  if (!report.ok()) return report_error(report.status());
  const MigrateReport& r = *report;
  bool complete = r.migrated == 0 && r.conflicts == 0 && r.failed == 0 && r.replaced == 0;
  if (args.json) {
    fmt::print(
        "{{\"files\":{},\"migrated\":{},\"missing\":{},\"conflicts\":{},\"invalid\":{},"
        "\"complete\":{}}}\n",
        r.files, r.skipped, r.migrated, r.conflicts + r.replaced, r.failed, complete);
    return kExitOk;
  }
  print_problems(r);
  fmt::print("{} legacy files: {} migrated, {} missing, {} in conflict, {} invalid{}\n", r.files,
             r.skipped, r.migrated, r.conflicts + r.replaced, r.failed,
             complete ? " - complete" : "");
  return kExitOk;
}

struct ArchiveArgs {
  std::string from, to;
  int jobs = 0;
  bool json = false;
};

int run_archive(const ArchiveArgs& args, const StorageFlags& flags) {
  migration::ArchiveOptions options{to_storage_options(flags), args.from, args.to, args.jobs};
  auto report = migration::archive(options);
  if (!report.ok()) return report_error(report.status());
  if (!report->unsafe.empty()) {
    for (const auto& o : report->unsafe) {
      fmt::print(stderr, "{:<9} {}  {}\n", migration::outcome_name(o.outcome), o.file, o.detail);
    }
    fmt::print(stderr,
               "btstore: archive refused: {} legacy files are not migrated and identical; "
               "nothing was moved (run btstore migrate, resolve the conflicts, remove invalid "
               "files)\n",
               report->unsafe.size());
    return kExitFailed;
  }
  if (args.json) {
    fmt::print("{{\"archived\":{},\"bytes\":{},\"manifest\":{}}}\n", report->archived,
               report->bytes, json_quote(report->manifest.string()));
  } else {
    fmt::print("archived {} files ({} bytes) into {}; manifest {}\n", report->archived,
               with_thousands(static_cast<long long>(report->bytes)), args.to,
               report->manifest.string());
  }
  return kExitOk;
}

int run_archive_verify(const std::string& dir, bool as_json) {
  auto problems = migration::verify_archive(dir);
  if (!problems.ok()) return report_error(problems.status());
  json::JsonWriter w;
  w.begin_array();
  for (const auto& p : *problems) {
    if (!as_json) fmt::print("{:<9} {}  {}\n", p.kind, p.file, p.detail);
    w.begin_object();
    w.key("kind");
    w.string(p.kind);
    w.key("file");
    w.string(p.file);
    w.key("detail");
    w.string(p.detail);
    w.end_object();
  }
  w.end_array();
  if (as_json) {
    fmt::print("{{\"problems\":{}}}\n", w.str());
  } else {
    fmt::print(stderr, "{} problems\n", problems->size());
  }
  return problems->empty() ? kExitOk : kExitIntegrity;
}

void add_archive_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags) {
  auto args = std::make_shared<ArchiveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "archive",
      "Phase 4: after checking that every legacy result is migrated and identical, move the "
      "JSON files into a read-only archive with a manifest (task_id, file, size, SHA-256). "
      "Refuses, moving nothing, while any file is not safe.");
  cmd->add_option("--from", args->from, "the legacy JSON directory");
  cmd->add_option("--to", args->to, "the archive directory");
  cmd->add_option("--jobs", args->jobs, "parallel checks (default: the number of cores)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--json", args->json, "print {archived, bytes, manifest} as JSON");
  auto verify_dir = std::make_shared<std::string>();
  auto verify_json = std::make_shared<bool>(false);
  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "Check an archive against its manifest: every file present with its size and "
      "SHA-256, none unlisted. Exit code 4 when a problem is found.");
  verify->add_option("DIR", *verify_dir, "the archive directory (or --to)");
  verify->add_option("--to", *verify_dir, "the archive directory");
  verify->add_flag("--json", *verify_json, "print {problems: [...]} as JSON");
  cmd->callback([&dispatch, &flags, args, verify, verify_dir, verify_json] {
    if (verify->parsed()) {
      if (verify_dir->empty()) verify_dir->assign(args->to);
      dispatch.run = [verify_dir, verify_json] {
        if (verify_dir->empty()) {
          fmt::print(stderr, "btstore: archive verify needs the archive directory\n");
          return static_cast<int>(kExitUsage);
        }
        return run_archive_verify(*verify_dir, *verify_json);
      };
      return;
    }
    dispatch.run = [&flags, args] {
      if (args->from.empty() || args->to.empty()) {
        fmt::print(stderr, "btstore: archive needs --from DIR and --to ARCHIVE_DIR\n");
        return static_cast<int>(kExitUsage);
      }
      return run_archive(*args, flags);
    };
  });
}

}  // namespace

void add_migrate_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags) {
  auto args = std::make_shared<MigrateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "migrate",
      "Backfill: import every legacy result ({task_id}.json or .json.gz below --from) into "
      "PostgreSQL + Parquet. Idempotent (identical results are skipped, different ones are "
      "conflicts) and resumable; ends with a report. Exit code 1 when a file failed, 4 when "
      "there are conflicts.");
  cmd->add_option("--from", args->from, "the legacy JSON directory");
  cmd->add_option("--jobs", args->jobs, "parallel workers (default: the number of cores)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--verify", args->verify,
                "read every migrated result back and compare it with its JSON value by value");
  cmd->add_flag("--dry-run", args->dry_run, "report what would happen; write nothing");
  cmd->add_flag("--replace", args->replace, "overwrite conflicting saved results");
  cmd->add_flag("--json", args->json, "print the report as one JSON document");
  CLI::App* status = cmd->add_subcommand(
      "status", "How many legacy results are migrated, missing, in conflict or invalid.");
  status->add_option("--from", args->from, "the legacy JSON directory");
  status->add_option("--jobs", args->jobs, "parallel workers")->check(CLI::Range(1, 256));
  status->add_flag("--json", args->json,
                   "print {files, migrated, missing, conflicts, invalid, complete}");
  cmd->callback([&dispatch, &flags, args, status] {
    bool is_status = status->parsed();
    dispatch.run = [&flags, args, is_status] {
      if (args->from.empty()) {
        fmt::print(stderr, "btstore: migrate needs --from DIR (the legacy JSON directory)\n");
        return static_cast<int>(kExitUsage);
      }
      return is_status ? run_migrate_status(*args, flags) : run_migrate(*args, flags);
    };
  });
  add_archive_commands(app, dispatch, flags);
}

}  // namespace btstore::cli
