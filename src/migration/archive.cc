#include "migration/archive.h"

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "common/file_util.h"
#include "legacy/codec.h"
#include "legacy/legacy_store.h"

namespace btstore::migration {
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxArchivedFile = uint64_t{1} << 32;
constexpr char kManifestHeader[] =
    "# btstore legacy archive manifest v1: task_id\tsize\tsha256\tfile\n";

std::string manifest_text(const std::map<std::string, ManifestEntry>& entries) {
  std::string out = kManifestHeader;
  for (const auto& [file, e] : entries) {
    out += e.task_id + "\t" + std::to_string(e.size) + "\t" + e.sha256 + "\t" + e.file + "\n";
  }
  return out;
}

// Directories of the archive are made writable for the run and read-only after.
void set_dir_modes(const fs::path& dir, fs::perms perms) {
  std::error_code ec;
  fs::permissions(dir, perms, ec);
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) fs::permissions(it->path(), perms, ec);
  }
}

constexpr fs::perms kWritableDir = fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec;
constexpr fs::perms kReadOnlyDir = fs::perms::owner_read | fs::perms::owner_exec |
                                   fs::perms::group_read | fs::perms::group_exec |
                                   fs::perms::others_read | fs::perms::others_exec;

// Copies one file into the archive durably (temp + fsync + rename), or accepts
// the copy a previous run left when its hash is the same.
Result<ManifestEntry> archive_file(const legacy::LegacyStore& store, const FileOutcome& o,
                                   const fs::path& to) {
  BTSTORE_ASSIGN_OR_RETURN(std::string bytes, read_file(store.root() / o.file, kMaxArchivedFile));
  ManifestEntry e{o.task_id, o.file, bytes.size(), legacy::sha256_hex(bytes)};
  fs::path dest = to / o.file;
  BTSTORE_RETURN_IF_ERROR(make_directories(dest.parent_path()));
  auto existing = read_file(dest, kMaxArchivedFile);
  if (existing.ok()) {
    if (legacy::sha256_hex(*existing) == e.sha256) return e;
    return Status::AlreadyExists("archive file '" + dest.string() +
                                 "' exists with other content; move it away and run again");
  }
  BTSTORE_RETURN_IF_ERROR(replace_file_atomically(dest, bytes));
  ::chmod(dest.c_str(), 0444);
  return e;
}

void remove_empty_dirs(const fs::path& root) {
  std::error_code ec;
  std::vector<fs::path> dirs;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) dirs.push_back(it->path());
  }
  for (auto d = dirs.rbegin(); d != dirs.rend(); ++d) fs::remove(*d, ec);  // only when empty
}

}  // namespace

Result<ArchiveReport> archive(const ArchiveOptions& options) {
  MigrateOptions check;
  check.storage = options.storage;
  check.from = options.from;
  check.jobs = options.jobs;
  check.dry_run = true;
  BTSTORE_ASSIGN_OR_RETURN(MigrateReport status, migrate(check));
  ArchiveReport report;
  report.manifest = options.to / kArchiveManifest;
  for (const auto& o : status.outcomes) {
    bool bad_name = o.file.find_first_of("\t\n") != std::string::npos;
    if (o.outcome != Outcome::kSkipped || bad_name) {
      FileOutcome u = o;
      if (o.outcome == Outcome::kMigrated) u.detail = "not migrated yet; run btstore migrate";
      if (bad_name) u.detail = "the file name holds a tab or newline; rename it";
      report.unsafe.push_back(std::move(u));
    }
  }
  if (!report.unsafe.empty()) return report;

  BTSTORE_RETURN_IF_ERROR(make_directories(options.to));
  set_dir_modes(options.to, kWritableDir);
  std::map<std::string, ManifestEntry> entries;
  if (auto previous = read_manifest(options.to); previous.ok()) {
    for (auto& e : *previous) entries[e.file] = e;
  } else if (previous.status().code() != StatusCode::kNotFound) {
    return previous.status();
  }
  legacy::LegacyStore store(options.from);
  for (const auto& o : status.outcomes) {
    BTSTORE_ASSIGN_OR_RETURN(ManifestEntry e, archive_file(store, o, options.to));
    report.bytes += e.size;
    entries[e.file] = std::move(e);
  }
  // The manifest is durable before any original goes.
  BTSTORE_RETURN_IF_ERROR(replace_file_atomically(report.manifest, manifest_text(entries)));
  ::chmod(report.manifest.c_str(), 0444);
  for (const auto& o : status.outcomes) {
    fs::path p = options.from / o.file;
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return errno_status("unlink", p, errno);
    ++report.archived;
  }
  BTSTORE_RETURN_IF_ERROR(fsync_directory(options.from));
  remove_empty_dirs(options.from);
  set_dir_modes(options.to, kReadOnlyDir);
  return report;
}

Result<std::vector<ManifestEntry>> read_manifest(const fs::path& dir) {
  BTSTORE_ASSIGN_OR_RETURN(std::string text, read_file(dir / kArchiveManifest, kMaxArchivedFile));
  std::vector<ManifestEntry> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    size_t pos = 0;
    for (int i = 0; i < 3 && pos != std::string::npos; ++i) {
      size_t tab = line.find('\t', pos);
      f.push_back(line.substr(pos, tab == std::string::npos ? tab : tab - pos));
      pos = tab == std::string::npos ? tab : tab + 1;
    }
    char* end = nullptr;
    unsigned long long size = f.size() == 3 ? std::strtoull(f[1].c_str(), &end, 10) : 0;
    if (f.size() != 3 || pos == std::string::npos || end == nullptr || *end != '\0' ||
        f[2].size() != 64) {
      return Status::Corruption(std::string(kArchiveManifest) + " line " + std::to_string(n) +
                                ": expected task_id, size, sha256 and file separated by tabs");
    }
    out.push_back({f[0], line.substr(pos), size, f[2]});
  }
  return out;
}

Result<std::vector<ArchiveProblem>> verify_archive(const fs::path& dir) {
  auto entries = read_manifest(dir);
  if (!entries.ok()) {
    if (entries.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("'" + dir.string() + "' has no " + kArchiveManifest +
                              "; is it an archive made by btstore archive?");
    }
    return std::vector<ArchiveProblem>{{kArchiveManifest, "manifest", entries.status().message()}};
  }
  std::vector<ArchiveProblem> problems;
  std::map<std::string, bool> listed;
  for (const auto& e : *entries) {
    listed[e.file] = true;
    auto bytes = read_file(dir / e.file, kMaxArchivedFile);
    if (!bytes.ok()) {
      problems.push_back({e.file, "missing", bytes.status().message()});
    } else if (bytes->size() != e.size) {
      problems.push_back(
          {e.file, "size",
           std::to_string(bytes->size()) + " bytes, the manifest says " + std::to_string(e.size)});
    } else if (legacy::sha256_hex(*bytes) != e.sha256) {
      problems.push_back({e.file, "sha256",
                          "the content changed: SHA-256 " + legacy::sha256_hex(*bytes) +
                              ", the manifest says " + e.sha256});
    }
  }
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string rel = it->path().lexically_relative(dir).generic_string();
    if (rel != kArchiveManifest && !listed.count(rel)) {
      problems.push_back({rel, "unlisted", "a file the manifest does not list"});
    }
  }
  return problems;
}

}  // namespace btstore::migration
