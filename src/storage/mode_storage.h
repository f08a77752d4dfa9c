// ResultStorage in one of the migration's modes (docs/migration.md), as a
// decorator: the PostgreSQL + Parquet storage stays unchanged and this one
// decides which side each call goes to.
//
//   mode     writes                         reads
//   json     legacy JSON only               legacy JSON
//   dual     PostgreSQL+Parquet and JSON    PostgreSQL+Parquet, falling back to JSON
//   parquet  PostgreSQL+Parquet             PostgreSQL+Parquet, falling back to JSON
//   archive  PostgreSQL+Parquet             PostgreSQL+Parquet (JSON never touched)
//
// Dual save, both or neither: stage the JSON file (hidden, durable) -> save to
// PostgreSQL + Parquet -> rename the JSON file into place. A failed save
// discards the staged file; a failed rename undoes the save (deletes the new
// result, or puts back the replaced one).
#pragma once

#include <memory>

#include "btstore/storage.h"
#include "legacy/legacy_store.h"
#include "storage/stored_reader.h"

namespace btstore::storage {

// ResultStorage::open(): the plain PostgreSQL + Parquet storage in parquet mode
// without a legacy directory, a ModeStorage otherwise.
Result<std::unique_ptr<ResultStorage>> open_with_mode(const StorageOptions& options);

// The decorator from its parts (tests pass a LegacyStore that fails on demand).
// `pg` is null in json mode; `legacy` may be null in parquet and archive modes.
// `convert` gives the limits of the JSON documents that json and dual modes parse.
std::unique_ptr<ResultStorage> make_mode_storage(StorageMode mode, std::unique_ptr<StoredReader> pg,
                                                 std::unique_ptr<legacy::LegacyStore> legacy,
                                                 const ConvertOptions& convert = {});

}  // namespace btstore::storage
