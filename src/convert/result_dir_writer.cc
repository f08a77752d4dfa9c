#include "convert/result_dir_writer.h"

#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2, RENAME_EXCHANGE
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <system_error>

#include "common/file_util.h"
#include "common/uuid.h"

namespace btstore::convert {
namespace {

namespace fs = std::filesystem;

// `dir` absolute, symbolic links resolved, without a trailing separator: the path a rename of
// the directory itself must name.
fs::path normalized(const fs::path& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(dir, ec);
  if (ec) p = fs::absolute(dir).lexically_normal();
  while (!p.has_filename() && p != p.root_path()) p = p.parent_path();
  return p;
}

std::string hidden_name(const std::string& base) {
  return "." + base + ".tmp-" + generate_uuid_v4().substr(0, 8);
}

bool is_result_file(const std::string& name, const std::vector<EncodedFile>& files) {
  return std::any_of(files.begin(), files.end(),
                     [&](const EncodedFile& f) { return f.name == name; });
}

// Whether every entry of `dir` is a regular file named as one of `files`.
Result<bool> holds_only_result_files(const fs::path& dir, const std::vector<EncodedFile>& files) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::file_status s = it->symlink_status(ec);
    if (ec) break;
    if (!fs::is_regular_file(s) || !is_result_file(it->path().filename().string(), files)) {
      return false;
    }
  }
  if (ec) return errno_status("list", dir, ec.value());
  return true;
}

// Removes the files named as `files` from `dir`, then `dir` if it is empty: never anything else.
// A second round outlasts a passing error; what still fails stays, hidden.
void discard(const fs::path& dir, const std::vector<EncodedFile>& files) {
  for (int round = 0; round < 2; ++round) {
    for (const EncodedFile& f : files) ::unlink((dir / f.name).c_str());
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
  }
}

Status write_into(const fs::path& dir, const std::vector<EncodedFile>& files) {
  std::vector<NamedBytes> named;
  for (const EncodedFile& f : files) named.push_back({f.name, f.bytes});
  return write_files_synced(dir, named);
}

// Renames the files from `staging` into `dir` in their order (metadata.json last).
Status move_files(const fs::path& staging, const fs::path& dir,
                  const std::vector<EncodedFile>& files) {
  for (const EncodedFile& f : files) {
    if (::rename((staging / f.name).c_str(), (dir / f.name).c_str()) != 0) {
      return errno_status("rename", staging / f.name, errno);
    }
  }
  return fsync_directory(dir);
}

// Into `dir` itself, beside entries that are not the result's.
Status write_in_place(const fs::path& dir, const std::vector<EncodedFile>& files) {
  for (const EncodedFile& f : files) {
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(dir / f.name, ec))) {
      return Status::InvalidArgument("'" + (dir / f.name).string() +
                                     "' is a directory in the way of the result's file; move or "
                                     "remove it");
    }
  }
  const fs::path staging = dir / hidden_name("btstore");
  if (::mkdir(staging.c_str(), kDirMode) != 0) {
    return errno_status("create directory", staging, errno);
  }
  Status st = write_into(staging, files);
  if (st.ok()) st = move_files(staging, dir, files);
  discard(staging, files);  // what a failure left there
  return st;
}

// Puts the complete `staging` in the place of `target` (an exchange when `existed`), durably.
// On failure `target` is as it was, and `staging` holds what the caller must discard.
Status publish(const fs::path& staging, const fs::path& target, bool existed,
               const std::vector<EncodedFile>& files) {
  const fs::path parent = target.parent_path();
  if (!existed) {
    if (::rename(staging.c_str(), target.c_str()) != 0) {
      return errno_status("rename", staging, errno);
    }
    Status st = fsync_directory(parent);
    if (!st.ok()) ::rename(target.c_str(), staging.c_str());  // not published after all
    return st;
  }
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    const int err = errno;
    if (err != EINVAL && err != ENOSYS && err != EOPNOTSUPP) {
      return errno_status("exchange", staging, err);
    }
    return move_files(staging, target, files);  // a file system without exchange
  }
  Status st = fsync_directory(parent);
  if (!st.ok()) {  // exchange back: the old files stay the answer
    ::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE);
  }
  return st;
}

}  // namespace

Status write_result_dir(const fs::path& dir, const std::vector<EncodedFile>& files) {
  const fs::path target = normalized(dir);
  struct stat old {};
  const bool existed = ::stat(target.c_str(), &old) == 0;
  if (!existed && errno != ENOENT) return errno_status("stat", target, errno);
  if (existed && !S_ISDIR(old.st_mode)) {
    return Status::InvalidArgument("'" + target.string() + "' is not a directory");
  }
  if (existed) {
    BTSTORE_ASSIGN_OR_RETURN(bool only_result, holds_only_result_files(target, files));
    struct stat parent {};
    // A mount point (or the root) cannot be renamed: its files are replaced inside it.
    const bool mount_point = ::stat(target.parent_path().c_str(), &parent) != 0 ||
                             parent.st_dev != old.st_dev || target == target.root_path();
    if (!only_result || mount_point) return write_in_place(target, files);
  }
  BTSTORE_RETURN_IF_ERROR(make_directories(target.parent_path()));
  const fs::path staging = target.parent_path() / hidden_name(target.filename().string());
  if (::mkdir(staging.c_str(), kDirMode) != 0) {
    const int err = errno;
    // No room beside it (a parent that may not be written): inside it then.
    if (existed && (err == EACCES || err == EPERM || err == EROFS)) {
      return write_in_place(target, files);
    }
    return errno_status("create directory", staging, err);
  }
  if (existed) ::chmod(staging.c_str(), old.st_mode & 07777);  // best effort: keep its mode
  Status st = write_into(staging, files);
  if (st.ok()) st = publish(staging, target, existed, files);
  discard(staging, files);  // the old files after an exchange, or what a failure left
  return st;
}

}  // namespace btstore::convert
