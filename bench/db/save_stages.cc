// Where one save's time goes: the stages of ResultStorage::save_result run one after the other
// by hand (read the file, parse + validate, encode, stage the files durably, the catalog
// statements up to the publish, publish, COMMIT), each timed on its own, with the statements
// the storage sends. The storage runs the catalog's statements up to the INSERT while the
// files are staged, so a save takes less than the sum. Then the part after encode runs twice more
// on the same bytes, alternating: serial (one fsync per file, then the catalog, as saves were
// before) and overlapped (as ResultStorage saves now), so that the machine's load of the
// moment weighs on both alike.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <thread>

#include "bench_db.h"
#include "catalog/catalog.h"
#include "catalog/task_commit.h"
#include "catalog/task_locks.h"
#include "common/file_util.h"
#include "common/uuid.h"
#include "convert/result_files.h"
#include "filestore/file_store.h"
#include "json/input_limits.h"
#include "storage/pg_result_storage.h"

namespace btstore::bench::db {
namespace {

constexpr const char* kStages[] = {
    "read the JSON file",          "parse + validate",         "encode (3 Parquet + metadata)",
    "stage files (write + fsync)", "catalog: BEGIN .. INSERT", "publish (rename + fsync)",
    "COMMIT (WAL flush)"};
constexpr size_t kStageCount = std::size(kStages);
// The files + catalog part (after encode) as a whole, two ways, alternating on the same bytes.
constexpr size_t kSerial = kStageCount, kOverlapped = kStageCount + 1;

catalog::CatalogRecord record_of(const model::BacktestResult& result, const std::string& id) {
  catalog::CatalogRecord r;
  r.task_id = id;
  r.strategy = result.header.strategy;
  r.symbols = result.summary.symbol.values;
  r.start_date = result.header.start_date;
  r.end_date = result.header.end_date;
  r.timeframe = result.header.timeframe;
  r.status = result.header.status;
  r.parquet_path = filestore::FileStore::relative_path(id);
  r.metadata_json = result.header.metadata_json;
  return r;
}

// The save path as it was: one fsync per file, then the catalog (BEGIN, lock, SELECT ... FOR
// UPDATE, INSERT), publish, the transaction id, COMMIT.
Status serial_files_and_row(const std::filesystem::path& root, const catalog::CatalogRecord& r,
                            const std::vector<filestore::FileContent>& contents,
                            catalog::Catalog& catalog) {
  auto staged = root / "backtests" / ".staging" / (r.task_id + ".x");
  BTSTORE_RETURN_IF_ERROR(make_directories(staged));
  for (const auto& f : contents) {
    BTSTORE_RETURN_IF_ERROR(write_file_synced(staged / f.name, f.bytes));
  }
  BTSTORE_RETURN_IF_ERROR(fsync_directory(staged));
  BTSTORE_RETURN_IF_ERROR(catalog.begin());
  BTSTORE_RETURN_IF_ERROR(catalog::lock_task_for_transaction(catalog.connection(), r.task_id));
  if (catalog.get(r.task_id, catalog::RowLock::kForUpdate).ok()) {
    return Status::Internal("unexpected row");
  }
  BTSTORE_RETURN_IF_ERROR(catalog.insert(r).status());
  auto target = root / "backtests" / r.task_id;
  if (::rename(staged.c_str(), target.c_str()) != 0) return errno_status("rename", staged, errno);
  BTSTORE_RETURN_IF_ERROR(fsync_directory(root / "backtests"));
  return catalog::commit_task(catalog, r.task_id).status;
}

// As ResultStorage saves now: the row's statements on another thread while the files are
// staged (written, then fdatasync'd together), publish, COMMIT with the id the INSERT returned.
Status overlapped_files_and_row(filestore::FileStore& files, const catalog::CatalogRecord& r,
                                const std::vector<filestore::FileContent>& contents,
                                catalog::Catalog& catalog) {
  std::string txid;
  Status row;
  std::thread statements([&] {
    row = catalog.begin();
    if (row.ok()) row = catalog::lock_task_for_transaction(catalog.connection(), r.task_id);
    if (row.ok()) row = catalog.insert_if_absent(r, &txid).status();
  });
  auto staged = files.stage(r.task_id, contents);
  statements.join();
  BTSTORE_RETURN_IF_ERROR(staged.status());
  BTSTORE_RETURN_IF_ERROR(row);
  filestore::Staged replaced;
  BTSTORE_RETURN_IF_ERROR(files.publish(*staged, /*replace=*/true, &replaced));
  return catalog::commit_task(catalog, r.task_id, txid).status;
}

Status one_save(const std::filesystem::path& file, const std::filesystem::path& root, bool odd,
                catalog::Catalog& catalog, std::vector<std::vector<double>>& ms) {
  auto files = filestore::open_local_file_store(root.string());
  auto t = Clock::now();
  auto lap = [&](size_t stage) {
    ms[stage].push_back(ms_since(t));
    t = Clock::now();
  };
  BTSTORE_ASSIGN_OR_RETURN(std::string json, btstore::read_file(file, uint64_t{1} << 31));
  lap(0);
  ConvertOptions convert;
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result,
                           json::parse_result(json, json::input_limits(convert)));
  lap(1);
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded, convert::encode_result(result, convert));
  lap(2);
  std::vector<filestore::FileContent> contents;
  for (const auto& f : encoded.files) contents.push_back({f.name, f.bytes});
  const std::string& id = result.header.task_id;
  BTSTORE_ASSIGN_OR_RETURN(filestore::Staged staged, files->stage(id, contents));
  lap(3);
  catalog::CatalogRecord r = record_of(result, id);
  BTSTORE_RETURN_IF_ERROR(catalog.begin());
  BTSTORE_RETURN_IF_ERROR(catalog::lock_task_for_transaction(catalog.connection(), id));
  std::string txid;
  BTSTORE_RETURN_IF_ERROR(catalog.insert_if_absent(r, &txid).status());
  lap(4);
  filestore::Staged replaced;
  BTSTORE_RETURN_IF_ERROR(files->publish(staged, /*replace=*/true, &replaced));
  lap(5);
  BTSTORE_RETURN_IF_ERROR(catalog::commit_task(catalog, id, txid).status);
  lap(6);
  // The same bytes under two fresh task ids, the two ways in turn (the first one alternates).
  for (int k = 0; k < 2; ++k) {
    const bool serial = (k == 0) != odd;
    t = Clock::now();
    BTSTORE_RETURN_IF_ERROR(
        serial
            ? serial_files_and_row(root, record_of(result, generate_uuid_v4()), contents, catalog)
            : overlapped_files_and_row(*files, record_of(result, generate_uuid_v4()), contents,
                                       catalog));
    lap(serial ? kSerial : kOverlapped);
  }
  return Status::OK();
}

}  // namespace

