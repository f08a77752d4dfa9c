// btstore-bench-db: database benchmarks of btstore (docs/performance.md).
//   save --count 1000 --writers 1|2     end-to-end saves vs the DuckDB pipeline
//   list --rows 1000000                 list p50/p99 per filter, first and deep page
//   cleanup --count 10000               cleanup results/s
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "bench_db.h"

int main(int argc, char** argv) {
  using namespace btstore::bench::db;
  CLI::App app{"btstore database benchmarks: save, list, cleanup (prints Markdown tables)"};
  app.require_subcommand(1);
  Options options;
  std::string work = "/tmp/btstore-bench-db-work-" + std::to_string(getpid());
  app.add_option("--database-url", options.database_url,
                 "PostgreSQL to use (default: $BTSTORE_TEST_DATABASE_URL, "
                 "$BTSTORE_DATABASE_URL, else an embedded cluster); a schema of the run's own "
                 "is created and dropped");
  app.add_option("--work-dir", work, "directory for the run's files (removed at the end)");
  app.add_flag("--json", options.json, "print JSON instead of Markdown");
  int save_count = 1000, writers = 1, save_reps = 3, cleanup_count = 10000, iterations = 200;
  int64_t rows = 1000000;
  std::string duckdb_script;
  auto* save = app.add_subcommand("save", "end-to-end save of small results");
  save->add_option("--count", save_count, "results to save")->check(CLI::PositiveNumber);
  save->add_option("--writers", writers, "concurrent writers")->check(CLI::Range(1, 16));
  save->add_option("--reps", save_reps,
                   "repetitions of both pipelines (default 3); the tables show medians")
      ->check(CLI::PositiveNumber);
  save->add_option("--duckdb", duckdb_script, "bench/duckdb_pipeline.mjs to compare with");
  auto* list = app.add_subcommand("list", "catalog list per filter");
  list->add_option("--rows", rows, "catalog rows")->check(CLI::PositiveNumber);
  list->add_option("--iterations", iterations, "calls per filter and page")
      ->check(CLI::PositiveNumber);
  list->add_option("--keep-schema", options.keep_schema,
                   "fill this schema once and keep it for the next runs (DROP SCHEMA ... CASCADE "
                   "removes it)");
  auto* cleanup = app.add_subcommand("cleanup", "cleanup of old results");
  cleanup->add_option("--count", cleanup_count, "results to remove")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  // The pipeline runs from the work directory: a relative script path must not depend on it.
  if (!duckdb_script.empty()) duckdb_script = std::filesystem::absolute(duckdb_script).string();
  options.work_dir = work;
  std::filesystem::create_directories(options.work_dir);
  int rc = 0;
  if (*save) rc = run_save(options, save_count, writers, save_reps, duckdb_script);
  if (*list) rc = run_list(options, rows, iterations);
  if (*cleanup) rc = run_cleanup(options, cleanup_count);
  std::error_code ec;
  std::filesystem::remove_all(options.work_dir, ec);
  return rc;
}
