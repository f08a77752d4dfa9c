#include "output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "btstore/convert.h"
#include "commands.h"
#include "common/file_util.h"
#include "common/uuid.h"

namespace btstore::cli {

int exit_code_for(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kCorruption: return kExitIntegrity;
    default: return kExitFailed;
  }
}

int report_error(const Status& status) {
  std::fprintf(stderr, "btstore: %s\n", status.to_string().c_str());
  return exit_code_for(status);
}

Result<std::string> read_input(const std::string& path) {
  if (path == "-") return read_stream(STDIN_FILENO, "standard input");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("cannot open '" + path + "': no such file");
    return errno_status("open", path, err);
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("'" + path + "' is a directory; name the files in it (" + path +
                                   "/*.json)");
  }
  auto text = read_stream(fd, path);
  ::close(fd);
  return text;
}

namespace {

// Written back to disk while the command goes on, so that commit()'s fsync
// waits for the tail only.
constexpr uint64_t kWritebackBytes = uint64_t{8} << 20;

Status errno_error(std::string_view what, const std::string& path, int err) {
  return Status::IOError("cannot " + std::string(what) + " '" + path + "': " + std::strerror(err) +
                         " (check the path, its directory's permissions and the free space)");
}

}  // namespace

Output::~Output() {
  if (fd_ >= 0 && !path_.empty()) ::close(fd_);
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

Status Output::fail(Status st) {
  if (status_.ok()) status_ = st;
  return st;
}

Status Output::open(const std::string& path) {
  if (path.empty() || path == "-") {
    std::fflush(stdout);  // what the command printed through stdio comes first
    fd_ = STDOUT_FILENO;
    return Status::OK();
  }
  path_ = path;
  std::error_code ec;
  std::filesystem::path target = path;
  if (std::filesystem::is_symlink(target, ec)) {  // replace the file the link names, not the link
    target = std::filesystem::weakly_canonical(target, ec);
    if (ec) return fail(errno_error("resolve", path, ec.value()));
  }
  struct stat old {};
  const bool exists = ::stat(target.c_str(), &old) == 0;
  if (exists && !S_ISREG(old.st_mode)) {  // a device or a pipe: no rename over it
    fd_ = ::open(target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) return fail(errno_error("open", path, errno));
    return Status::OK();
  }
  path_ = target.string();
  temp_path_ = path_ + ".tmp-" + generate_uuid_v4().substr(0, 8);
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int err = errno;
    temp_path_.clear();
    return fail(errno_error("create a file beside", path, err));
  }
  if (exists && ::fchmod(fd_, old.st_mode & 07777) != 0) {
    return fail(errno_error("set the permissions of", temp_path_, errno));
  }
  return Status::OK();
}

Status Output::write(std::string_view data) {
  BTSTORE_RETURN_IF_ERROR(status_);
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno_error("write", path_.empty() ? "standard output" : path_, errno));
    data.remove_prefix(static_cast<size_t>(n));
    written_ += static_cast<uint64_t>(n);
  }
  if (!temp_path_.empty() && written_ - writeback_from_ >= kWritebackBytes) start_writeback();
  return Status::OK();
}

void Output::start_writeback() {
  // Only a hint to start the disk writes early; commit()'s fsync is what makes the file durable.
  ::sync_file_range(fd_, static_cast<off_t>(writeback_from_),
                    static_cast<off_t>(written_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
  writeback_from_ = written_;
}

Status Output::commit() {
  BTSTORE_RETURN_IF_ERROR(status_);
  if (temp_path_.empty()) {
    if (path_.empty()) return Status::OK();  // standard output is not ours to close
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return fail(errno_error("write", path_, errno));
    return Status::OK();
  }
  if (::fsync(fd_) != 0) return fail(errno_error("write", path_, errno));
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return fail(errno_error("write", path_, errno));
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return fail(errno_error("replace", path_, errno));
  }
  temp_path_.clear();
  const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  Status synced = fsync_directory(dir.empty() ? "." : dir);
  return synced.ok() ? synced : fail(std::move(synced));
}

Status write_output(const std::string& path, std::string_view data) {
  Output out;
  BTSTORE_RETURN_IF_ERROR(out.open(path));
  BTSTORE_RETURN_IF_ERROR(out.write(data));
  return out.commit();
}

std::string with_thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace btstore::cli

namespace btstore::cli {

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace btstore::cli
