#include "common/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>

#include "common/kept_threads.h"
#include "common/uuid.h"

namespace btstore {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now so that a close error is reported, not swallowed.
  int release_and_close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

}  // namespace

Status errno_status(std::string_view operation, const std::filesystem::path& path, int err) {
  std::string msg(operation);
  msg += " '" + path.string() + "': " + std::strerror(err);
  return Status::IOError(std::move(msg));
}

Status write_file_synced(const std::filesystem::path& path, std::string_view data) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kFileMode));
  if (fd.get() < 0) return errno_status("create", path, errno);
  BTSTORE_RETURN_IF_ERROR(write_all(fd.get(), data, path));
  if (::fsync(fd.get()) != 0) return errno_status("fsync", path, errno);
  if (fd.release_and_close() != 0) return errno_status("close", path, errno);
  return Status::OK();
}

namespace {

// fdatasync of every file of `fds` and fsync of `dir_fd`, side by side. Each sync waits for a
// flush of the disk's cache. Side by side the flushes overlap (the block layer merges them); in
// turn, a disk with slow flushes costs one flush per file. Closes the files (not the directory)
// when all succeeded.
Status sync_side_by_side(const std::filesystem::path& dir,
                         const std::vector<std::string_view>& names,
                         std::vector<std::unique_ptr<FileDescriptor>>& fds, int dir_fd) {
  const size_t n = fds.size() + 1;
  std::vector<int> errors(n, 0);
  std::vector<std::function<void()>> jobs;
  for (size_t i = 0; i < n; ++i) {
    jobs.emplace_back([&, i] {
      const bool is_dir = i == fds.size();
      const int fd = is_dir ? dir_fd : fds[i]->get();
      errors[i] = (is_dir ? ::fsync(fd) : ::fdatasync(fd)) == 0 ? 0 : errno;
    });
  }
  run_side_by_side(jobs);
  for (size_t i = 0; i < n; ++i) {
    const bool is_dir = i == fds.size();
    const std::filesystem::path path = is_dir ? dir : dir / names[i];
    if (errors[i] != 0) {
      return errno_status(is_dir ? "fsync directory" : "fsync", path, errors[i]);
    }
    if (!is_dir && fds[i]->release_and_close() != 0) return errno_status("close", path, errno);
  }
  return Status::OK();
}

Result<std::unique_ptr<FileDescriptor>> create_file(const std::filesystem::path& path) {
  auto fd = std::make_unique<FileDescriptor>(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kFileMode));
  if (fd->get() < 0) return errno_status("create", path, errno);
  return fd;
}

}  // namespace

Status write_files_synced(const std::filesystem::path& dir, const std::vector<NamedBytes>& files) {
  std::vector<std::unique_ptr<FileDescriptor>> fds;
  std::vector<std::string_view> names;
  for (const NamedBytes& f : files) {
    const std::filesystem::path path = dir / f.name;
    BTSTORE_ASSIGN_OR_RETURN(auto fd, create_file(path));
    BTSTORE_RETURN_IF_ERROR(write_all(fd->get(), f.bytes, path));
    fds.push_back(std::move(fd));
    names.push_back(f.name);
  }
  FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return errno_status("open directory", dir, errno);
  return sync_side_by_side(dir, names, fds, dir_fd.get());
}

struct CreatedFiles::Held {
  std::filesystem::path dir;
  std::vector<std::string> names;
  std::vector<std::unique_ptr<FileDescriptor>> fds;
  std::unique_ptr<FileDescriptor> dir_fd;
};

CreatedFiles::CreatedFiles() = default;
CreatedFiles::~CreatedFiles() = default;
CreatedFiles::CreatedFiles(CreatedFiles&&) noexcept = default;
CreatedFiles& CreatedFiles::operator=(CreatedFiles&&) noexcept = default;

