// save: `count` small results (5 symbols x 250 signals x 720 curve points) saved end to end
// (read the JSON file, validate, encode, fsync the files, commit the catalog row) by 1 or more
// concurrent writers, each with its own connection; then the same files through the DuckDB
// pipeline (bench/duckdb_pipeline.mjs), one node process per writer. Each repetition runs both,
// the first of them in turn, so that neither always meets the disk's or the file system's state
// left by what ran before; every repetition writes into directories of its own, and nothing is
// removed before the end.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <thread>

#include "bench_db.h"
#include "btstore/storage.h"
#include "catalog/catalog.h"
#include "catalog/process.h"
#include "common/file_util.h"
#include "common/uuid.h"
#include "generator/result_generator.h"

namespace btstore::bench::db {
namespace {

Result<std::vector<std::filesystem::path>> generate_inputs(const std::filesystem::path& dir,
                                                           int count) {
  std::filesystem::create_directories(dir);
  BTSTORE_ASSIGN_OR_RETURN(GeneratorOptions options, preset_options("small"));
  std::vector<std::filesystem::path> files;
  for (int i = 0; i < count; ++i) {
    options.seed = 1000 + static_cast<uint64_t>(i);  // distinct seeds, distinct task ids
    files.push_back(dir / fmt::format("small-{:05}.json", i));
    if (std::filesystem::exists(files.back())) continue;
    BTSTORE_RETURN_IF_ERROR(generate_result_file(options, files.back()).status());
  }
  return files;
}

// Writes the inputs to the disk before anything is timed: left to the kernel's writeback, a
// freshly generated gigabyte would be flushed during the first pipeline's run and slow its fsyncs
// alone.
Status sync_inputs(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("open", dir, errno);
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  return rc == 0 ? Status::OK() : errno_status("syncfs", dir, err);
}

// One read(2) of the whole file, as the CLI reads a document.
Result<std::string> read_input(const std::filesystem::path& path) {
  return btstore::read_file(path, uint64_t{1} << 31);
}

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system time of this process (PostgreSQL's is not counted)
  std::vector<double> latencies_ms;
};

double process_cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// The files saved by save_results() with `writers` jobs, as `btstore save --jobs N FILES...`
// saves them: each job on a connection of its own (opened within the timed part), reading and
// parsing its next file while it saves one. A save's latency runs from the read of its file to
// the report of its outcome (in input order).
Result<Run> save_all(const Options& options, const std::string& conninfo,
                     const std::vector<std::filesystem::path>& files, int writers, int rep) {
  StorageOptions so;
  so.database_url = conninfo;
  so.root = (options.work_dir / fmt::format("save-store-{}-{}", writers, rep)).string();
  std::vector<Clock::time_point> read_at(files.size());
  Run run;
  Status first_error;
  auto read = [&](size_t i) {
    read_at[i] = Clock::now();
    return read_input(files[i]);
  };
  auto done = [&](size_t i, const Result<std::string>& id) {
    if (!id.ok() && first_error.ok()) first_error = id.status();
    run.latencies_ms.push_back(ms_since(read_at[i]));
  };
  BatchSaveOptions batch;
  batch.jobs = writers;
  auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  BTSTORE_RETURN_IF_ERROR(save_results(so, files.size(), read, done, batch));
  run.seconds = ms_since(start) / 1000;
  run.cpu_seconds = process_cpu_seconds() - cpu_start;
  BTSTORE_RETURN_IF_ERROR(first_error);
  return run;
}

// The catalog's share of a save: the same statements (BEGIN, SELECT ... FOR UPDATE, INSERT,
// COMMIT) with no files, `count` rows by `writers` connections.
Result<Run> catalog_only(const std::string& conninfo, int count, int writers) {
  std::vector<catalog::Catalog> catalogs;
  for (int w = 0; w < writers; ++w) {
    BTSTORE_ASSIGN_OR_RETURN(catalog::Connection conn, catalog::Connection::open(conninfo));
    catalogs.emplace_back(std::move(conn));
  }
  std::vector<std::vector<double>> ms(writers);
  std::vector<Status> errors(writers);
  auto one = [](catalog::Catalog& cat) -> Status {
    catalog::CatalogRecord r;
    r.task_id = generate_uuid_v4();
    r.strategy = "volume_zone_breakout";
    r.symbols = {"BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "ADA/USDT"};
    r.start_date = "2024-01-01";
    r.end_date = "2024-01-31";
    r.timeframe = "1h";
    r.status = "completed";
    r.parquet_path = catalog::parquet_path_for(r.task_id);
    r.file_size = 1 << 20;
    r.record_count = 1250;
    BTSTORE_RETURN_IF_ERROR(cat.begin());
    auto existing = cat.get(r.task_id, catalog::RowLock::kForUpdate);
    if (existing.status().code() != StatusCode::kNotFound)
      return Status::Internal("unexpected row");
    BTSTORE_RETURN_IF_ERROR(cat.insert(r).status());
    return cat.commit();
  };
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = w; i < count; i += writers) {
        auto t0 = Clock::now();
        if (Status st = one(catalogs[w]); !st.ok()) {
          errors[w] = st;
          return;
        }
        ms[w].push_back(ms_since(t0));
      }
    });
  }
  for (auto& t : threads) t.join();
  Run run;
  run.seconds = ms_since(start) / 1000;
  for (int w = 0; w < writers; ++w) {
    BTSTORE_RETURN_IF_ERROR(errors[w]);
    run.latencies_ms.insert(run.latencies_ms.end(), ms[w].begin(), ms[w].end());
  }
  return run;
}

