// Phase 4: moving the legacy JSON files into a read-only archive once every
// one of them is migrated and identical, with a manifest to check it later.
//
// The manifest, ARCHIVE_DIR/MANIFEST.tsv, is one line per file:
//   task_id TAB size TAB sha256 TAB file      (file relative to the archive)
// after a first line starting with '#'. Files keep their relative paths.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "btstore/storage.h"
#include "migration/migrate.h"

namespace btstore::migration {

inline constexpr char kArchiveManifest[] = "MANIFEST.tsv";

struct ArchiveOptions {
  StorageOptions storage;
  std::filesystem::path from;
  std::filesystem::path to;
  int jobs = 0;  // for the check that everything is migrated (0: the number of cores)
};

struct ManifestEntry {
  std::string task_id;
  std::string file;
  uint64_t size = 0;
  std::string sha256;
};

struct ArchiveReport {
  // Files that are not safe to archive (not migrated, in conflict, invalid):
  // when there is any, nothing was moved.
  std::vector<FileOutcome> unsafe;
  size_t archived = 0;  // files moved by this run
  uint64_t bytes = 0;
  std::filesystem::path manifest;
};

// Checks (like `migrate --dry-run`) that every legacy file is migrated and
// identical; then copies each into `to` durably, writes the manifest, makes the
// archive read-only and removes the originals. Run again after a crash, it
// accepts files already archived with the same SHA-256 and keeps their entries.
Result<ArchiveReport> archive(const ArchiveOptions& options);

struct ArchiveProblem {
  std::string file;
  std::string kind;  // "missing", "size", "sha256", "unlisted", "manifest"
  std::string detail;
};

// Checks every manifest entry (present, size, SHA-256) and that no file is
// unlisted. NotFound when the directory has no manifest.
Result<std::vector<ArchiveProblem>> verify_archive(const std::filesystem::path& dir);

// The manifest's entries (Corruption naming the line when malformed).
Result<std::vector<ManifestEntry>> read_manifest(const std::filesystem::path& dir);

}  // namespace btstore::migration
