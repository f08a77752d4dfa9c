// Reading results from a legacy JSON store in the shapes ResultStorage gives:
// the document, the catalog-like entry, the summary rows and filtered pages.
// Used by ModeStorage (json mode, and the fallback of dual and parquet modes).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "btstore/storage.h"
#include "legacy/legacy_store.h"

namespace btstore::storage {

struct LegacyHit {
  legacy::LegacyFile file;
  legacy::LoadedResult loaded;
};

// The first file named after `task_id` that loads. NotFound when none exists;
// the load error when every such file is invalid.
Result<LegacyHit> load_legacy(const legacy::LegacyStore& store, const std::string& task_id);

// created_at and updated_at are the file's modification time; parquet_path is
// empty; file_size is the file's size on disk.
ResultEntry legacy_entry(const LegacyHit& hit);

std::vector<SymbolSummary> summary_rows(const model::BacktestResult& result);

// Every valid legacy result matching `filter` (status, strategy, symbols,
// since/until on the file time) after its cursor, newest first, for which
// `keep` says yes, at most filter.limit + 1 of them. Invalid files are left out.
Result<std::vector<ResultEntry>> list_legacy(const legacy::LegacyStore& store,
                                             const ListFilter& filter,
                                             const std::function<bool(const ResultEntry&)>& keep);

// The keyset cursor of an entry (the catalog's format).
std::string cursor_of(const ResultEntry& entry);
// (created_at, task_id) order, newest first.
bool newer_than(const ResultEntry& a, const ResultEntry& b);

}  // namespace btstore::storage
