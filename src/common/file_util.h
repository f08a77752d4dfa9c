// File-system helpers with durable semantics: data reaches the disk (fsync)
// before a caller reports success, and errors name the path and the errno.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

namespace btstore {

// Files are created 0640 and directories 0750 (both further limited by umask).
inline constexpr mode_t kFileMode = 0640;
inline constexpr mode_t kDirMode = 0750;

// Creates or truncates `path`, writes `data`, fsyncs and closes it.
Status write_file_synced(const std::filesystem::path& path, std::string_view data);

// A file of write_files_synced(): a plain name inside the directory, and its bytes.
struct NamedBytes {
  std::string_view name;
  std::string_view bytes;
};

// Creates every file of `files` in `dir` (which must exist) and writes it, then makes all of
// them durable (fdatasync: data, size and blocks) and fsyncs `dir`, the syncs side by side on
// threads of their own so that their waits for the disk overlap. On failure the files already
// created are left for the caller to remove.
Status write_files_synced(const std::filesystem::path& dir, const std::vector<NamedBytes>& files);

// write_files_synced() in two steps, so that the files can be created before their bytes are
// known: create() creates (or truncates) `names` in `dir` and holds them open; write_synced()
// writes them and makes them and `dir` durable. A name given to write_synced() and not created
// before is created then; a created one not given is removed. Dropping the object closes the
// files and leaves them for the caller to remove.
class CreatedFiles {
 public:
  CreatedFiles();
  ~CreatedFiles();
  CreatedFiles(CreatedFiles&&) noexcept;
  CreatedFiles& operator=(CreatedFiles&&) noexcept;

  static Result<CreatedFiles> create(const std::filesystem::path& dir,
                                     const std::vector<std::string>& names);
  // At most once; the files are closed afterwards whatever the outcome.
  Status write_synced(const std::vector<NamedBytes>& files);

 private:
  struct Held;
  std::unique_ptr<Held> held_;
};

// Writes `data` to a temporary file beside `path`, fsyncs it, renames it over
// `path` and fsyncs the directory; on failure the temporary file is removed.
Status replace_file_atomically(const std::filesystem::path& path, std::string_view data);

Status fsync_directory(const std::filesystem::path& dir);

// Reads from `fd` to its end: a regular file in one read of its size, a pipe or a terminal in
// growing pieces. `name` is for messages.
Result<std::string> read_stream(int fd, const std::filesystem::path& name);

// Reads a whole file, refusing files larger than `max_bytes`.
Result<std::string> read_file(const std::filesystem::path& path, uint64_t max_bytes);
// The same for `name` in the open directory `dir_fd` (AT_FDCWD: the working directory); with
// `no_follow`, a symbolic link is refused instead of followed.
Result<std::string> read_file_at(int dir_fd, const std::filesystem::path& name, uint64_t max_bytes,
                                 bool no_follow = false);

// Creates `dir` and missing parents with kDirMode.
Status make_directories(const std::filesystem::path& dir);

// "open '/x/y': No such file or directory" with the current errno.
Status errno_status(std::string_view operation, const std::filesystem::path& path, int err);

}  // namespace btstore
