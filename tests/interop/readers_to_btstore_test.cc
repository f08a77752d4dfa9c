// Files of the design's schemas written by DuckDB (tests/interop/write_duckdb.mjs),
// read back by btstore's parquet_to_json: every value must equal the model the
// files were written from, whatever codec, page version and encodings DuckDB
// chose (v1: PLAIN and dictionary pages; v2: data page v2 with DELTA_*
// and BYTE_STREAM_SPLIT encodings).
#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "btstore/convert.h"
#include "common/file_util.h"
#include "common/md5.h"
#include "common/time.h"
#include "interop_cases.h"
#include "interop_env.h"
#include "json/manifest_json.h"
#include "json/result_parser.h"
#include "model/manifest.h"
#include "model/schema.h"
#include "support/random_result.h"

namespace btstore::interop {
namespace {

// DuckDB writes no metadata.json; parquet_to_json needs one for the header
// fields and row counts, so the test writes what btstore would have written.
Status write_manifest_for(const std::filesystem::path& dir, const model::BacktestResult& result,
                          const std::string& compression) {
  model::Manifest manifest;
  manifest.compression = compression;
  manifest.created_at = format_timestamp(now_micros());
  manifest.header = result.header;
  for (model::TableKind kind : model::kAllTables) {
    std::string table(model::table_name(kind));
    BTSTORE_ASSIGN_OR_RETURN(std::string bytes,
                             read_file(dir / (table + ".parquet"), uint64_t{1} << 30));
    manifest.parquet_files.push_back({table,
                                      static_cast<int64_t>(model::view(result, kind).num_rows),
                                      static_cast<int64_t>(bytes.size()), md5_hex(bytes)});
  }
  write_text_file(dir / model::kManifestFileName, json::write_manifest(manifest));
  return Status::OK();
}

struct Variant {
  const char* compression;
  const char* version;
};

void PrintTo(const Variant& v, std::ostream* os) { *os << v.compression << " " << v.version; }

class ReadersToBtstore : public ::testing::TestWithParam<Variant> {
 protected:
  static void SetUpTestSuite() {
    cases_ = new std::vector<InteropCase>;
    cases_->push_back(edge_case());
    cases_->push_back(make_case("many_rows", many_rows_result(20'011, 10'007, 11)));
    for (auto& c : random_cases(2, 23)) cases_->push_back(std::move(c));
  }
  static void TearDownTestSuite() { delete cases_; }
  static std::vector<InteropCase>* cases_;
};

std::vector<InteropCase>* ReadersToBtstore::cases_ = nullptr;

TEST_P(ReadersToBtstore, ParquetToJsonGivesEveryValueOfDuckdbFiles) {
  BTSTORE_REQUIRE_NODE();
  const Variant& v = GetParam();
  ScratchDir scratch(std::string("from-duckdb-") + v.compression + "-" + v.version);
  // One node process writes every case.
  std::vector<std::string> args = {"--compression", v.compression, "--parquet-version", v.version};
  for (const InteropCase& c : *cases_) {
    auto json_path = scratch.path() / (c.name + ".json");
    write_text_file(json_path, c.json);
    args.push_back(json_path.string());
    args.push_back((scratch.path() / c.name).string());
  }
  ProcessResult run = run_node("write_duckdb.mjs", args);
  ASSERT_TRUE(run.ok()) << "write_duckdb.mjs: " << run.describe() << "\n" << run.err;

  for (const InteropCase& c : *cases_) {
    SCOPED_TRACE(c.name);
    auto dir = scratch.path() / c.name;
    Status st = write_manifest_for(dir, c.result, v.compression);
    ASSERT_TRUE(st.ok()) << st.to_string();
    auto text = parquet_to_json(dir);
    if (!text.ok()) {
      ADD_FAILURE() << "parquet_to_json(" << dir << "): " << text.status().to_string();
      continue;
    }
    auto back = json::parse_result(*text);
    if (!back.ok()) {
      ADD_FAILURE() << "parquet_to_json gave a document parse_result refuses: "
                    << back.status().to_string();
      continue;
    }
    EXPECT_EQ(testing::result_difference(c.result, *back), "")
        << "DuckDB " << v.compression << " " << v.version;
  }
}

INSTANTIATE_TEST_SUITE_P(DuckdbCodecsAndPageVersions, ReadersToBtstore,
                         ::testing::Values(Variant{"snappy", "v1"}, Variant{"zstd", "v1"},
                                           Variant{"gzip", "v1"}, Variant{"uncompressed", "v1"},
                                           Variant{"snappy", "v2"}, Variant{"zstd", "v2"},
                                           Variant{"gzip", "v2"}, Variant{"uncompressed", "v2"}),
                         [](const ::testing::TestParamInfo<Variant>& info) {
                           return std::string(info.param.compression) + "_" + info.param.version;
                         });

}  // namespace
}  // namespace btstore::interop