Result<CreatedFiles> CreatedFiles::create(const std::filesystem::path& dir,
                                          const std::vector<std::string>& names) {
  auto held = std::make_unique<Held>();
  held->dir = dir;
  for (const std::string& name : names) {
    BTSTORE_ASSIGN_OR_RETURN(auto fd, create_file(dir / name));
    held->fds.push_back(std::move(fd));
    held->names.push_back(name);
  }
  held->dir_fd =
      std::make_unique<FileDescriptor>(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (held->dir_fd->get() < 0) return errno_status("open directory", dir, errno);
  CreatedFiles out;
  out.held_ = std::move(held);
  return out;
}

Status CreatedFiles::write_synced(const std::vector<NamedBytes>& files) {
  if (!held_) return Status::Internal("CreatedFiles::write_synced called twice");
  std::unique_ptr<Held> held = std::move(held_);
  std::vector<std::unique_ptr<FileDescriptor>> fds;
  std::vector<std::string_view> names;
  for (const NamedBytes& f : files) {
    const std::filesystem::path path = held->dir / f.name;
    size_t i = 0;
    while (i < held->names.size() && (held->names[i] != f.name || !held->fds[i])) ++i;
    std::unique_ptr<FileDescriptor> fd;
    if (i < held->names.size()) {
      fd = std::move(held->fds[i]);
    } else {
      BTSTORE_ASSIGN_OR_RETURN(fd, create_file(path));
    }
    BTSTORE_RETURN_IF_ERROR(write_all(fd->get(), f.bytes, path));
    fds.push_back(std::move(fd));
    names.push_back(f.name);
  }
  // A file created ahead and not written goes: the directory holds exactly `files`.
  for (size_t i = 0; i < held->names.size(); ++i) {
    if (!held->fds[i]) continue;
    const std::filesystem::path path = held->dir / held->names[i];
    held->fds[i].reset();
    if (::unlink(path.c_str()) != 0) return errno_status("remove", path, errno);
  }
  return sync_side_by_side(held->dir, names, fds, held->dir_fd->get());
}

Status fsync_directory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return errno_status("open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return errno_status("fsync directory", dir, errno);
  return Status::OK();
}

Status replace_file_atomically(const std::filesystem::path& path, std::string_view data) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + generate_uuid_v4().substr(0, 8);
  Status st = write_file_synced(tmp, data);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = errno_status("rename", tmp, errno);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return fsync_directory(path.has_parent_path() ? path.parent_path() : ".");
}

Result<std::string> read_file(const std::filesystem::path& path, uint64_t max_bytes) {
  return read_file_at(AT_FDCWD, path, max_bytes);
}

Result<std::string> read_file_at(int dir_fd, const std::filesystem::path& path, uint64_t max_bytes,
                                 bool no_follow) {
  FileDescriptor fd(
      ::openat(dir_fd, path.c_str(), O_RDONLY | O_CLOEXEC | (no_follow ? O_NOFOLLOW : 0)));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("'" + path.string() + "' does not exist");
    if (err == ELOOP && no_follow) {
      return Status::Corruption("'" + path.string() + "' is a symbolic link, not a stored file");
    }
    return errno_status("open", path, err);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("stat", path, errno);
  if (S_ISDIR(st.st_mode)) return Status::InvalidArgument("'" + path.string() + "' is a directory");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return Status::InvalidArgument("'" + path.string() + "' is " + std::to_string(st.st_size) +
                                   " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t filled = 0;
  while (filled < out.size()) {
    ssize_t n = ::read(fd.get(), out.data() + filled, out.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("read", path, errno);
    }
    if (n == 0) break;  // the file shrank while we read it
    filled += static_cast<size_t>(n);
  }
  out.resize(filled);
  return out;
}

Result<std::string> read_stream(int fd, const std::filesystem::path& name) {
  constexpr size_t kFirstPiece = size_t{64} << 10;
  size_t first = kFirstPiece;
  struct stat st {};
  // One byte more than the size, so that the read after the first finds the end.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    first = static_cast<size_t>(st.st_size) + 1;
  }
  std::string out;
  size_t filled = 0;
  for (;;) {
    if (filled == out.size()) {
      const size_t size = out.empty() ? first : out.size() * 2;
      try {
        out.resize(size);
      } catch (const std::exception&) {  // bad_alloc, length_error
        return Status::IOError("out of memory reading " + name.string() + ": more than " +
                               std::to_string(filled) + " bytes");
      }
    }
    ssize_t n = ::read(fd, out.data() + filled, out.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("read", name, errno);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  out.resize(filled);
  return out;
}

Status make_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (partial.empty() || std::filesystem::is_directory(partial, ec)) continue;
    if (::mkdir(partial.c_str(), kDirMode) != 0 && errno != EEXIST) {
      return errno_status("mkdir", partial, errno);
    }
  }
  return Status::OK();
}

}  // namespace btstore
