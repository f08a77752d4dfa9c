// FileStore on the local file system. Atomicity comes from rename(2) within
// one file system: staging and trash live under backtests/ for that reason.
#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE, RENAME_EXCHANGE
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>

#include "common/file_util.h"
#include "common/uuid.h"
#include "filestore/file_store.h"

namespace btstore::filestore {
namespace fs = std::filesystem;

std::string FileStore::relative_path(std::string_view task_id) {
  return "backtests/" + std::string(task_id) + "/";
}

namespace {

// FileStore::begin_stage()'s default: everything happens in stage().
class DeferredStage final : public PendingStage {
 public:
  DeferredStage(FileStore& store, std::string_view task_id) : store_(store), task_id_(task_id) {}
  Result<Staged> finish(const std::vector<FileContent>& files) override {
    return store_.stage(task_id_, files);
  }

 private:
  FileStore& store_;
  std::string task_id_;
};

}  // namespace

Result<std::unique_ptr<PendingStage>> FileStore::begin_stage(
    std::string_view task_id, const std::vector<std::string>& names) {
  (void)names;
  return std::unique_ptr<PendingStage>(std::make_unique<DeferredStage>(*this, task_id));
}

namespace {

constexpr char kStagingDir[] = ".staging";
constexpr char kTrashDir[] = ".trash";

Status rename_flags(const fs::path& from, const fs::path& to, unsigned flags) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) != 0) {
    int err = errno;
    if (err == EEXIST || err == ENOTEMPTY) {
      return Status::AlreadyExists("'" + to.string() + "' already exists");
    }
    return errno_status("rename to '" + to.string() + "' from", from, err);
  }
  return Status::OK();
}

Status remove_tree(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status::IOError("remove '" + path.string() + "': " + ec.message());
  return Status::OK();
}

// Task ids become directory names: only a UUID may, so no input can name a
// path outside the storage root.
Status check_task_id(std::string_view task_id) {
  if (is_uuid(task_id)) return Status::OK();
  return Status::InvalidArgument("'" + std::string(task_id) + "' is not a task id (a UUID)");
}

// .staging and .trash must be real directories of the root: a symbolic link
// there would send a save's files, or a delete's, out of it.
Status make_store_dir(const fs::path& dir) {
  BTSTORE_RETURN_IF_ERROR(make_directories(dir));
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return errno_status("stat", dir, errno);
  if (S_ISDIR(st.st_mode)) return Status::OK();
  return Status::InvalidArgument("'" + dir.string() +
                                 "' is not a directory (a symbolic link?); btstore keeps it "
                                 "inside the storage root: remove it and try again");
}

// The local store's staging in two steps: the directory and its (empty) files are created
// first, written and synced by finish(); unfinished, the directory is removed.
class LocalPendingStage final : public PendingStage {
 public:
  LocalPendingStage(Staged staged, CreatedFiles files)
      : staged_(std::move(staged)), files_(std::move(files)) {}
  ~LocalPendingStage() override {
    if (!staged_.location.empty()) (void)remove_tree(staged_.location);
  }

  Result<Staged> finish(const std::vector<FileContent>& files) override {
    std::vector<NamedBytes> named;
    for (const auto& f : files) named.push_back({f.name, f.bytes});
    Status st = files_.write_synced(named);
    Staged staged = std::move(staged_);
    staged_ = Staged{};
    if (!st.ok()) {
      (void)remove_tree(staged.location);
      return st;
    }
    return staged;
  }

 private:
  Staged staged_;
  CreatedFiles files_;
};

int64_t age_seconds(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(::time(nullptr)) - static_cast<int64_t>(st.st_mtime);
}

class LocalFileStore final : public FileStore {
 public:
  explicit LocalFileStore(fs::path root) : backtests_(std::move(root) / "backtests") {}

