// list: ResultStorage::list with each filter on a catalog of `rows` rows, first page and a deep
// page reached by the keyset cursor; p50/p99 of `iterations` calls each.
#include <fmt/format.h>

#include <functional>

#include "bench_db.h"
#include "btstore/storage.h"
#include "catalog/connection.h"
#include "common/time.h"

namespace btstore::bench::db {
namespace {

// A realistic spread, deterministic (setseed): 300 strategies and 3,000 symbols, both skewed
// (strategy_000 in ~6% of rows, S0/USDT in ~35%, S2999/USDT in ~0.08%), 1-20 symbols per row
// (mean 7), 94% completed, 4% failed, 2% running, created_at spread over two years.
constexpr const char* kFill = R"(
INSERT INTO backtest_results (task_id, strategy, symbols, start_date, end_date, timeframe, status,
  parquet_path, file_size, record_count, metadata, created_at, updated_at)
SELECT id, strategy, symbols, day, day + 30, '1h', status, 'backtests/' || id || '/', 1048576,
       1250, '{"schema_version": "1.0"}'::jsonb, ts, ts
FROM (
  SELECT md5('bench-' || g)::uuid AS id,
         'strategy_' || lpad(floor(300 * power(random(), 2))::int::text, 3, '0') AS strategy,
         (SELECT jsonb_agg(DISTINCT 'S' || floor(3000 * power(random(), 3))::int || '/USDT')
            FROM generate_series(1, 1 + floor(20 * power(random(), 2))::int + 0 * g)) AS symbols,
         DATE '2023-01-01' + (g % 700)::int AS day,
         CASE WHEN u < 0.94 THEN 'completed' WHEN u < 0.98 THEN 'failed' ELSE 'running' END
           AS status,
         now() - random() * INTERVAL '730 days' AS ts
  FROM (SELECT g, random() AS u FROM generate_series(1, $1::bigint) g) src
) generated)";

struct Case {
  std::string name;
  ListFilter filter;
};

int64_t days_ago(int64_t days) { return now_micros() - days * 86400LL * 1000000LL; }

std::vector<Case> cases() {
  auto f = [](auto&& set) {
    ListFilter filter;
    set(filter);
    return filter;
  };
  return {
      {"latest (no filter)", f([](ListFilter&) {})},
      {"latest completed", f([](ListFilter& x) { x.status = "completed"; })},
      {"status running (2%)", f([](ListFilter& x) { x.status = "running"; })},
      {"strategy, popular (6%)", f([](ListFilter& x) { x.strategy = "strategy_000"; })},
      {"strategy, rare (0.2%)", f([](ListFilter& x) { x.strategy = "strategy_299"; })},
      {"symbol, common (35%)", f([](ListFilter& x) { x.symbols = {"S0/USDT"}; })},
      {"symbol, mid (0.4%)", f([](ListFilter& x) { x.symbols = {"S300/USDT"}; })},
      {"symbol, rare (0.08%)", f([](ListFilter& x) { x.symbols = {"S2999/USDT"}; })},
      {"symbol, absent", f([](ListFilter& x) { x.symbols = {"NONE/USDT"}; })},
      {"since 7 days", f([](ListFilter& x) { x.since_micros = days_ago(7); })},
      {"date range (30 days, a year ago)", f([](ListFilter& x) {
         x.since_micros = days_ago(395);
         x.until_micros = days_ago(365);
       })},
      {"strategy + completed", f([](ListFilter& x) {
         x.strategy = "strategy_000";
         x.status = "completed";
       })},
      {"strategy + running", f([](ListFilter& x) {
         x.strategy = "strategy_000";
         x.status = "running";
       })},
      {"strategy + date range", f([](ListFilter& x) {
         x.strategy = "strategy_010";
         x.since_micros = days_ago(180);
         x.until_micros = days_ago(90);
       })},
      {"common symbol + running", f([](ListFilter& x) {
         x.symbols = {"S0/USDT"};
         x.status = "running";
       })},
      {"rare strategy + common symbol", f([](ListFilter& x) {
         x.strategy = "strategy_299";
         x.symbols = {"S0/USDT"};
       })},
      {"popular strategy + rare symbol", f([](ListFilter& x) {
         x.strategy = "strategy_000";
         x.symbols = {"S2999/USDT"};
       })},
      {"two common symbols", f([](ListFilter& x) {
         x.symbols = {"S0/USDT", "S1/USDT"};
       })},
      {"common + rare symbol", f([](ListFilter& x) {
         x.symbols = {"S0/USDT", "S2999/USDT"};
       })},
      {"symbol + date range", f([](ListFilter& x) {
         x.symbols = {"S5/USDT"};
         x.since_micros = days_ago(400);
         x.until_micros = days_ago(300);
       })},
      {"status + strategy + symbol + since", f([](ListFilter& x) {
         x.status = "completed";
         x.strategy = "strategy_001";
         x.symbols = {"S0/USDT"};
         x.since_micros = days_ago(365);
       })},
  };
}

// The secondary indexes of the catalog's tables (not those behind a constraint) as the
// migrations created them, in the run's schema: dropped for the fill and built again after it,
// since one CREATE INDEX over a million rows is many times faster than a million inserts into
// it (the GIN index above all). The tables end up as a migrated catalog that grew row by row.
constexpr const char* kSecondaryIndexes = R"(
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relnamespace = current_schema()::regnamespace
  AND t.relname IN ('backtest_results', 'backtest_result_symbols')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid))";

