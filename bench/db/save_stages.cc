// Where one save's time goes: the stages of ResultStorage::save_result run one after the other
// by hand (read the file, parse + validate, encode, create the staging directory and files,
// write and sync them, the catalog statements up to the publish, publish, COMMIT), each timed on
// its own, with the statements the storage sends. The storage overlaps them, so a save takes
// less than the sum. Then the part from encode on runs three more times on the same bytes under
// fresh task ids, in an order that rotates, so that the machine's load of the moment weighs on
// each alike: serial (encode, one fsync per file, then the catalog), overlapped (encode, then
// the files staged while the statements travel: the save path before) and pipelined (as
// ResultStorage saves now: the encoding runs beside creating the files and BEGIN, then the
// writing and syncing beside the INSERT).
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
#include "model/manifest.h"
#include "model/schema.h"
#include "storage/background_thread.h"
#include "storage/pg_result_storage.h"

namespace btstore::bench::db {
namespace {

constexpr const char* kStages[] = {"read the JSON file",
                                   "parse + validate",
                                   "encode (3 Parquet + metadata)",
                                   "create the staging directory and files",
                                   "write + fsync the files and directory",
                                   "catalog: BEGIN .. INSERT",
                                   "publish (rename + fsync)",
                                   "COMMIT (WAL flush)"};
constexpr size_t kStageCount = std::size(kStages);
// Encode + files + catalog as a whole, three ways, in rotating order on the same bytes.
constexpr size_t kSerial = kStageCount, kOverlapped = kStageCount + 1, kPipelined = kStageCount + 2;

std::vector<filestore::FileContent> contents_of(const convert::EncodedResult& encoded) {
  std::vector<filestore::FileContent> contents;
  for (const auto& f : encoded.files) contents.push_back({f.name, f.bytes});
  return contents;
}

std::vector<std::string> file_names() {
  std::vector<std::string> names;
  for (model::TableKind kind : model::kAllTables) {
    names.push_back(std::string(model::table_name(kind)) + convert::kParquetSuffix);
  }
  names.emplace_back(model::kManifestFileName);
  return names;
}

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
Status serial_files_and_row(const std::filesystem::path& root, const model::BacktestResult& result,
                            const catalog::CatalogRecord& r, catalog::Catalog& catalog) {
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded, convert::encode_result(result, {}));
  std::vector<filestore::FileContent> contents = contents_of(encoded);
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

// The save path before: encode, then the row's statements on another thread while the files are
// staged (written, then fdatasync'd together), publish, COMMIT with the id the INSERT returned.
Status overlapped_files_and_row(filestore::FileStore& files, const model::BacktestResult& result,
                                const catalog::CatalogRecord& r, catalog::Catalog& catalog) {
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded, convert::encode_result(result, {}));
  std::vector<filestore::FileContent> contents = contents_of(encoded);
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

// As ResultStorage saves now (src/storage/pg_save.cc): the encoding on the background thread
// while this one creates the staging directory and files and sends BEGIN and the lock; then the
// INSERT on the background thread while this one writes and syncs the files; publish, COMMIT.
Status pipelined_files_and_row(filestore::FileStore& files, const model::BacktestResult& result,
                               const catalog::CatalogRecord& r, catalog::Catalog& catalog,
                               storage::BackgroundThread& background) {
  Result<convert::EncodedResult> encoded = Status::Internal("not encoded");
  auto encoding = background.run([&] {
    encoded = convert::encode_result(result, {});
    return encoded.status();
  });
  auto pending = files.begin_stage(r.task_id, file_names());
  Status begun = catalog.begin();
  if (begun.ok()) begun = catalog::lock_task_for_transaction(catalog.connection(), r.task_id);
  BTSTORE_RETURN_IF_ERROR(encoding.get());
  BTSTORE_RETURN_IF_ERROR(pending.status());
  BTSTORE_RETURN_IF_ERROR(begun);
  std::string txid;
  auto row = background.run([&] { return catalog.insert_if_absent(r, &txid).status(); });
  auto staged = (*pending)->finish(contents_of(*encoded));
  BTSTORE_RETURN_IF_ERROR(row.get());
  BTSTORE_RETURN_IF_ERROR(staged.status());
  filestore::Staged replaced;
  BTSTORE_RETURN_IF_ERROR(files.publish(*staged, /*replace=*/true, &replaced));
  return catalog::commit_task(catalog, r.task_id, txid).status;
}

Status one_save(const std::filesystem::path& file, const std::filesystem::path& root, int turn,
                catalog::Catalog& catalog, storage::BackgroundThread& background,
                std::vector<std::vector<double>>& ms) {
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
  const std::string& id = result.header.task_id;
  BTSTORE_ASSIGN_OR_RETURN(auto pending, files->begin_stage(id, file_names()));
  lap(3);
  BTSTORE_ASSIGN_OR_RETURN(filestore::Staged staged, pending->finish(contents_of(encoded)));
  lap(4);
  catalog::CatalogRecord r = record_of(result, id);
  BTSTORE_RETURN_IF_ERROR(catalog.begin());
  BTSTORE_RETURN_IF_ERROR(catalog::lock_task_for_transaction(catalog.connection(), id));
  std::string txid;
  BTSTORE_RETURN_IF_ERROR(catalog.insert_if_absent(r, &txid).status());
  lap(5);
  filestore::Staged replaced;
  BTSTORE_RETURN_IF_ERROR(files->publish(staged, /*replace=*/true, &replaced));
  lap(6);
  BTSTORE_RETURN_IF_ERROR(catalog::commit_task(catalog, id, txid).status);
  lap(7);
  // The same result under three fresh task ids, the three ways in an order that rotates.
  for (int k = 0; k < 3; ++k) {
    const size_t way = kSerial + static_cast<size_t>((k + turn) % 3);
    catalog::CatalogRecord fresh = record_of(result, generate_uuid_v4());
    t = Clock::now();
    Status st = way == kSerial ? serial_files_and_row(root, result, fresh, catalog)
                : way == kOverlapped
                    ? overlapped_files_and_row(*files, result, fresh, catalog)
                    : pipelined_files_and_row(*files, result, fresh, catalog, background);
    BTSTORE_RETURN_IF_ERROR(st);
    lap(way);
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
  std::vector<std::vector<double>> ms(kStageCount + 3);
  storage::BackgroundThread background;
  count = std::min<int>(count, static_cast<int>(inputs.size()));
  for (int i = 0; i < count; ++i) {
    BTSTORE_RETURN_IF_ERROR(one_save(inputs[i], root, i % 3, catalog, background, ms));
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
  row("encode + files + catalog, serial (6 fsyncs in turn, 6 round trips)", kSerial);
  row("encode + files + catalog, files beside the statements (the save path before)", kOverlapped);
  row("encode + files + catalog, pipelined (as saved now)", kPipelined);
  return t;
}

}  // namespace btstore::bench::db