// The DuckDB pipeline: one node process per writer converting its share of the files, durable.
Result<Run> duckdb_all(const Options& options, const std::string& script,
                       const std::vector<std::filesystem::path>& files, int writers, int rep) {
  std::vector<std::vector<std::string>> argv(writers);
  for (int w = 0; w < writers; ++w) argv[w] = {"/usr/bin/env", "node", script, "convert"};
  for (size_t i = 0; i < files.size(); ++i) {
    auto out = options.work_dir / fmt::format("duckdb-{}-{}", writers, rep) / files[i].stem();
    argv[i % writers].insert(argv[i % writers].end(), {files[i].string(), out.string()});
  }
  std::vector<Status> errors(writers);
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      auto r = catalog::run_process(argv[w], std::nullopt, options.work_dir);
      if (!r.ok()) {
        errors[w] = r.status();
      } else if (r->exit_code != 0) {
        errors[w] = Status::Internal("the DuckDB pipeline failed: " + r->output.substr(0, 400));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& st : errors) BTSTORE_RETURN_IF_ERROR(st);
  Run run;
  run.seconds = ms_since(start) / 1000;
  return run;
}

// The middle value, or the mean of the two middle ones.
double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int run_save(const Options& options, int count, int writers, int reps,
             const std::string& duckdb_script) {
  auto fail = [](const Status& st) {
    fmt::print(stderr, "btstore-bench-db save: {}\n", st.to_string());
    return 1;
  };
  auto files = generate_inputs(options.work_dir / "inputs", count);
  if (!files.ok()) return fail(files.status());
  if (Status st = sync_inputs(options.work_dir / "inputs"); !st.ok()) return fail(st);
  auto db = BenchDatabase::open(options, "save");
  if (!db.ok()) return fail(db.status());
  const bool with_duckdb = !duckdb_script.empty() && std::filesystem::exists(duckdb_script);

  std::vector<Run> saves;
  std::vector<double> duck_seconds;
  std::vector<std::string> rep_notes;
  for (int rep = 1; rep <= reps; ++rep) {
    // The same task ids are saved again: each repetition starts from an empty catalog.
    if (rep > 1) {
      Status st = db->admin().exec_script("TRUNCATE " + db->schema() + ".backtest_results");
      if (!st.ok()) return fail(st);
    }
    const bool duckdb_first = with_duckdb && rep % 2 == 0;
    std::optional<double> duck;
    auto run_duckdb = [&]() -> Status {
      BTSTORE_ASSIGN_OR_RETURN(Run r, duckdb_all(options, duckdb_script, *files, writers, rep));
      duck = r.seconds;
      return Status::OK();
    };
    if (duckdb_first) {
      if (Status st = run_duckdb(); !st.ok()) return fail(st);
    }
    auto run = save_all(options, db->conninfo(), *files, writers, rep);
    if (!run.ok()) return fail(run.status());
    saves.push_back(*run);
    if (with_duckdb && !duckdb_first) {
      if (Status st = run_duckdb(); !st.ok()) return fail(st);
    }
    const double rate = count / run->seconds;
    if (duck) {
      duck_seconds.push_back(*duck);
      rep_notes.push_back(fmt::format(
          "repetition {} ({} first): btstore {:.1f}, DuckDB {:.1f} results/s, {:.2f}x", rep,
          duckdb_first ? "DuckDB" : "btstore", rate, count / *duck, rate * *duck / count));
    } else {
      rep_notes.push_back(fmt::format("repetition {}: btstore {:.1f} results/s", rep, rate));
    }
  }

  std::vector<double> seconds, latencies, cpu_per_save, cores;
  for (const Run& r : saves) {
    seconds.push_back(r.seconds);
    latencies.insert(latencies.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    cpu_per_save.push_back(r.cpu_seconds * 1000 / count);
    cores.push_back(r.cpu_seconds / r.seconds);
  }
  const double rate = count / median(seconds);
  Table t{
      fmt::format("save of {} small results, {} writer(s), median of {} repetition(s)", count,
                  writers, reps),
      {"pipeline", "results/s", "p50 ms", "p99 ms", "wall s"},
      {{"btstore save (PostgreSQL + files)", fixed(rate, 1), fixed(percentile(latencies, 0.5), 2),
        fixed(percentile(latencies, 0.99), 2), fixed(median(seconds), 2)}},
      {fmt::format("btstore's CPU time (user + system, PostgreSQL's not counted): {:.2f} ms "
                   "per save, {:.2f} cores busy on average (medians).",
                   median(cpu_per_save), median(cores))}};
  if (auto cat = catalog_only(db->conninfo(), count, writers); cat.ok()) {
    t.rows.push_back({"of which the catalog statements alone", fixed(count / cat->seconds, 1),
                      fixed(percentile(cat->latencies_ms, 0.5), 2),
                      fixed(percentile(cat->latencies_ms, 0.99), 2), fixed(cat->seconds, 2)});
  } else {
    t.notes.push_back("catalog-only run failed: " + cat.status().to_string());
  }
  if (with_duckdb) {
    const double duck_rate = count / median(duck_seconds);
    t.rows.push_back({"DuckDB pipeline (node, one process per writer)", fixed(duck_rate, 1), "-",
                      "-", fixed(median(duck_seconds), 2)});
    t.notes.push_back(fmt::format(
        "btstore / DuckDB results/s (medians): {:.2f}x (target: at least 5x).", rate / duck_rate));
  } else {
    t.notes.push_back("DuckDB pipeline not measured: " +
                      (duckdb_script.empty() ? std::string("no script") : duckdb_script) +
                      " is missing");
  }
  t.notes.insert(t.notes.end(), rep_notes.begin(), rep_notes.end());
  t.notes.push_back(db->describe() + ".");
  t.print(options.json);
  auto stages = save_stages(options, *files, std::min(count, 100));
  if (!stages.ok()) return fail(stages.status());
  stages->print(options.json);
  return 0;
}

}  // namespace btstore::bench::db