Status fill(catalog::Connection& conn, int64_t rows) {
  BTSTORE_ASSIGN_OR_RETURN(catalog::QueryResult indexes, conn.exec(kSecondaryIndexes));
  for (const auto& index : indexes.rows) {
    BTSTORE_RETURN_IF_ERROR(conn.exec_script("DROP INDEX " + index[0].value_or("")));
  }
  BTSTORE_RETURN_IF_ERROR(conn.exec_script("SELECT setseed(0.25)"));
  BTSTORE_RETURN_IF_ERROR(conn.exec(kFill, {std::to_string(rows)}).status());
  BTSTORE_RETURN_IF_ERROR(conn.exec_script("SET maintenance_work_mem = '256MB'"));
  for (const auto& index : indexes.rows) {
    BTSTORE_RETURN_IF_ERROR(conn.exec_script(index[1].value_or("")));
  }
  // The statistics and the visibility map, as autovacuum leaves them.
  BTSTORE_RETURN_IF_ERROR(vacuum(conn));
  // The fill's dirty pages written out now, not by a checkpoint during the timed calls; a role
  // that may not CHECKPOINT (PostgreSQL 15: superuser or pg_checkpoint) times them as they come.
  (void)conn.exec_script("CHECKPOINT");
  return Status::OK();
}

// A kept schema (--keep-schema) already filled with `rows` rows is used as it is (false).
Result<bool> fill_unless_kept(catalog::Connection& conn, int64_t rows) {
  BTSTORE_ASSIGN_OR_RETURN(catalog::QueryResult n,
                           conn.exec("SELECT count(*) FROM backtest_results"));
  std::string have = n.rows.at(0).at(0).value_or("0");
  if (have == std::to_string(rows)) return false;
  if (have != "0") {
    return Status::InvalidArgument("the kept schema holds " + have + " rows, not " +
                                   std::to_string(rows) + ": drop it or pick another");
  }
  BTSTORE_RETURN_IF_ERROR(fill(conn, rows));
  return true;
}

// The cursor after `depth` rows of the filter (untimed), or "" when fewer rows match.
Result<std::string> deep_cursor(ResultStorage& storage, ListFilter filter, int64_t depth) {
  filter.limit = depth;
  BTSTORE_ASSIGN_OR_RETURN(ListPage page, storage.list(filter));
  return page.next_cursor;
}

Result<std::vector<double>> time_list(ResultStorage& storage, const ListFilter& filter,
                                      int iterations) {
  std::vector<double> ms;
  for (int i = 0; i < iterations + iterations / 10; ++i) {
    auto start = Clock::now();
    BTSTORE_ASSIGN_OR_RETURN(ListPage page, storage.list(filter));
    if (i >= iterations / 10) ms.push_back(ms_since(start));  // the first tenth warms up
  }
  return ms;
}

}  // namespace

int run_list(const Options& options, int64_t rows, int iterations) {
  auto db = BenchDatabase::open(options, "list");
  if (!db.ok())
    return fmt::print(stderr, "btstore-bench-db list: {}\n", db.status().to_string()), 1;
  auto start = Clock::now();
  auto conn = bulk_connection(db->conninfo());  // in the run's schema
  Result<bool> filled = conn.ok() ? fill_unless_kept(*conn, rows) : conn.status();
  if (!filled.ok()) {
    return fmt::print(stderr, "btstore-bench-db list: fill: {}\n", filled.status().to_string()), 1;
  }
  double fill_s = ms_since(start) / 1000;
  StorageOptions so;
  so.database_url = db->conninfo();
  so.root = (options.work_dir / "list-store").string();
  auto storage = ResultStorage::open(so);
  if (!storage.ok()) {
    return fmt::print(stderr, "btstore-bench-db list: {}\n", storage.status().to_string()), 1;
  }
  int64_t depth = std::max<int64_t>(rows / 100, 100);
  Table t{
      fmt::format("list at {} catalog rows (limit 50; p50/p99 of {} calls, ms)", rows, iterations),
      {"filter", "first p50", "first p99", "deep p50", "deep p99", "deep page at row"},
      {},
      {}};
  double worst = 0;
  for (Case& c : cases()) {
    c.filter.limit = 50;
    auto first = time_list(**storage, c.filter, iterations);
    // As deep as the filter's rows allow: rows / 100, else 1,000, else 100 rows in.
    int64_t at = depth;
    auto cursor = deep_cursor(**storage, c.filter, at);
    while (cursor.ok() && cursor->empty() && at > 100) {
      at = at > 1000 ? 1000 : 100;
      cursor = deep_cursor(**storage, c.filter, at);
    }
    if (!first.ok() || !cursor.ok()) {
      fmt::print(stderr, "btstore-bench-db list: {}: {}\n", c.name,
                 (!first.ok() ? first.status() : cursor.status()).to_string());
      return 1;
    }
    std::vector<std::string> row = {c.name, fixed(percentile(*first, 0.5), 3),
                                    fixed(percentile(*first, 0.99), 3)};
    worst = std::max(worst, percentile(*first, 0.99));
    if (cursor->empty()) {
      row.insert(row.end(), {"-", "-", "fewer rows"});
    } else {
      ListFilter deep = c.filter;
      deep.after = *cursor;
      auto ms = time_list(**storage, deep, iterations);
      if (!ms.ok()) return fmt::print(stderr, "{}\n", ms.status().to_string()), 1;
      worst = std::max(worst, percentile(*ms, 0.99));
      row.insert(row.end(), {fixed(percentile(*ms, 0.5), 3), fixed(percentile(*ms, 0.99), 3),
                             std::to_string(at)});
    }
    t.rows.push_back(std::move(row));
  }
  t.notes.push_back(fmt::format("{}; {}. Highest p99: {:.3f} ms (target: under 2 ms).",
                                *filled
                                    ? fmt::format("Filled in {:.1f} s", fill_s)
                                    : "The kept schema " + options.keep_schema + ", filled before",
                                db->describe(), worst));
  t.print(options.json);
  return 0;
}

}  // namespace btstore::bench::db
