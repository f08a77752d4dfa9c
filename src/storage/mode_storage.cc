#include "storage/mode_storage.h"

#include <algorithm>

#include "json/input_limits.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "storage/legacy_reads.h"
#include "storage/pg_result_storage.h"

namespace btstore {

std::string_view storage_mode_name(StorageMode mode) {
  switch (mode) {
    case StorageMode::kJson: return "json";
    case StorageMode::kDual: return "dual";
    case StorageMode::kParquet: return "parquet";
    case StorageMode::kArchive: return "archive";
  }
  return "parquet";
}

Result<StorageMode> parse_storage_mode(std::string_view name) {
  for (StorageMode m :
       {StorageMode::kJson, StorageMode::kDual, StorageMode::kParquet, StorageMode::kArchive}) {
    if (name == storage_mode_name(m)) return m;
  }
  return Status::InvalidArgument("'" + std::string(name) +
                                 "' is not a storage mode (json, dual, parquet or archive)");
}

namespace storage {
namespace {

class ModeStorage final : public ResultStorage {
 public:
  ModeStorage(StorageMode mode, std::unique_ptr<StoredReader> pg,
              std::unique_ptr<legacy::LegacyStore> legacy, const ConvertOptions& convert)
      : mode_(mode),
        pg_(std::move(pg)),
        legacy_(std::move(legacy)),
        limits_(json::input_limits(convert)) {}

  Result<PreparedSave> prepare_save(std::string_view json) override {
    if (mode_ == StorageMode::kParquet || mode_ == StorageMode::kArchive) {
      return pg().prepare_save(json);
    }
    // Parsed once here: the task_id (generated when missing) must be the same on both sides.
    BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, json::parse_result(json, limits_));
    return PreparedSave(std::move(result));
  }

  Result<std::string> save_prepared(PreparedSave prepared, bool replace) override {
    if (mode_ == StorageMode::kParquet || mode_ == StorageMode::kArchive) {
      return pg().save_prepared(std::move(prepared), replace);
    }
    const model::BacktestResult& result = prepared.result();
    const std::string id = result.header.task_id;
    BTSTORE_ASSIGN_OR_RETURN(std::vector<legacy::LegacyFile> copies, legacy_->find(id));
    if (!copies.empty() && !replace) {
      return Status::AlreadyExists("task " + id + " is already saved in the legacy store (" +
                                   copies[0].relative + "); use --replace to overwrite it");
    }
    BTSTORE_ASSIGN_OR_RETURN(std::string staged, legacy_->stage(id, json::write_result(result, 2)));
    Status st = mode_ == StorageMode::kDual ? dual_save(staged, result, replace)
                                            : legacy_->publish(staged, id, replace);
    if (!st.ok()) {
      (void)legacy_->discard(staged);
      return st;
    }
    // The new file is {root}/{id}.json; older copies elsewhere would shadow nothing
    // but would make the task_id ambiguous.
    for (const auto& c : copies) {
      if (c.relative != id + ".json") (void)legacy_->remove(c);
    }
    return id;
  }

  Result<std::string> register_running(const RunningTask& task) override {
    if (!pg_) return json_unsupported("register");
    return pg().register_running(task);
  }
  Status mark_failed(std::string_view task_id, std::string_view error) override {
    if (!pg_) return json_unsupported("fail");
    return pg().mark_failed(task_id, error);
  }

  Result<std::string> get_result(std::string_view task_id) override {
    if (pg_) {
      auto r = pg().get_result(task_id);
      if (!falls_back(r.status())) return r;
    }
    BTSTORE_ASSIGN_OR_RETURN(LegacyHit hit, load_legacy(*legacy_, std::string(task_id)));
    return hit.loaded.canonical;
  }

  Result<ResultEntry> get_entry(std::string_view task_id) override {
    if (pg_) {
      auto r = pg().get_entry(task_id);
      if (!falls_back(r.status())) return r;
    }
    BTSTORE_ASSIGN_OR_RETURN(LegacyHit hit, load_legacy(*legacy_, std::string(task_id)));
    return legacy_entry(hit);
  }

  Result<std::vector<SymbolSummary>> get_summary(std::string_view task_id) override {
    if (pg_) {
      auto r = pg().get_summary(task_id);
      if (!falls_back(r.status())) return r;
    }
    BTSTORE_ASSIGN_OR_RETURN(LegacyHit hit, load_legacy(*legacy_, std::string(task_id)));
    return summary_rows(hit.loaded.result);
  }

  Result<ListPage> list(const ListFilter& filter) override;

  Status delete_result(std::string_view task_id) override {
    Status pg_status = Status::NotFound("no result with task id " + std::string(task_id));
    if (pg_) {
      pg_status = pg().delete_result(task_id);
      if (!pg_status.ok() && pg_status.code() != StatusCode::kNotFound) return pg_status;
    }
    if (!writes_legacy_deletes()) return pg_status;
    // Also the legacy copies, or a read would fall back to them and bring the
    // deleted result back.
    BTSTORE_ASSIGN_OR_RETURN(size_t removed, remove_legacy(std::string(task_id)));
    return removed > 0 ? Status::OK() : pg_status;
  }

  Result<std::vector<RemovedResult>> cleanup(const CleanupOptions& options) override {
    if (!pg_) return json_unsupported("cleanup");
    BTSTORE_ASSIGN_OR_RETURN(auto removed, pg().cleanup(options));
    if (!options.dry_run && writes_legacy_deletes()) {
      for (const auto& r : removed) BTSTORE_RETURN_IF_ERROR(remove_legacy(r.task_id).status());
    }
    return removed;
  }

