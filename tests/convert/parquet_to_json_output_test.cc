// parquet_to_json() in pieces on several threads, and `btstore parquet-to-json -o FILE`:
// the same bytes as the whole document, and a file replaced atomically or left as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "btstore/convert.h"
#include "common/file_util.h"
#include "convert/result_files.h"
#include "json/result_writer.h"
#include "support/random_result.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace btstore {
namespace {

using testing::random_result;
using testing::run_process;
using testing::TempDir;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_text(const std::filesystem::path& p, std::string_view text) {
  ASSERT_TRUE(write_file_synced(p, text).ok());
}

// Random results converted to Parquet, with more symbols than the writer's run of 8,192 rows.
std::filesystem::path converted(const TempDir& tmp, uint64_t seed, const std::string& name) {
  std::mt19937_64 rng(seed);
  testing::RandomResultOptions options;
  options.max_symbols = 40;
  const std::string json = json::write_result(random_result(rng, options));
  const std::filesystem::path dir = tmp / name;
  auto summary = json_to_parquet(json, dir);
  EXPECT_TRUE(summary.ok()) << summary.status().to_string();
  return dir;
}

std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ParquetToJsonPieces, EqualTheWholeDocumentOnEveryThreadCount) {
  TempDir tmp;
  for (uint64_t seed : {1, 2, 3}) {
    const std::filesystem::path dir = converted(tmp, seed, "r" + std::to_string(seed));
    auto whole = parquet_to_json(dir);
    ASSERT_TRUE(whole.ok()) << whole.status().to_string();
    // The sequential reference: one thread reading the files, the model written whole.
    auto model = convert::read_result_dir(dir, nullptr, 1);
    ASSERT_TRUE(model.ok());
    ASSERT_EQ(*whole, json::write_result(*model, 0));
    for (int threads : {1, 2, 4}) {
      std::string pieces;
      Status st = parquet_to_json(
          dir, [&](std::string_view piece) { return (pieces += piece, Status::OK()); }, threads);
      ASSERT_TRUE(st.ok()) << st.to_string();
      ASSERT_EQ(pieces, *whole) << "threads " << threads;
    }
  }
}

TEST(ParquetToJsonPieces, ReadingOnThreadsGivesTheSameModel) {
  TempDir tmp;
  const std::filesystem::path dir = converted(tmp, 9, "r");
  model::Manifest one, two;
  auto a = convert::read_result_dir(dir, &one, 1);
  auto b = convert::read_result_dir(dir, &two, 3);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(testing::result_difference(*a, *b), "");
  EXPECT_EQ(one.parquet_files.size(), two.parquet_files.size());
}

TEST(ParquetToJsonCli, WritesTheSameBytesToAFileAsToStandardOutput) {
  TempDir tmp;
  const std::filesystem::path dir = converted(tmp, 4, "r");
  const std::filesystem::path out = tmp / "out.json";
  write_text(out, "old content");
  ASSERT_EQ(::chmod(out.c_str(), 0604), 0);
  auto to_file = run_process({BTSTORE_CLI, "parquet-to-json", dir.string(), "-o", out.string()});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.describe();
  auto to_stdout = run_process({BTSTORE_CLI, "parquet-to-json", dir.string()});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.describe();
  EXPECT_EQ(slurp(out), to_stdout.out);
  EXPECT_EQ(to_stdout.out, *parquet_to_json(dir) + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0604u);  // the replaced file's permissions are kept
  EXPECT_EQ(entries(tmp.path()), (std::vector<std::string>{"out.json", "r"}));
}

TEST(ParquetToJsonCli, AFailureKeepsTheExistingFileAndLeavesNoTemporaryFile) {
  TempDir tmp;
  const std::filesystem::path dir = converted(tmp, 5, "r");
  // A damaged curve file: the conversion fails after the other files were read.
  const std::filesystem::path curve = dir / "performance_curve.parquet";
  std::string bytes = slurp(curve);
  bytes.resize(bytes.size() / 2);
  write_text(curve, bytes);
  const std::filesystem::path out = tmp / "out.json";
  write_text(out, "old content");
  auto run = run_process({BTSTORE_CLI, "parquet-to-json", dir.string(), "-o", out.string()});
  EXPECT_NE(run.exit_code, 0) << run.describe();
  EXPECT_EQ(slurp(out), "old content");
  EXPECT_EQ(entries(tmp.path()), (std::vector<std::string>{"out.json", "r"}));
}

TEST(ParquetToJsonCli, AnOutputInAMissingDirectoryFailsAndCreatesNothing) {
  TempDir tmp;
  const std::filesystem::path dir = converted(tmp, 6, "r");
  const std::filesystem::path out = tmp / "missing" / "out.json";
  auto run = run_process({BTSTORE_CLI, "parquet-to-json", dir.string(), "-o", out.string()});
  EXPECT_NE(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.err.find("missing/out.json"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(tmp / "missing"));
}

TEST(ParquetToJsonCli, WritesThroughToADeviceInPlace) {
  TempDir tmp;
  const std::filesystem::path dir = converted(tmp, 7, "r");
  auto run = run_process({BTSTORE_CLI, "parquet-to-json", dir.string(), "-o", "/dev/null"});
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));  // still the device, not a file renamed over it
}

}  // namespace
}  // namespace btstore
