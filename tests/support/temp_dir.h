// A fresh directory (under /tmp unless told) for one test, removed with everything in it at
// the end. Names stay short (/tmp/bt.XXXXXX) because a PostgreSQL socket path
// under it must fit the 107-byte Unix limit.
#pragma once

#include <filesystem>
#include <string>

namespace btstore::testing {

class TempDir {
 public:
  // The directory is 0755 so that the embedded server's unprivileged account
  // (when the tests run as root) can enter it.
  explicit TempDir(const std::string& prefix = "bt", const std::string& parent = "/tmp");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace btstore::testing
