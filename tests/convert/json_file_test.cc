// json_file_to_parquet: the mapped input gives the same files as the in-memory path.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "btstore/convert.h"
#include "common/file_util.h"
#include "convert/json_input.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "support/random_result.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace btstore {
namespace {

using testing::TempDir;

TEST(MappedJson, TextIsTheFileFollowedByZeroPadding) {
  TempDir dir;
  // Sizes around a page boundary: the padding then lies in the next page.
  for (size_t size : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, size_t{8192 - 10}}) {
    const std::string content(size, 'x');
    const auto path = dir.path() / ("f" + std::to_string(size));
    ASSERT_TRUE(write_file_synced(path, content).ok());
    auto mapped = convert::MappedJson::open(path, content.size());
    ASSERT_TRUE(mapped.ok()) << mapped.status().to_string();
    ASSERT_EQ(mapped->text(), content);
    for (size_t i = 0; i < json::kParsePadding; ++i) {
      ASSERT_EQ(mapped->text().data()[size + i], '\0') << "size " << size << " byte " << i;
    }
  }
}

TEST(MappedJson, MissingFileIsNotFound) {
  TempDir dir;
  auto mapped = convert::MappedJson::open(dir.path() / "absent.json", 1);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), StatusCode::kNotFound);
  EXPECT_NE(mapped.status().message().find("absent.json"), std::string::npos);
}

TEST(JsonFileToParquet, WritesTheSameParquetFilesAsTheInMemoryPath) {
  std::mt19937_64 rng(7);
  const model::BacktestResult original = testing::random_result(rng);
  const std::string json = json::write_result(original, 0);
  TempDir dir;
  ASSERT_TRUE(write_file_synced(dir.path() / "in.json", json).ok());
  auto from_memory = json_to_parquet(json, dir.path() / "a");
  auto from_file = json_file_to_parquet(dir.path() / "in.json", dir.path() / "b");
  ASSERT_TRUE(from_memory.ok()) << from_memory.status().to_string();
  ASSERT_TRUE(from_file.ok()) << from_file.status().to_string();
  ASSERT_EQ(from_file->files.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(from_file->files[i].etag, from_memory->files[i].etag);
    EXPECT_EQ(from_file->files[i].row_count, from_memory->files[i].row_count);
  }
  auto back = parquet_to_json(dir.path() / "b");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, json);
}

TEST(JsonFileToParquet, InvalidDocumentWritesNothing) {
  TempDir dir;
  ASSERT_TRUE(write_file_synced(dir.path() / "in.json", R"({"strategy": 5})").ok());
  auto summary = json_file_to_parquet(dir.path() / "in.json", dir.path() / "out");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(JsonFileToParquet, FileOverTheSizeLimitIsRefusedWithTheLimitMessage) {
  std::mt19937_64 rng(5);
  const std::string json = json::write_result(testing::random_result(rng), 0);
  TempDir dir;
  ASSERT_TRUE(write_file_synced(dir.path() / "in.json", json).ok());
  ConvertOptions options;
  options.max_json_bytes = json.size() - 1;
  auto refused = json_file_to_parquet(dir.path() / "in.json", dir.path() / "out", options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("more than the limit of " +
                                            std::to_string(json.size() - 1) + " bytes"),
            std::string::npos)
      << refused.status().to_string();
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
  options.max_json_bytes = json.size();
  EXPECT_TRUE(json_file_to_parquet(dir.path() / "in.json", dir.path() / "out", options).ok());
}

// The process's mapped bytes now (the first field of /proc/self/statm, in pages).
uint64_t mapped_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0;
  statm >> pages;
  return pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

TEST(JsonFileToParquet, OversizedFileIsRefusedBeforeItIsMapped) {
  // A sparse 64 GiB file in a child process that may map at most 1 GiB more than it has:
  // mapping the file would fail (ENOMEM), refusing it by its size first does not.
  TempDir dir;
  const auto path = dir.path() / "huge.json";
  { std::ofstream create(path); }
  std::filesystem::resize_file(path, uint64_t{64} << 30);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const rlimit limit{mapped_bytes() + (uint64_t{1} << 30), RLIM_INFINITY};
    if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(3);
    ConvertOptions options;
    options.max_json_bytes = 1 << 20;
    auto r = json_file_to_parquet(path, dir.path() / "out", options);
    const bool limit_message =
        !r.ok() &&
        r.status().message().find("more than the limit of 1048576 bytes") != std::string::npos;
    ::_exit(limit_message ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: another error than the size limit; 3: setrlimit";
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(JsonFileToParquet, OneThreadGivesTheSameFiles) {
  std::mt19937_64 rng(11);
  const std::string json = json::write_result(testing::random_result(rng), 0);
  TempDir dir;
  ASSERT_TRUE(write_file_synced(dir.path() / "in.json", json).ok());
  ConvertOptions one;
  one.threads = 1;
  auto serial = json_file_to_parquet(dir.path() / "in.json", dir.path() / "a", one);
  auto parallel = json_file_to_parquet(dir.path() / "in.json", dir.path() / "b");
  ASSERT_TRUE(serial.ok() && parallel.ok());
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(serial->files[i].etag, parallel->files[i].etag);
}

std::vector<std::string> stage_names(const ConvertSummary& summary) {
  std::vector<std::string> names;
  for (const StageTime& t : summary.stages) {
    EXPECT_GE(t.seconds, 0.0) << t.stage;
    names.push_back(t.stage);
  }
  return names;
}

TEST(ConvertStages, EachConversionReportsItsStagesInOrder) {
  std::mt19937_64 rng(13);
  const std::string json = json::write_result(testing::random_result(rng), 0);
  TempDir dir;
  ASSERT_TRUE(write_file_synced(dir.path() / "in.json", json).ok());
  auto from_file = json_file_to_parquet(dir.path() / "in.json", dir.path() / "a");
  ASSERT_TRUE(from_file.ok()) << from_file.status().to_string();
  EXPECT_EQ(stage_names(*from_file),
            (std::vector<std::string>{"read", "parse", "encode", "write"}));
  auto from_memory = json_to_parquet(json, dir.path() / "b");
  ASSERT_TRUE(from_memory.ok()) << from_memory.status().to_string();
  EXPECT_EQ(stage_names(*from_memory), (std::vector<std::string>{"parse", "encode", "write"}));
}

// `--json` lists the stages, whether the CLI maps the file or reads standard input.
TEST(ConvertStages, TheCliPrintsThemInItsJsonSummary) {
  std::mt19937_64 rng(17);
  const std::string json = json::write_result(testing::random_result(rng), 0);
  TempDir dir;
  ASSERT_TRUE(write_file_synced(dir.path() / "in.json", json).ok());
  testing::RunOptions piped;
  piped.stdin_data = json;
  for (const auto& [input, run] :
       {std::pair{(dir.path() / "in.json").string(), testing::RunOptions{}},
        std::pair{std::string("-"), piped}}) {
    SCOPED_TRACE(input);
    auto r = testing::run_process(
        {BTSTORE_CLI, "json-to-parquet", "--json", input, (dir.path() / "out").string()}, run);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS) << r.out;
    std::vector<std::string> names;
    for (simdjson::dom::element stage : doc["stages"].get_array()) {
      names.emplace_back(std::string_view(stage["stage"]));
      EXPECT_GE(double(stage["seconds"]), 0.0);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"read", "parse", "encode", "write"}));
  }
}

}  // namespace
}  // namespace btstore
