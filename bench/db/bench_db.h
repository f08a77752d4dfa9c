// btstore-bench-db: the database benchmarks' shared pieces: the server and a schema of the
// run's own, timing, percentiles and the printed table.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "btstore/status.h"
#include "catalog/connection.h"

namespace btstore::bench::db {

struct Options {
  std::string database_url;  // empty: $BTSTORE_TEST_DATABASE_URL, $BTSTORE_DATABASE_URL, embedded
  std::filesystem::path work_dir;  // files of the run; removed at the end
  bool json = false;
  bool quick = false;
  // list only: a schema kept after the run and reused by the next (filled only when empty).
  std::string keep_schema;
};

// A database schema created for one run (all connections of the process use it through
// PGOPTIONS search_path), migrated, and dropped with everything in it by the destructor.
class BenchDatabase {
 public:
  static Result<BenchDatabase> open(const Options& options, const std::string& name);
  BenchDatabase(BenchDatabase&& other) noexcept;
  BenchDatabase& operator=(BenchDatabase&&) = delete;
  ~BenchDatabase();

  const std::string& conninfo() const { return conninfo_; }
  const std::string& schema() const { return schema_; }
  std::string describe() const { return describe_; }
  catalog::Connection& admin() { return admin_; }

 private:
  BenchDatabase(std::string conninfo, std::string schema, std::string describe,
                catalog::Connection admin)
      : conninfo_(std::move(conninfo)),
        schema_(std::move(schema)),
        describe_(std::move(describe)),
        admin_(std::move(admin)) {}
  std::string conninfo_;
  std::string schema_;
  std::string describe_;
  catalog::Connection admin_;
  bool keep_ = false;
};

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The q-quantile (0..1) of `values` by the nearest-rank method; 0 for none.
// A connection to the run's schema for the long statements of filling the catalog (no statement
// or network time limit).
Result<catalog::Connection> bulk_connection(const std::string& conninfo);

// VACUUM ANALYZE of the catalog's tables: statistics, the GIN pending list and the visibility
// map as autovacuum leaves them on a table that has settled.
Status vacuum(catalog::Connection& conn);

double percentile(std::vector<double> values, double q);

// A Markdown table, or an array of objects keyed by the headers with --json.
struct Table {
  std::string title;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;
  void print(bool json) const;
};

std::string fixed(double v, int decimals);

// `reps` repetitions of btstore's saves and the DuckDB pipeline's, which goes first in every
// second one.
int run_save(const Options& options, int count, int writers, int reps,
             const std::string& duckdb_script);
// The stages of a save timed one by one over the first `count` of `inputs` (save_stages.cc).
Result<Table> save_stages(const Options& options, const std::vector<std::filesystem::path>& inputs,
                          int count);
int run_list(const Options& options, int64_t rows, int iterations);
int run_cleanup(const Options& options, int count);

}  // namespace btstore::bench::db
