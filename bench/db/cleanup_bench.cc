// cleanup: ResultStorage::cleanup removing `count` results (catalog rows, their symbol rows and
// their directories of files) older than a cut-off, among as many newer results that stay.
#include <fmt/format.h>

#include "bench_db.h"
#include "btstore/storage.h"
#include "generator/result_generator.h"

namespace btstore::bench::db {
namespace {

// `count` old rows (1,000 days) and `count` recent ones, each pointing at backtests/{task_id}/.
constexpr const char* kRows = R"(
INSERT INTO backtest_results (task_id, strategy, symbols, start_date, end_date, timeframe, status,
  parquet_path, file_size, record_count, metadata, created_at)
SELECT id, 'strategy_' || (g % 300), jsonb_build_array('S' || (g % 3000) || '/USDT', 'S0/USDT'),
       DATE '2024-01-01', DATE '2024-01-31', '1h', 'completed', 'backtests/' || id || '/', 1, 1,
       '{}'::jsonb, now() - CASE WHEN g <= $1::bigint THEN INTERVAL '1000 days'
                                 ELSE INTERVAL '10 days' END
FROM (SELECT g, md5('cleanup-' || g)::uuid AS id FROM generate_series(1, 2 * $1::bigint) g) s
RETURNING task_id::text, created_at < now() - INTERVAL '500 days')";

// Every result gets real files: copies of one saved tiny result's directory.
Status make_dirs(const std::filesystem::path& root, const std::filesystem::path& source,
                 const catalog::QueryResult& rows) {
  for (const auto& row : rows.rows) {
    auto dir = root / "backtests" / row[0].value_or("");
    std::filesystem::create_directories(dir);
    for (const auto& f : std::filesystem::directory_iterator(source)) {
      std::filesystem::copy_file(f.path(), dir / f.path().filename());
    }
  }
  return Status::OK();
}

}  // namespace

int run_cleanup(const Options& options, int count) {
  auto fail = [](const Status& st) {
    fmt::print(stderr, "btstore-bench-db cleanup: {}\n", st.to_string());
    return 1;
  };
  auto db = BenchDatabase::open(options, "cleanup");
  if (!db.ok()) return fail(db.status());
  StorageOptions so;
  so.database_url = db->conninfo();
  so.root = (options.work_dir / "cleanup-store").string();
  auto storage = ResultStorage::open(so);
  if (!storage.ok()) return fail(storage.status());
  GeneratorOptions tiny;
  tiny.symbols = 1;
  tiny.signals = 10;
  tiny.curve_points = 24;
  auto id = (*storage)->save_result(generate_result_text(tiny));
  if (!id.ok()) return fail(id.status());
  std::filesystem::path source = std::filesystem::path(so.root) / "backtests" / *id;
  auto conn = bulk_connection(db->conninfo());
  if (!conn.ok()) return fail(conn.status());
  auto rows = conn->exec(kRows, {std::to_string(count)});
  if (!rows.ok()) return fail(rows.status());
  if (Status st = make_dirs(so.root, source, *rows); !st.ok()) return fail(st);
  (void)vacuum(*conn);

  auto start = Clock::now();
  auto removed = (*storage)->cleanup(std::chrono::hours(24 * 500));
  double seconds = ms_since(start) / 1000;
  if (!removed.ok()) return fail(removed.status());
  if (static_cast<int>(removed->size()) != count) {
    return fail(Status::Internal(
        fmt::format("cleanup removed {} results, expected {}", removed->size(), count)));
  }
  Table t{fmt::format("cleanup of {} results (rows + files) among {} newer ones", count, count + 1),
          {"operation", "results/s", "wall s"},
          {{"ResultStorage::cleanup", fixed(count / seconds, 0), fixed(seconds, 2)}},
          {db->describe() + "."}};
  t.print(options.json);
  return 0;
}

}  // namespace btstore::bench::db
