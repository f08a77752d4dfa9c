// get, list, show: the commands that read results.
#include <fmt/core.h>

#include <cstdio>
#include <memory>

#include "commands.h"
#include "entry_format.h"
#include "output.h"
#include "storage_options.h"

namespace btstore::cli {
namespace {

struct GetArgs {
  std::string task_id;
  std::string output;
};

int run_get(const GetArgs& args, const StorageFlags& flags) {
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  auto json = storage->get_result(args.task_id);
  if (!json.ok()) return report_error(json.status());
  Status st = write_output(args.output, *json + "\n");
  return st.ok() ? kExitOk : report_error(st);
}

struct ListArgs {
  std::string status, strategy, since, until, after;
  std::vector<std::string> symbols;
  int64_t limit = 50;
  bool json = false;
};

Result<ListFilter> to_filter(const ListArgs& args) {
  ListFilter f;
  if (!args.status.empty()) f.status = args.status;
  if (!args.strategy.empty()) f.strategy = args.strategy;
  f.symbols = args.symbols;
  if (!args.since.empty()) {
    BTSTORE_ASSIGN_OR_RETURN(int64_t since, parse_time_point(args.since));
    f.since_micros = since;
  }
  if (!args.until.empty()) {
    BTSTORE_ASSIGN_OR_RETURN(int64_t until, parse_time_point(args.until));
    f.until_micros = until;
  }
  f.limit = args.limit;
  f.after = args.after;
  return f;
}

void print_table(const ListPage& page) {
  fmt::print("{:<36}  {:<24}  {:<9}  {:<22}  {:>8}  {:<20}  {}\n", "TASK_ID", "STRATEGY", "STATUS",
             "DATES", "SIGNALS", "CREATED_AT", "SYMBOLS");
  for (const auto& e : page.entries) {
    fmt::print("{:<36}  {:<24}  {:<9}  {:<22}  {:>8}  {:<20}  {}\n", e.task_id,
               e.strategy.substr(0, 24), e.status, e.start_date + ".." + e.end_date,
               e.record_count ? with_thousands(*e.record_count) : "-", e.created_at.substr(0, 19),
               symbols_cell(e.symbols, 40));
  }
  std::fflush(stdout);  // the table first, then the summary on stderr
  fmt::print(stderr, "{} results", page.entries.size());
  if (!page.next_cursor.empty()) fmt::print(stderr, "; next page: --after {}", page.next_cursor);
  fmt::print(stderr, "\n");
}

int run_list(const ListArgs& args, const StorageFlags& flags) {
  auto filter = to_filter(args);
  if (!filter.ok()) return report_error(filter.status()), kExitUsage;
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  auto page = storage->list(*filter);
  if (!page.ok()) return report_error(page.status());
  if (!args.json) {
    print_table(*page);
    return kExitOk;
  }
  json::JsonWriter w;
  w.begin_object();
  w.key("results");
  w.begin_array();
  for (const auto& e : page->entries) write_entry_json(w, e);
  w.end_array();
  w.key("next_cursor");
  page->next_cursor.empty() ? w.null() : w.string(page->next_cursor);
  w.end_object();
  fmt::print("{}\n", w.str());
  return kExitOk;
}

struct ShowArgs {
  std::string task_id;
  bool json = false;
};

int run_show(const ShowArgs& args, const StorageFlags& flags) {
  int rc = kExitOk;
  auto storage = open_storage(flags, &rc);
  if (!storage) return rc;
  auto entry = storage->get_entry(args.task_id);
  if (!entry.ok()) return report_error(entry.status());
  if (args.json) {
    fmt::print("{}\n", entry_json(*entry));
    return kExitOk;
  }
  const ResultEntry& e = *entry;
  fmt::print("task_id       {}\nstrategy      {}\nstatus        {}\ndates         {} .. {}\n",
             e.task_id, e.strategy, e.status, e.start_date, e.end_date);
  fmt::print("timeframe     {}\nsymbols       {}\nsignals       {}\nfiles         {} ({} bytes)\n",
             e.timeframe.value_or("-"), symbols_cell(e.symbols, 200),
             e.record_count ? with_thousands(*e.record_count) : "-", e.parquet_path,
             e.file_size ? with_thousands(*e.file_size) : "-");
  fmt::print("metadata      {}\ncreated_at    {}\nupdated_at    {}\n", e.metadata_json,
             e.created_at, e.updated_at);
  if (!e.file_size) return kExitOk;  // a registered task: no files, no summary yet
  auto summary = storage->get_summary(e.task_id);
  if (!summary.ok()) return report_error(summary.status());
  fmt::print("\n{:<16} {:>8} {:>10} {:>10} {:>10} {:>12} {:>8} {:>12}\n", "SYMBOL", "WIN_RATE",
             "AVG_RET", "MAX_RET", "MIN_RET", "MAX_DRAWDOWN", "SIGNALS", "TOTAL_PNL");
  for (const auto& s : *summary) {
    fmt::print("{:<16} {:>8} {:>10} {:>10} {:>10} {:>12} {:>8} {:>12}\n", s.symbol,
               optional_cell(s.win_rate), optional_cell(s.avg_return), optional_cell(s.max_return),
               optional_cell(s.min_return), optional_cell(s.max_drawdown),
               s.total_signals ? std::to_string(*s.total_signals) : "-",
               optional_cell(s.total_pnl));
  }
  return kExitOk;
}

}  // namespace

void add_query_commands(CLI::App& app, Dispatch& dispatch, StorageFlags& flags) {
  auto get = std::make_shared<GetArgs>();
  CLI::App* cmd = app.add_subcommand(
      "get",
      "Print a saved result as BacktestResult JSON, with the catalog's created_at, "
      "updated_at, parquet_path, file_size and record_count added.");
  cmd->add_option("ID", get->task_id, "task id")->required()->check(task_id_check());
  cmd->add_option("-o,--output", get->output, "write to this file instead of stdout");
  cmd->callback(
      [&dispatch, &flags, get] { dispatch.run = [&flags, get] { return run_get(*get, flags); }; });

  auto list = std::make_shared<ListArgs>();
  cmd = app.add_subcommand(
      "list",
      "List results newest first from the catalog alone, one page at a time.\n"
      "Examples: latest 5 completed: btstore list --status completed --limit 5\n"
      "          a strategy's last 7 days: btstore list --strategy NAME --since 7d");
  cmd->add_option("--status", list->status, "completed, failed or running")
      ->check(CLI::IsMember({"completed", "failed", "running"}));
  cmd->add_option("--strategy", list->strategy, "exact strategy name");
  cmd->add_option("--symbol", list->symbols,
                  "results holding this symbol (repeatable: all of them)");
  cmd->add_option("--since", list->since,
                  "created at or after: 7d, 12h, a date or an RFC 3339 time");
  cmd->add_option("--until", list->until, "created before: same forms as --since");
  cmd->add_option("--limit", list->limit, "results per page (default 50)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd->add_option("--after", list->after, "the cursor printed at the end of the previous page");
  cmd->add_flag("--json", list->json, "print {results: [...], next_cursor} as one JSON document");
  cmd->callback([&dispatch, &flags, list] {
    dispatch.run = [&flags, list] { return run_list(*list, flags); };
  });

  auto show = std::make_shared<ShowArgs>();
  cmd = app.add_subcommand("show", "Show a result's catalog fields and per-symbol summary.");
  cmd->add_option("ID", show->task_id, "task id")->required()->check(task_id_check());
  cmd->add_flag("--json", show->json, "print the catalog entry as JSON");
  cmd->callback([&dispatch, &flags, show] {
    dispatch.run = [&flags, show] { return run_show(*show, flags); };
  });
}

}  // namespace btstore::cli
