#include "legacy/legacy_store.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "common/file_util.h"
#include "common/uuid.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "json/task_id_probe.h"
#include "legacy/codec.h"

namespace btstore::legacy {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kJson = ".json";
constexpr std::string_view kJsonGz = ".json.gz";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

int64_t mtime_micros(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return int64_t{st.st_mtim.tv_sec} * 1'000'000 + st.st_mtim.tv_nsec / 1000;
}

Result<LegacyFile> describe(const fs::path& root, const fs::path& path) {
  bool gz = false;
  std::string stem = result_stem(path.filename().string(), &gz);
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec) return Status::IOError("stat '" + path.string() + "': " + ec.message());
  return LegacyFile{path.lexically_relative(root).generic_string(), stem, gz, size,
                    mtime_micros(path)};
}

}  // namespace

std::string result_stem(std::string_view name, bool* gzip) {
  if (name.empty() || name[0] == '.') return {};
  *gzip = ends_with(name, kJsonGz);
  if (*gzip) return std::string(name.substr(0, name.size() - kJsonGz.size()));
  if (ends_with(name, kJson)) return std::string(name.substr(0, name.size() - kJson.size()));
  return {};
}

Result<std::vector<LegacyFile>> LegacyStore::scan() const {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) {
    return Status::NotFound("legacy directory '" + root_.string() +
                            "' does not exist or is not a directory");
  }
  std::vector<LegacyFile> out;
  fs::recursive_directory_iterator it(root_, ec), end;
  if (ec) return Status::IOError("cannot read '" + root_.string() + "': " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::IOError("cannot read below '" + root_.string() + "': " + ec.message());
    std::string name = it->path().filename().string();
    bool gz = false;
    if (it->is_directory(ec)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || result_stem(name, &gz).empty()) continue;
    BTSTORE_ASSIGN_OR_RETURN(LegacyFile file, describe(root_, it->path()));
    out.push_back(std::move(file));
  }
  std::sort(out.begin(), out.end(),
            [](const LegacyFile& a, const LegacyFile& b) { return a.relative < b.relative; });
  return out;
}

Result<std::vector<LegacyFile>> LegacyStore::find(std::string_view task_id) const {
  std::vector<LegacyFile> out;
  // The usual place first: a lookup by task_id should not walk the tree.
  for (std::string_view suffix : {kJson, kJsonGz}) {
    fs::path p = root_ / (std::string(task_id) + std::string(suffix));
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      BTSTORE_ASSIGN_OR_RETURN(LegacyFile file, describe(root_, p));
      out.push_back(std::move(file));
    }
  }
  if (!out.empty()) return out;
  auto all = scan();
  if (!all.ok()) {
    return all.status().code() == StatusCode::kNotFound
               ? out
               : Result<std::vector<LegacyFile>>(all.status());
  }
  for (auto& f : *all) {
    if (f.stem == task_id) out.push_back(std::move(f));
  }
  return out;
}

Result<std::string> LegacyStore::read_text(const LegacyFile& file) const {
  fs::path path = path_of(file);
  BTSTORE_ASSIGN_OR_RETURN(std::string bytes, read_file(path, kMaxDocumentBytes));
  if (!file.gzip) return bytes;
  return gunzip(bytes, kMaxDocumentBytes, file.relative);
}

Result<LoadedResult> LegacyStore::load(const LegacyFile& file) const {
  auto text = read_text(file);
  if (!text.ok()) return text.status().with_context(file.relative);
  auto parsed = json::parse_result(*text);
  if (!parsed.ok()) return parsed.status().with_context(file.relative);
  LoadedResult out{std::move(*parsed), {}};
  std::optional<std::string> own = json::probe_task_id(*text);
  std::string from_name = is_uuid(file.stem) ? canonical_uuid(file.stem) : "";
  if (!own) {
    if (from_name.empty()) {
      return Status::InvalidArgument(file.relative +
                                     ": the document has no task_id and the file name is not a "
                                     "UUID; add task_id or name the file {task_id}.json");
    }
    out.result.header.task_id = from_name;
  } else if (!from_name.empty() && from_name != out.result.header.task_id) {
    return Status::InvalidArgument(file.relative + ": the document's task_id " +
                                   out.result.header.task_id +
                                   " differs from the file name's; rename the file or fix the "
                                   "document so that they agree");
  }
  out.canonical = json::write_result(out.result, 0);
  return out;
}

Result<std::string> LegacyStore::stage(std::string_view task_id, std::string_view json) {
  BTSTORE_RETURN_IF_ERROR(make_directories(root_));
  fs::path tmp =
      root_ / ("." + std::string(task_id) + ".json.tmp-" + generate_uuid_v4().substr(0, 8));
  Status st = write_file_synced(tmp, json);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st.with_context("writing the legacy copy");
  }
  return tmp.string();
}

Status LegacyStore::publish(const std::string& staged, std::string_view task_id, bool replace) {
  fs::path target = root_ / (std::string(task_id) + std::string(kJson));
  int rc = replace
               ? ::rename(staged.c_str(), target.c_str())
               : ::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && !replace && (errno == EINVAL || errno == ENOSYS)) {
    // No RENAME_NOREPLACE on this file system: link() refuses an existing name too.
    rc = ::link(staged.c_str(), target.c_str());
    if (rc == 0) ::unlink(staged.c_str());
  }
  if (rc != 0) {
    int err = errno;
    if (err == EEXIST) {
      return Status::AlreadyExists("legacy file '" + target.string() +
                                   "' already exists; use --replace to overwrite it");
    }
    return errno_status("rename", target, err);
  }
  return fsync_directory(root_);
}

Status LegacyStore::discard(const std::string& staged) {
  if (::unlink(staged.c_str()) != 0 && errno != ENOENT)
    return errno_status("unlink", staged, errno);
  return Status::OK();
}

Status LegacyStore::remove(const LegacyFile& file) {
  fs::path path = path_of(file);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_status("unlink", path, errno);
  return fsync_directory(path.parent_path());
}

}  // namespace btstore::legacy
