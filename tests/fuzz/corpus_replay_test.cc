// Replays the committed fuzz corpus (tests/fuzz/corpus/<target>/) and the inputs of past
// findings (tests/fuzz/regressions/<target>/) through the fuzz targets' own entry points.
// Every input must end without a crash or a violation; a regression input must be refused
// with an error unless its name ends in ".valid" (an input that is fine but once crashed).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/entry_points.h"

namespace btstore::fuzz {
namespace {

namespace fs = std::filesystem;

struct Target {
  const char* name;  // the folder under corpus/ and regressions/
  Outcome (*body)(std::string_view);
};

constexpr Target kTargets[] = {
    {"json", json_ingest}, {"parquet", parquet_read}, {"thrift", thrift_decode}};

fs::path fuzz_dir() { return fs::path(BTSTORE_SOURCE_DIR) / "tests" / "fuzz"; }

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename() != "README.md") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(CorpusReplay, EveryCorpusInputRunsWithoutAViolation) {
  size_t total = 0;
  for (const Target& t : kTargets) {
    const std::vector<fs::path> files = files_under(fuzz_dir() / "corpus" / t.name);
    EXPECT_FALSE(files.empty()) << "no corpus for target " << t.name;
    for (const fs::path& f : files) {
      const Outcome out = t.body(read_bytes(f));
      EXPECT_EQ(out.violation, "") << t.name << " " << f.filename();
    }
    total += files.size();
  }
  std::printf("replayed %zu corpus inputs\n", total);
}

TEST(CorpusReplay, RegressionInputsAreRefusedWithAnError) {
  for (const Target& t : kTargets) {
    for (const fs::path& f : files_under(fuzz_dir() / "regressions" / t.name)) {
      const Outcome out = t.body(read_bytes(f));
      EXPECT_EQ(out.violation, "") << t.name << " " << f.filename();
      if (!ends_with(f.filename().string(), ".valid")) {
        EXPECT_FALSE(out.status.ok()) << t.name << " " << f.filename() << " was accepted";
        EXPECT_FALSE(out.status.message().empty()) << f.filename();
      }
    }
  }
}

TEST(CorpusReplay, ExampleDocumentsConvertAndReadBackUnchanged) {
  const fs::path examples = fs::path(BTSTORE_SOURCE_DIR) / "examples";
  const std::vector<fs::path> files = files_under(examples);
  ASSERT_FALSE(files.empty());
  for (const fs::path& f : files) {
    const Outcome out = json_ingest(read_bytes(f));
    EXPECT_TRUE(out.status.ok()) << f.filename() << ": " << out.status.to_string();
    EXPECT_EQ(out.violation, "") << f.filename();
  }
}

}  // namespace
}  // namespace btstore::fuzz