  Result<Staged> stage(std::string_view task_id, const std::vector<FileContent>& files) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(task_id));
    BTSTORE_RETURN_IF_ERROR(make_store_dir(backtests_ / kStagingDir));
    fs::path dir = backtests_ / kStagingDir / (std::string(task_id) + "." + generate_uuid_v4());
    if (::mkdir(dir.c_str(), kDirMode) != 0) return errno_status("mkdir", dir, errno);
    Staged staged{std::string(task_id), dir.string()};
    Status st = write_all(dir, files);
    if (!st.ok()) {
      (void)remove_tree(dir);
      return st;
    }
    return staged;
  }

  Result<std::unique_ptr<PendingStage>> begin_stage(
      std::string_view task_id, const std::vector<std::string>& names) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(task_id));
    BTSTORE_RETURN_IF_ERROR(make_store_dir(backtests_ / kStagingDir));
    fs::path dir = backtests_ / kStagingDir / (std::string(task_id) + "." + generate_uuid_v4());
    if (::mkdir(dir.c_str(), kDirMode) != 0) return errno_status("mkdir", dir, errno);
    auto files = CreatedFiles::create(dir, names);
    if (!files.ok()) {
      (void)remove_tree(dir);
      return files.status();
    }
    return std::unique_ptr<PendingStage>(std::make_unique<LocalPendingStage>(
        Staged{std::string(task_id), dir.string()}, std::move(files).value()));
  }

  Status publish(Staged& staged, bool replace, Staged* replaced) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(staged.task_id));
    fs::path target = result_dir(staged.task_id);
    // A new result first (the usual case); only a directory already there is exchanged.
    Status st = rename_flags(staged.location, target, RENAME_NOREPLACE);
    if (st.ok()) {
      if (st = fsync_directory(backtests_); !st.ok()) {
        (void)rename_flags(target, staged.location, RENAME_NOREPLACE);
        return st;
      }
      if (replaced != nullptr) *replaced = Staged{};
      return Status::OK();
    }
    if (!replace || st.code() != StatusCode::kAlreadyExists) return st;
    BTSTORE_RETURN_IF_ERROR(rename_flags(staged.location, target, RENAME_EXCHANGE));
    // The old result now sits where the staged one was.
    if (st = fsync_directory(backtests_); !st.ok()) {
      // A failed publish changes nothing: the caller will not unpublish it.
      (void)rename_flags(staged.location, target, RENAME_EXCHANGE);
      return st;
    }
    if (replaced != nullptr) *replaced = staged;
    return Status::OK();
  }

  Status unpublish(const Staged& staged, const Staged* replaced) override {
    fs::path target = result_dir(staged.task_id);
    if (replaced != nullptr && !replaced->location.empty()) {
      BTSTORE_RETURN_IF_ERROR(rename_flags(replaced->location, target, RENAME_EXCHANGE));
    } else {
      BTSTORE_RETURN_IF_ERROR(rename_flags(target, staged.location, RENAME_NOREPLACE));
    }
    return fsync_directory(backtests_);
  }

  Status discard(const Staged& staged) override {
    if (staged.location.empty()) return Status::OK();
    return remove_tree(staged.location);
  }

  Status remove(std::string_view task_id) override { return remove_many({std::string(task_id)}); }

  // Every directory moves into .trash first, then one fsync of backtests/ makes all the moves
  // durable, then the trash goes: a batch costs one directory fsync, not one per result.
  Status remove_many(const std::vector<std::string>& task_ids) override {
    for (const auto& id : task_ids) BTSTORE_RETURN_IF_ERROR(check_task_id(id));
    std::vector<fs::path> trashed;
    Status first;
    for (const auto& id : task_ids) {
      fs::path target = result_dir(id);
      std::error_code ec;
      if (!fs::exists(target, ec) && !ec) continue;
      if (Status st = make_store_dir(backtests_ / kTrashDir); !st.ok()) {
        first = st;
        break;
      }
      fs::path trash = backtests_ / kTrashDir / (id + "." + generate_uuid_v4());
      Status st = rename_flags(target, trash, RENAME_NOREPLACE);
      if (st.ok()) {
        trashed.push_back(trash);
      } else if (first.ok() && (fs::exists(target, ec) || ec)) {  // gone meanwhile: fine
        first = st;
      }
    }
    if (!trashed.empty()) {
      if (Status st = fsync_directory(backtests_); !st.ok()) return st;
    }
    for (const auto& trash : trashed) {
      if (Status st = remove_tree(trash); !st.ok() && first.ok()) first = st;
    }
    return first;
  }

  Result<std::string> read(std::string_view task_id, std::string_view name,
                           uint64_t max_bytes) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(task_id));
    return read_file(result_dir(task_id) / name, max_bytes);
  }

  Result<FileReader> open_result(std::string_view task_id) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(task_id));
    fs::path dir = result_dir(task_id);
    // O_NOFOLLOW: a link planted in place of the directory is not followed out of the root.
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT) return Status::NotFound("'" + dir.string() + "' does not exist");
      if (err == ELOOP || err == ENOTDIR) {
        return Status::Corruption("'" + dir.string() + "' is not a directory (a symbolic link?)");
      }
      return errno_status("open directory", dir, err);
    }
    auto held = std::shared_ptr<int>(new int(fd), [](int* p) {
      ::close(*p);
      delete p;
    });
    return FileReader(
        [held, dir](std::string_view name, uint64_t max_bytes) -> Result<std::string> {
          auto bytes = read_file_at(*held, std::string(name), max_bytes, /*no_follow=*/true);
          if (bytes.ok()) return bytes;
          return bytes.status().with_context(dir.string());
        });
  }

  Result<std::vector<std::pair<std::string, uint64_t>>> list_files(
      std::string_view task_id) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(task_id));
    fs::path dir = result_dir(task_id);
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      if (ec == std::errc::no_such_file_or_directory) {
        return Status::NotFound("'" + dir.string() + "' does not exist");
      }
      return Status::IOError("list '" + dir.string() + "': " + ec.message());
    }
    std::vector<std::pair<std::string, uint64_t>> files;
    for (const auto& e : it) {
      uint64_t size = e.is_regular_file(ec) ? e.file_size(ec) : 0;
      files.emplace_back(e.path().filename().string(), size);
    }
    return files;
  }

  Result<std::vector<Entry>> entries() override {
    std::vector<Entry> out;
    std::error_code ec;
    if (!fs::exists(backtests_, ec)) return out;
    // Iterated with error codes: a failing readdir is an error to report, not an exception.
    for (fs::directory_iterator it(backtests_, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      std::string name = path.filename().string();
      if (name == kStagingDir || name == kTrashDir) {
        Entry::Kind kind = name == kStagingDir ? Entry::Kind::kStaging : Entry::Kind::kTrash;
        std::error_code inner_ec;
        for (fs::directory_iterator in(path, inner_ec), in_end; !inner_ec && in != in_end;
             in.increment(inner_ec)) {
          out.push_back(
              {kind, name + "/" + in->path().filename().string(), age_seconds(in->path())});
        }
        if (inner_ec) return Status::IOError("list '" + path.string() + "': " + inner_ec.message());
        continue;
      }
      std::error_code type_ec;
      Entry::Kind kind =
          it->is_directory(type_ec) && is_uuid(name) ? Entry::Kind::kResult : Entry::Kind::kUnknown;
      out.push_back({kind, name, age_seconds(path)});
    }
    if (ec) return Status::IOError("list '" + backtests_.string() + "': " + ec.message());
    return out;
  }

  Status remove_entry(const Entry& entry) override {
    if (entry.kind == Entry::Kind::kResult) return remove(entry.name);
    if (entry.kind == Entry::Kind::kUnknown) {
      return Status::InvalidArgument("'" + (backtests_ / entry.name).string() +
                                     "' is not btstore's; remove it by hand if it is not needed");
    }
    return remove_tree(backtests_ / entry.name);
  }

  Result<std::string> read_entry(const Entry& entry, std::string_view name,
                                 uint64_t max_bytes) override {
    if (entry.kind != Entry::Kind::kStaging) {
      return Status::InvalidArgument("'" + entry.name + "' is not a staging entry");
    }
    return read_file(backtests_ / entry.name / name, max_bytes);
  }

  Status restore_entry(const Entry& entry, std::string_view task_id) override {
    BTSTORE_RETURN_IF_ERROR(check_task_id(task_id));
    if (entry.kind != Entry::Kind::kStaging) {
      return Status::InvalidArgument("'" + entry.name + "' is not a staging entry");
    }
    BTSTORE_RETURN_IF_ERROR(
        rename_flags(backtests_ / entry.name, result_dir(task_id), RENAME_EXCHANGE));
    BTSTORE_RETURN_IF_ERROR(fsync_directory(backtests_));
    return fsync_directory(backtests_ / kStagingDir);
  }

 private:
  fs::path result_dir(std::string_view task_id) const { return backtests_ / std::string(task_id); }

  static Status write_all(const fs::path& dir, const std::vector<FileContent>& files) {
    std::vector<NamedBytes> named;
    for (const auto& f : files) named.push_back({f.name, f.bytes});
    return write_files_synced(dir, named);
  }

  fs::path backtests_;
};

}  // namespace

std::unique_ptr<FileStore> open_local_file_store(const std::string& root) {
  return std::make_unique<LocalFileStore>(fs::path(root));
}

}  // namespace btstore::filestore
