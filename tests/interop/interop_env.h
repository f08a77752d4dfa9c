// Where the interop tests find node, the npm packages, the scripts of
// tests/interop and the btstore CLI, and a scratch directory per test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace btstore::interop {

inline std::filesystem::path interop_dir() {
  return std::filesystem::path(BTSTORE_SOURCE_DIR) / "tests" / "interop";
}

// "" when node and the npm packages are there, else what to do about it.
inline std::string node_setup_problem() {
  const char* kPackages[] = {"@duckdb/node-api", "hyparquet", "hyparquet-compressors",
                             "parquet-wasm", "apache-arrow"};
  for (const char* p : kPackages) {
    if (!std::filesystem::exists(interop_dir() / "node_modules" / p / "package.json")) {
      return std::string("npm package ") + p + " is missing under " +
             (interop_dir() / "node_modules").string() +
             ": run `npm ci --prefix tests/interop` in the source tree";
    }
  }
  ProcessResult version = run_process({"node", "--version"}, 30);
  if (!version.ok()) return "node (>= 20) must be in PATH: " + version.describe();
  return "";
}

// Fails the current test (and returns from it) when node is not usable.
#define BTSTORE_REQUIRE_NODE()                                       \
  do {                                                               \
    std::string problem_ = ::btstore::interop::node_setup_problem(); \
    ASSERT_TRUE(problem_.empty()) << problem_;                       \
  } while (false)

// node tests/interop/<script> args...
inline ProcessResult run_node(const std::string& script, const std::vector<std::string>& args,
                              double timeout_seconds = 120) {
  std::vector<std::string> argv = {"node", (interop_dir() / script).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, timeout_seconds);
}

inline ProcessResult run_cli(const std::vector<std::string>& args, double timeout_seconds = 10) {
  std::vector<std::string> argv = {BTSTORE_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, timeout_seconds);
}

// A fresh directory under the system temp dir, removed when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    auto base = std::filesystem::temp_directory_path();
    for (int i = 0;; ++i) {
      path_ = base /
              ("btstore-interop-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(i));
      if (std::filesystem::create_directories(path_)) break;
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace btstore::interop
