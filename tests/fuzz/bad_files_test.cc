// Every damaged Parquet file of tests/data (parquet-testing's bad_data and the OSS-Fuzz
// reproducers of arrow-testing) is refused with an error Status by the reader, in process
// (so that a sanitizer build sees every read) and through the fuzz target's entry point: never
// a crash, never a success -- except the two valid files listed below, read whole.
// tests/interop/conformance_test.cc runs the same files through the CLI against DuckDB; this test
// is the stricter, in-process half.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/entry_points.h"

namespace btstore::fuzz {
namespace {

namespace fs = std::filesystem;

fs::path testdata() { return fs::path(BTSTORE_TESTDATA_DIR); }

// Files of those folders that are valid Parquet: they once crashed another reader, and btstore
// reads them whole (tests/interop/conformance_test.cc checks the values equal DuckDB's).
// Anything else read without an error fails the test.
struct ReadableFile {
  std::string_view name;
  int64_t rows;
  int columns;
  std::string_view why;
};
constexpr ReadableFile kReadableFiles[] = {
    {"ARROW-GH-43605.parquet", 21186, 1,
     "RLE dictionary indices of bit width 0 are valid for a one-value dictionary"},
    {"clusterfuzz-testcase-minimized-parquet-arrow-fuzz-5382863341289472", 5120, 2,
     "two REQUIRED INT32 columns in valid SNAPPY pages"},
};

const ReadableFile* readable(const fs::path& f) {
  for (const ReadableFile& r : kReadableFiles) {
    if (f.filename().string() == r.name) return &r;
  }
  return nullptr;
}

std::vector<fs::path> damaged_files() {
  std::vector<fs::path> out;
  for (const char* dir : {"parquet-testing/bad_data", "arrow-testing-parquet/fuzzing"}) {
    if (!fs::is_directory(testdata() / dir)) continue;
    for (const auto& e : fs::directory_iterator(testdata() / dir)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.find("README") == std::string::npos) {
        out.push_back(e.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(BadFiles, EveryDamagedFileIsRefusedWithAnError) {
  const std::vector<fs::path> files = damaged_files();
  ASSERT_GT(files.size(), 100u) << "test data missing under " << testdata();
  std::map<StatusCode, int> codes;
  for (const fs::path& f : files) {
    const Outcome out = parquet_read(read_bytes(f));
    const std::string name = fs::relative(f, testdata()).string();
    EXPECT_EQ(out.violation, "") << name;
    ++codes[out.status.code()];
    if (const ReadableFile* r = readable(f)) {
      EXPECT_TRUE(out.status.ok()) << name << " (" << r->why << "): " << out.status.to_string();
      auto reader = parquet::FileReader::open(read_bytes(f), name);
      ASSERT_TRUE(reader.ok()) << name;
      EXPECT_EQ(reader->num_rows(), r->rows) << name;
      EXPECT_EQ(reader->num_columns(), r->columns) << name;
      continue;
    }
    EXPECT_FALSE(out.status.ok()) << name << " was read without an error";
    EXPECT_GT(out.status.message().size(), 10u) << name << ": " << out.status.to_string();
  }
  std::printf("%zu damaged files:", files.size());
  for (auto [code, n] : codes) {
    std::printf(" %s %d;", std::string(Status::code_name(code)).c_str(), n);
  }
  std::printf("\n");
}

// The footers of the same files through the Thrift decoder alone, and every file as JSON
// input: arbitrary binary must be refused there too.
TEST(BadFiles, DamagedFilesAreRefusedByTheOtherTargetsWithoutAViolation) {
  for (const fs::path& f : damaged_files()) {
    const std::string bytes = read_bytes(f);
    EXPECT_EQ(thrift_decode(bytes).violation, "") << f.filename();
    const Outcome json = json_ingest(bytes);
    EXPECT_EQ(json.violation, "") << f.filename();
    EXPECT_FALSE(json.status.ok()) << f.filename();
  }
}

}  // namespace
}  // namespace btstore::fuzz
