#include "common/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>
#include <thread>

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

Status write_files_synced(const std::filesystem::path& dir, const std::vector<NamedBytes>& files) {
  std::vector<std::unique_ptr<FileDescriptor>> fds;
  for (const NamedBytes& f : files) {
    const std::filesystem::path path = dir / f.name;
    auto& fd = fds.emplace_back(std::make_unique<FileDescriptor>(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kFileMode)));
    if (fd->get() < 0) return errno_status("create", path, errno);
    BTSTORE_RETURN_IF_ERROR(write_all(fd->get(), f.bytes, path));
  }
  auto& dir_fd = fds.emplace_back(
      std::make_unique<FileDescriptor>(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)));
  if (dir_fd->get() < 0) return errno_status("open directory", dir, errno);
  // Each sync waits for a flush of the disk's cache. Side by side the flushes overlap (the
  // block layer merges them); in turn, a disk with slow flushes costs one flush per file.
  std::vector<int> errors(fds.size(), 0);
  auto sync = [&](size_t i) {
    const bool is_dir = i == files.size();
    errors[i] = (is_dir ? ::fsync(fds[i]->get()) : ::fdatasync(fds[i]->get())) == 0 ? 0 : errno;
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < fds.size(); ++i) {
    try {
      threads.emplace_back(sync, i);
    } catch (const std::system_error&) {  // no thread to be had: this one syncs it
      sync(i);
    }
  }
  sync(0);
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < fds.size(); ++i) {
    const bool is_dir = i == files.size();
    const std::filesystem::path path = is_dir ? dir : dir / files[i].name;
    if (errors[i] != 0) {
      return errno_status(is_dir ? "fsync directory" : "fsync", path, errors[i]);
    }
    if (!is_dir && fds[i]->release_and_close() != 0) return errno_status("close", path, errno);
  }
  return Status::OK();
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
