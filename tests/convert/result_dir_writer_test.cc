// json_to_parquet into a directory that already holds a result: the new files replace the old
// ones all together or not at all, whatever write fails (here: a file-size limit, which root
// meets as well, set for a child process).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "btstore/convert.h"
#include "json/result_writer.h"
#include "support/random_result.h"
#include "support/temp_dir.h"

namespace btstore {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string document(uint64_t seed) {
  std::mt19937_64 rng(seed);
  return json::write_result(testing::random_result(rng), 0);
}

// Every entry of `dir` (names, "name/" for directories) with the bytes of its files.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory()) {
      out[name + "/"] = "";
      continue;
    }
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    out[name] = s.str();
  }
  return out;
}

// Hidden entries a write left behind in `dir`.
int hidden_entries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string()[0] == '.';
  return n;
}

// `btstore json-to-parquet` (the same json_to_parquet) in a process whose files may not grow
// beyond `max_file_bytes`: 0 when it failed with EFBIG's message, 1 when it succeeded, 2 on any
// other error. A new program, not a forked copy of this one: this process keeps threads, and a
// forked copy of a process with threads may only exec.
int convert_with_file_size_limit(const std::string& json, const fs::path& dir,
                                 uint64_t max_file_bytes) {
  TempDir scratch;
  const fs::path input = scratch.path() / "in.json";
  const fs::path errors = scratch.path() / "stderr";
  std::ofstream(input, std::ios::binary) << json;
  const pid_t child = ::fork();
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // kept across exec: the write fails with EFBIG instead
    const rlimit limit{max_file_bytes, max_file_bytes};
    const int err = ::open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err < 0 || ::dup2(err, 2) < 0 || ::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(3);
    ::execl(BTSTORE_CLI, BTSTORE_CLI, "json-to-parquet", input.c_str(), dir.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(4);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  if (WEXITSTATUS(status) == 0) return 1;
  std::ifstream in(errors);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str().find("File too large") != std::string::npos ? 0 : 2;
}

// The size of the largest file json_to_parquet makes of `json`.
uint64_t largest_file(const std::string& json) {
  TempDir scratch;
  auto r = json_to_parquet(json, scratch.path() / "out");
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  uint64_t largest = 0;
  for (const auto& e : fs::directory_iterator(scratch.path() / "out")) {
    largest = std::max<uint64_t>(largest, e.file_size());
  }
  return largest;
}

TEST(ResultDirWriter, NewDirectoryAppearsWithItsFourFilesAndNothingBeside) {
  TempDir tmp;
  const std::string json = document(1);
  ASSERT_TRUE(json_to_parquet(json, tmp.path() / "a" / "b" / "out/").ok());
  auto files = contents(tmp.path() / "a" / "b" / "out");
  EXPECT_EQ(files.size(), 4u);
  EXPECT_EQ(files.count("metadata.json"), 1u);
  EXPECT_EQ(hidden_entries(tmp.path() / "a" / "b"), 0);
  auto back = parquet_to_json(tmp.path() / "a" / "b" / "out");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, json);
}

TEST(ResultDirWriter, ReplacesAResultDirectoryKeepingItsMode) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  ASSERT_TRUE(json_to_parquet(document(1), out).ok());
  ASSERT_EQ(::chmod(out.c_str(), 0711), 0);
  const std::string second = document(2);
  ASSERT_TRUE(json_to_parquet(second, out).ok());
  auto back = parquet_to_json(out);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, second);
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0711u);
  EXPECT_EQ(contents(out).size(), 4u);
  EXPECT_EQ(hidden_entries(tmp.path()), 0);  // the old directory is gone
}

TEST(ResultDirWriter, WritesThroughASymbolicLinkToTheDirectory) {
  TempDir tmp;
  ASSERT_TRUE(json_to_parquet(document(1), tmp.path() / "real").ok());
  fs::create_directory_symlink(tmp.path() / "real", tmp.path() / "link");
  const std::string second = document(2);
  ASSERT_TRUE(json_to_parquet(second, tmp.path() / "link").ok());
  EXPECT_TRUE(fs::is_symlink(tmp.path() / "link"));
  auto back = parquet_to_json(tmp.path() / "real");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, second);
}

TEST(ResultDirWriter, FailedWriteLeavesTheOldResultDirectoryAsItWas) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  ASSERT_TRUE(json_to_parquet(document(1), out).ok());
  const auto before = contents(out);
  // A larger result whose largest file cannot be written: its smaller files can.
  const std::string bigger = document(3);
  const uint64_t limit = largest_file(bigger) - 1;
  EXPECT_EQ(convert_with_file_size_limit(bigger, out, limit), 0);
  EXPECT_EQ(contents(out), before);
  EXPECT_EQ(hidden_entries(tmp.path()), 0);
  EXPECT_TRUE(json_to_parquet(bigger, out).ok());  // and with room it goes through
}

TEST(ResultDirWriter, FailedWriteBesideOtherFilesLeavesThemAndTheOldResult) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  ASSERT_TRUE(json_to_parquet(document(1), out).ok());
  std::ofstream(out / "notes.txt") << "the user's own file";
  const auto before = contents(out);
  const std::string bigger = document(3);
  EXPECT_EQ(convert_with_file_size_limit(bigger, out, largest_file(bigger) - 1), 0);
  EXPECT_EQ(contents(out), before);
  EXPECT_EQ(hidden_entries(out), 0);

  const std::string second = document(2);
  ASSERT_TRUE(json_to_parquet(second, out).ok());
  EXPECT_EQ(contents(out).at("notes.txt"), "the user's own file");
  auto back = parquet_to_json(out);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, second);
}

TEST(ResultDirWriter, DirectoryInTheWayIsRefusedBeforeAnythingIsWritten) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  ASSERT_TRUE(json_to_parquet(document(1), out).ok());
  fs::remove(out / "symbol_signals.parquet");
  fs::create_directory(out / "symbol_signals.parquet");
  const auto before = contents(out);
  auto r = json_to_parquet(document(2), out);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("symbol_signals.parquet' is a directory in the way"),
            std::string::npos)
      << r.status().to_string();
  EXPECT_EQ(contents(out), before);
  EXPECT_EQ(hidden_entries(out), 0);
}

TEST(ResultDirWriter, FileInThePlaceOfTheDirectoryIsRefused) {
  TempDir tmp;
  std::ofstream(tmp.path() / "out") << "x";
  auto r = json_to_parquet(document(1), tmp.path() / "out");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is not a directory"), std::string::npos)
      << r.status().to_string();
}

}  // namespace
}  // namespace btstore
