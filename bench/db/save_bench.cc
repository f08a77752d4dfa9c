// save: `count` small results (5 symbols x 250 signals x 720 curve points) saved end to end
// (read the JSON file, validate, encode, fsync the files, commit the catalog row) by 1 or more
// concurrent writers, each with its own ResultStorage; then the same files through the DuckDB
// pipeline (bench/duckdb_pipeline.mjs), one node process per writer.
#include <fmt/format.h>
#include <sys/resource.h>

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

// Writer w saves files w, w + writers, w + 2 * writers, ...
Result<Run> save_all(const Options& options, const std::string& conninfo,
                     const std::vector<std::filesystem::path>& files, int writers) {
  std::vector<std::unique_ptr<ResultStorage>> storages;
  for (int w = 0; w < writers; ++w) {
    StorageOptions so;
    so.database_url = conninfo;
    so.root = (options.work_dir / fmt::format("save-store-{}", writers)).string();
    BTSTORE_ASSIGN_OR_RETURN(auto storage, ResultStorage::open(so));
    storages.push_back(std::move(storage));
  }
  std::vector<std::vector<double>> ms(writers);
  std::vector<Status> errors(writers);
  auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (size_t i = w; i < files.size(); i += writers) {
        auto t0 = Clock::now();
        auto json = read_input(files[i]);
        auto id = json.ok() ? storages[w]->save_result(*json) : json.status();
        if (!id.ok()) {
          errors[w] = id.status();
          return;
        }
        ms[w].push_back(ms_since(t0));
      }
    });
  }
  for (auto& t : threads) t.join();
  Run run;
  run.seconds = ms_since(start) / 1000;
  run.cpu_seconds = process_cpu_seconds() - cpu_start;
  for (int w = 0; w < writers; ++w) {
    BTSTORE_RETURN_IF_ERROR(errors[w]);
    run.latencies_ms.insert(run.latencies_ms.end(), ms[w].begin(), ms[w].end());
  }
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
                       const std::vector<std::filesystem::path>& files, int writers) {
  std::vector<std::vector<std::string>> argv(writers);
  for (int w = 0; w < writers; ++w) argv[w] = {"/usr/bin/env", "node", script, "convert"};
  for (size_t i = 0; i < files.size(); ++i) {
    auto out = options.work_dir / fmt::format("duckdb-{}", writers) / files[i].stem();
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

}  // namespace

int run_save(const Options& options, int count, int writers, const std::string& duckdb_script) {
  auto files = generate_inputs(options.work_dir / "inputs", count);
  if (!files.ok())
    return fmt::print(stderr, "btstore-bench-db save: {}\n", files.status().to_string()), 1;
  auto db = BenchDatabase::open(options, "save");
  if (!db.ok())
    return fmt::print(stderr, "btstore-bench-db save: {}\n", db.status().to_string()), 1;
  auto run = save_all(options, db->conninfo(), *files, writers);
  if (!run.ok())
    return fmt::print(stderr, "btstore-bench-db save: {}\n", run.status().to_string()), 1;
  double rate = count / run->seconds;
  Table t{fmt::format("save of {} small results, {} writer(s)", count, writers),
          {"pipeline", "results/s", "p50 ms", "p99 ms", "wall s"},
          {{"btstore save (PostgreSQL + files)", fixed(rate, 1),
            fixed(percentile(run->latencies_ms, 0.5), 2),
            fixed(percentile(run->latencies_ms, 0.99), 2), fixed(run->seconds, 2)}},
          {fmt::format("btstore's CPU time (user + system, PostgreSQL's not counted): {:.2f} ms "
                       "per save, {:.2f} cores busy on average.",
                       run->cpu_seconds * 1000 / count, run->cpu_seconds / run->seconds)}};
  if (auto cat = catalog_only(db->conninfo(), count, writers); cat.ok()) {
    t.rows.push_back({"of which the catalog statements alone", fixed(count / cat->seconds, 1),
                      fixed(percentile(cat->latencies_ms, 0.5), 2),
                      fixed(percentile(cat->latencies_ms, 0.99), 2), fixed(cat->seconds, 2)});
  } else {
    t.notes.push_back("catalog-only run failed: " + cat.status().to_string());
  }
  if (!duckdb_script.empty() && std::filesystem::exists(duckdb_script)) {
    auto duck = duckdb_all(options, duckdb_script, *files, writers);
    if (duck.ok()) {
      double duck_rate = count / duck->seconds;
      t.rows.push_back({"DuckDB pipeline (node, one process per writer)", fixed(duck_rate, 1), "-",
                        "-", fixed(duck->seconds, 2)});
      t.notes.push_back(fmt::format("btstore / DuckDB results/s: {:.2f}x (target: at least 5x).",
                                    rate / duck_rate));
    } else {
      t.notes.push_back("DuckDB pipeline not measured: " + duck.status().to_string());
    }
  } else {
    t.notes.push_back("DuckDB pipeline not measured: " +
                      (duckdb_script.empty() ? std::string("no script") : duckdb_script) +
                      " is missing");
  }
  t.notes.push_back(db->describe() + ".");
  t.print(options.json);
  auto stages = save_stages(options, *files, std::min(count, 100));
  if (!stages.ok())
    return fmt::print(stderr, "btstore-bench-db save: {}\n", stages.status().to_string()), 1;
  stages->print(options.json);
  return 0;
}

}  // namespace btstore::bench::db
