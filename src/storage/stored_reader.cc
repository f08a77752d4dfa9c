#include "storage/stored_reader.h"

#include <algorithm>

#include "catalog/config.h"
#include "convert/result_files.h"
#include "json/result_writer.h"
#include "storage/pg_result_storage.h"

namespace btstore::storage {

Result<std::unique_ptr<StoredReader>> StoredReader::open(StorageOptions options) {
  options.mode = StorageMode::kParquet;
  options.legacy_dir.clear();
  BTSTORE_ASSIGN_OR_RETURN(catalog::DatabaseConfig config,
                           catalog::resolve_database_config(options));
  BTSTORE_ASSIGN_OR_RETURN(std::unique_ptr<ResultStorage> storage,
                           storage::open_with_file_store(options, nullptr));
  return std::unique_ptr<StoredReader>(
      new StoredReader(std::move(storage), filestore::open_local_file_store(config.root.string())));
}

Result<std::optional<StoredResult>> StoredReader::read(const std::string& task_id) {
  auto entry = storage_->get_entry(task_id);
  if (!entry.ok()) {
    if (entry.status().code() == StatusCode::kNotFound) return std::optional<StoredResult>();
    return entry.status();
  }
  if (!entry->file_size) return std::optional<StoredResult>();  // registered, no files yet
  auto source = [&](std::string_view name, uint64_t max_bytes) {
    return files_->read(task_id, name, max_bytes);
  };
  constexpr size_t kEveryCore = 0;
  auto model = convert::read_result(source, nullptr, {}, kEveryCore);
  if (!model.ok()) return model.status().with_context("saved result " + entry->parquet_path);
  std::string text;
  BTSTORE_RETURN_IF_ERROR(
      json::write_result_to(*model, 0, kEveryCore, [&text](std::string_view piece) {
        text.append(piece);
        return Status::OK();
      }));
  return std::optional<StoredResult>(StoredResult{std::move(text), *entry->file_size});
}

std::string first_difference(const std::string& a, const std::string& b) {
  size_t i = std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin()).first -
             a.begin();
  auto excerpt = [i](const std::string& s) {
    size_t from = i > 30 ? i - 30 : 0;
    return s.substr(from, 60);
  };
  return "first difference at byte " + std::to_string(i) + " of the canonical JSON: saved '" +
         excerpt(a) + "', legacy '" + excerpt(b) + "'";
}

}  // namespace btstore::storage
