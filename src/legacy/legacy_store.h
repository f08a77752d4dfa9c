// The legacy JSON store: one BacktestResult document per task, named
// `{task_id}.json` or `{task_id}.json.gz`, anywhere below a root directory.
// See docs/migration.md.
//
// Rules (decided here, documented there):
// - Files and directories whose name starts with '.' are skipped: they are
//   temporary files of the atomic writer below and tool indexes.
// - The task_id is the document's own; when the document has none, the file
//   name's (which must then be a UUID). A document whose task_id differs from a
//   UUID file name is refused: the old system served it under the file name,
//   the document says otherwise, and guessing could lose a result.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "model/result.h"

namespace btstore::legacy {

// Refuse documents larger than this once decompressed (1 GiB).
inline constexpr uint64_t kMaxDocumentBytes = uint64_t{1} << 30;

struct LegacyFile {
  std::string relative;  // below the root, '/'-separated: "2024/01/<id>.json.gz"
  std::string stem;      // the name without ".json" / ".json.gz"
  bool gzip = false;
  uint64_t size = 0;         // bytes on disk
  int64_t mtime_micros = 0;  // last modification, UTC
};

struct LoadedResult {
  model::BacktestResult result;  // header.task_id resolved by the rules above
  std::string canonical;         // json::write_result(result): equal texts <=> equal results
};

class LegacyStore {
 public:
  explicit LegacyStore(std::filesystem::path root) : root_(std::move(root)) {}
  virtual ~LegacyStore() = default;

  const std::filesystem::path& root() const { return root_; }

  // Every result file below the root, sorted by `relative`. NotFound when the
  // root does not exist.
  Result<std::vector<LegacyFile>> scan() const;

  // The files named after `task_id`: the root's own first, then any below it.
  Result<std::vector<LegacyFile>> find(std::string_view task_id) const;

  // The document's text, decompressed.
  Result<std::string> read_text(const LegacyFile& file) const;

  // Reads, validates and resolves the task_id. Errors start with the file.
  Result<LoadedResult> load(const LegacyFile& file) const;

  // Writing `{root}/{task_id}.json` in two steps, so that dual mode can undo:
  // stage() writes a hidden temporary file durably; publish() renames it into
  // place (refusing an existing file unless `replace`) and syncs the directory;
  // discard() removes a staged file.
  virtual Result<std::string> stage(std::string_view task_id, std::string_view json);
  virtual Status publish(const std::string& staged, std::string_view task_id, bool replace);
  virtual Status discard(const std::string& staged);

  // Removes one file (durably).
  virtual Status remove(const LegacyFile& file);

  std::filesystem::path path_of(const LegacyFile& file) const { return root_ / file.relative; }

 private:
  std::filesystem::path root_;
};

// The name stem of a result file, or empty when `name` is not one.
std::string result_stem(std::string_view name, bool* gzip);

}  // namespace btstore::legacy
