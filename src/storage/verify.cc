// verify: every completed row has its files, exact schemas, row counts equal to
// record_count and metadata.json, MD5s equal to the recorded etags and ordered
// timestamps; the store has no directory without a row and no leftovers.
#include <map>
#include <set>

#include "common/md5.h"
#include "convert/result_files.h"
#include "model/schema.h"
#include "storage/pg_result_storage.h"

namespace btstore::storage {
namespace {

Problem problem(std::string task_id, std::string kind, std::string detail) {
  return Problem{std::move(task_id), std::move(kind), std::move(detail), false};
}

std::string kind_for(const Status& st) {
  switch (st.code()) {
    case StatusCode::kNotFound: return "missing_files";
    case StatusCode::kCorruption: return "corrupt_file";
    case StatusCode::kNotSupported: return "unsupported_file";
    default: return "unreadable";
  }
}

}  // namespace

void PgResultStorage::verify_record(const catalog::CatalogRecord& record,
                                    std::vector<Problem>& problems) {
  if (!has_files(record)) return;  // a registered task has no files yet
  const std::string& id = record.task_id;
  std::map<std::string, std::string, std::less<>> md5_by_file;
  auto source = [&](std::string_view name, uint64_t max_bytes) {
    return files_->read(id, name, max_bytes);
  };
  auto on_file = [&](std::string_view name, std::string_view bytes) {
    md5_by_file[std::string(name)] = md5_hex(bytes);
  };
  model::Manifest manifest;
  auto result = convert::read_result(source, &manifest, on_file);
  if (!result.ok()) {
    problems.push_back(problem(id, kind_for(result.status()), result.status().message()));
    return;
  }
  int64_t total_bytes = 0;
  for (const auto& f : manifest.parquet_files) {
    std::string name = f.table + convert::kParquetSuffix;
    if (md5_by_file[name] != f.etag) {
      problems.push_back(problem(
          id, "etag",
          name + ": MD5 " + md5_by_file[name] + " differs from the recorded etag " + f.etag));
    }
    total_bytes += f.file_size_bytes;
  }
  if (manifest.header.task_id != id) {
    problems.push_back(
        problem(id, "manifest", "metadata.json names task " + manifest.header.task_id));
  }
  int64_t signals = static_cast<int64_t>(result->signals.num_rows());
  if (!record.record_count || *record.record_count != signals) {
    problems.push_back(problem(
        id, "row_count",
        "symbol_signals.parquet holds " + std::to_string(signals) +
            " rows, the catalog's record_count is " +
            (record.record_count ? std::to_string(*record.record_count) : std::string("null"))));
  }
  if (!record.file_size || *record.file_size != total_bytes) {
    problems.push_back(problem(
        id, "file_size",
        "the Parquet files total " + std::to_string(total_bytes) + " bytes, the catalog records " +
            (record.file_size ? std::to_string(*record.file_size) : std::string("null"))));
  }
}

Status PgResultStorage::verify_store(const VerifyOptions& options, std::vector<Problem>& problems) {
  std::set<std::string> rows;
  BTSTORE_RETURN_IF_ERROR(catalog_.for_each([&](const catalog::CatalogRecord& r) {
    // A registered task's row does not own a directory: one there is a leftover.
    if (has_files(r)) rows.insert(r.task_id);
    verify_record(r, problems);
    return Status::OK();
  }));
  BTSTORE_ASSIGN_OR_RETURN(std::vector<filestore::Entry> entries, files_->entries());
  using Kind = filestore::Entry::Kind;
  for (const auto& e : entries) {
    Problem p;
    if (e.kind == Kind::kResult && rows.count(e.name) == 0) {
      p = problem(e.name, "orphan_dir",
                  "backtests/" + e.name + "/ belongs to no saved result in the catalog");
    } else if (e.kind == Kind::kStaging) {
      p = problem("", "leftover_staging", "backtests/" + e.name + " (an interrupted save)");
    } else if (e.kind == Kind::kTrash) {
      p = problem("", "leftover_trash", "backtests/" + e.name + " (an interrupted delete)");
    } else if (e.kind == Kind::kUnknown) {
      p = problem("", "unknown_entry", "backtests/" + e.name + " is not btstore's");
    } else {
      continue;
    }
    bool young = e.age_seconds < options.grace.count() && e.kind != Kind::kTrash;
    if (options.repair && e.kind != Kind::kUnknown) {
      if (young) {
        p.detail += "; left alone: younger than the grace period, a save may be in flight";
      } else {
        Status st = files_->remove_entry(e);
        p.repaired = st.ok();
        if (st.ok()) {
          p.detail += "; removed";
        } else {
          p.detail += "; could not remove: " + st.message();
        }
      }
    }
    problems.push_back(std::move(p));
  }
  return Status::OK();
}

Result<std::vector<Problem>> PgResultStorage::verify(const VerifyOptions& options) {
  std::lock_guard lock(mu_);
  std::vector<Problem> problems;
  if (options.task_ids.empty()) {
    BTSTORE_RETURN_IF_ERROR(verify_store(options, problems));
  } else {
    for (const auto& task_id : options.task_ids) {
      BTSTORE_ASSIGN_OR_RETURN(std::string id, checked_task_id(task_id));
      auto record = catalog_.get(id);
      if (!record.ok()) {
        if (record.status().code() != StatusCode::kNotFound) return record.status();
        problems.push_back(problem(id, "no_row", "no catalog row for task " + id));
        continue;
      }
      verify_record(*record, problems);
    }
  }
  if (options.repair) {
    // A completed row whose files are gone cannot be served: remove the row so
    // that the store is consistent again (the loss is reported, not hidden).
    for (auto& p : problems) {
      if (p.kind != "missing_files" || p.repaired) continue;
      auto removed = catalog_.remove(p.task_id);
      p.repaired = removed.ok();
      p.detail += removed.ok() ? "; catalog row removed" : "; could not remove the row";
    }
  }
  return problems;
}

}  // namespace btstore::storage