Result<Table> save_stages(const Options& options, const std::vector<std::filesystem::path>& inputs,
                          int count) {
  // A schema of its own: the end-to-end runs saved these task ids already.
  BTSTORE_ASSIGN_OR_RETURN(BenchDatabase db, BenchDatabase::open(options, "stages"));
  BTSTORE_ASSIGN_OR_RETURN(catalog::Connection conn, catalog::Connection::open(db.conninfo()));
  catalog::Catalog catalog(std::move(conn));
  std::filesystem::path root = options.work_dir / "stages-store";
  std::vector<std::vector<double>> ms(kStageCount + 2);
  count = std::min<int>(count, static_cast<int>(inputs.size()));
  for (int i = 0; i < count; ++i) {
    BTSTORE_RETURN_IF_ERROR(one_save(inputs[i], root, i % 2 == 1, catalog, ms));
  }
  Table t{fmt::format("where a save's time goes ({} saves, stages run one after another)", count),
          {"stage", "mean ms", "p50 ms", "p99 ms"},
          {},
          {}};
  double total = 0;
  auto row = [&](const std::string& name, size_t s) {
    double sum = 0;
    for (double v : ms[s]) sum += v;
    double mean = ms[s].empty() ? 0 : sum / static_cast<double>(ms[s].size());
    t.rows.push_back({name, fixed(mean, 2), fixed(percentile(ms[s], 0.5), 2),
                      fixed(percentile(ms[s], 0.99), 2)});
    return mean;
  };
  for (size_t s = 0; s < kStageCount; ++s) total += row(kStages[s], s);
  t.rows.push_back({"sum of the stages", fixed(total, 2), "-", "-"});
  row("files + catalog, serial (6 fsyncs in turn, 6 round trips)", kSerial);
  row("files + catalog, overlapped (as saved now)", kOverlapped);
  return t;
}

}  // namespace btstore::bench::db