  Result<std::vector<Problem>> verify(const VerifyOptions& options) override {
    if (!pg_) return json_unsupported("verify");
    return pg().verify(options);
  }

 private:
  ResultStorage& pg() { return pg_->storage(); }

  // A read of PostgreSQL + Parquet that found nothing goes to the legacy store.
  bool falls_back(const Status& st) const {
    return st.code() == StatusCode::kNotFound && legacy_ && mode_ != StorageMode::kArchive;
  }
  bool writes_legacy_deletes() const { return legacy_ && mode_ != StorageMode::kArchive; }

  static Status json_unsupported(std::string_view what) {
    return Status::NotSupported(std::string(what) +
                                " needs the PostgreSQL catalog, which json mode does not use; "
                                "run it with --mode dual or --mode parquet");
  }

  Status dual_save(const std::string& staged, const model::BacktestResult& result, bool replace);
  Result<size_t> remove_legacy(const std::string& task_id);

  StorageMode mode_;
  std::unique_ptr<StoredReader> pg_;
  std::unique_ptr<legacy::LegacyStore> legacy_;
  json::InputLimits limits_;
};

Status ModeStorage::dual_save(const std::string& staged, const model::BacktestResult& result,
                              bool replace) {
  const std::string& id = result.header.task_id;
  // What a replace overwrites, to put back if the JSON side then fails.
  std::optional<StoredResult> previous;
  if (replace) {
    BTSTORE_ASSIGN_OR_RETURN(previous, pg_->read(id));
  }
  auto saved = pg().save_result(json::write_result(result, 0), replace);
  if (!saved.ok()) return saved.status();
  Status st = legacy_->publish(staged, id, replace);
  if (st.ok()) return st;
  Status undo =
      previous ? pg().save_result(previous->canonical, true).status() : pg().delete_result(id);
  if (!undo.ok()) {
    return undo.with_context(st.to_string() + "; then undoing the PostgreSQL + Parquet save of " +
                             id + " failed (run `btstore verify`)");
  }
  return st.with_context("the result was not saved on either side");
}

Result<size_t> ModeStorage::remove_legacy(const std::string& task_id) {
  BTSTORE_ASSIGN_OR_RETURN(std::vector<legacy::LegacyFile> files, legacy_->find(task_id));
  for (const auto& f : files) BTSTORE_RETURN_IF_ERROR(legacy_->remove(f));
  return files.size();
}

Result<ListPage> ModeStorage::list(const ListFilter& filter) {
  if (!pg_) {
    BTSTORE_ASSIGN_OR_RETURN(
        auto entries, list_legacy(*legacy_, filter, [](const ResultEntry&) { return true; }));
    ListPage page;
    page.entries = std::move(entries);
    if (static_cast<int64_t>(page.entries.size()) > filter.limit) {
      page.entries.resize(static_cast<size_t>(filter.limit));
      page.next_cursor = cursor_of(page.entries.back());
    }
    return page;
  }
  BTSTORE_ASSIGN_OR_RETURN(ListPage page, pg().list(filter));
  if (!legacy_ || mode_ == StorageMode::kArchive) return page;
  // Legacy results not yet in the catalog join the page in the same order, with
  // the same keyset cursor, so paging stays without gaps or duplicates.
  auto in_catalog = [this](const ResultEntry& e) {
    return pg().get_entry(e.task_id).status().code() != StatusCode::kNotFound;
  };
  BTSTORE_ASSIGN_OR_RETURN(
      auto legacy_only,
      list_legacy(*legacy_, filter, [&](const ResultEntry& e) { return !in_catalog(e); }));
  bool more = !page.next_cursor.empty() || static_cast<int64_t>(legacy_only.size()) > filter.limit;
  std::vector<ResultEntry> merged = std::move(page.entries);
  for (auto& e : legacy_only) merged.push_back(std::move(e));
  std::sort(merged.begin(), merged.end(), newer_than);
  ListPage out;
  if (static_cast<int64_t>(merged.size()) > filter.limit) {
    merged.resize(static_cast<size_t>(filter.limit));
    more = true;
  }
  out.entries = std::move(merged);
  if (more && !out.entries.empty()) out.next_cursor = cursor_of(out.entries.back());
  return out;
}

}  // namespace

std::unique_ptr<ResultStorage> make_mode_storage(StorageMode mode, std::unique_ptr<StoredReader> pg,
                                                 std::unique_ptr<legacy::LegacyStore> legacy,
                                                 const ConvertOptions& convert) {
  return std::make_unique<ModeStorage>(mode, std::move(pg), std::move(legacy), convert);
}

Result<std::unique_ptr<ResultStorage>> open_with_mode(const StorageOptions& options) {
  const bool needs_legacy =
      options.mode == StorageMode::kJson || options.mode == StorageMode::kDual;
  if (needs_legacy && options.legacy_dir.empty()) {
    return Status::InvalidArgument("--mode " + std::string(storage_mode_name(options.mode)) +
                                   " needs the legacy JSON directory: give --legacy-dir DIR or "
                                   "set BTSTORE_LEGACY_DIR");
  }
  std::unique_ptr<legacy::LegacyStore> legacy;
  if (!options.legacy_dir.empty() && options.mode != StorageMode::kArchive) {
    legacy = std::make_unique<legacy::LegacyStore>(options.legacy_dir);
  }
  if (options.mode == StorageMode::kJson)
    return make_mode_storage(options.mode, nullptr, std::move(legacy), options.convert);
  if (!legacy) return open_with_file_store(options, nullptr);
  BTSTORE_ASSIGN_OR_RETURN(auto pg, StoredReader::open(options));
  return make_mode_storage(options.mode, std::move(pg), std::move(legacy), options.convert);
}

}  // namespace storage
}  // namespace btstore
