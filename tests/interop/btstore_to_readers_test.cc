// Files written by btstore, read by three independent readers from npm:
// DuckDB (C++), parquet-wasm (Rust's parquet crate) and hyparquet (JavaScript).
// Each must report the design's types (string, double, int32, timestamp[us])
// and every value of the model: doubles bit-exact, microseconds exact, nulls
// in place, rows in order.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "btstore/convert.h"
#include "canonical_doc.h"
#include "interop_cases.h"
#include "interop_env.h"
#include "model/schema.h"

namespace btstore::interop {
namespace {

struct WrittenFile {
  std::string path;
  const InteropCase* source;
  model::TableKind kind;
};

class BtstoreToReaders : public ::testing::Test {
 protected:
  // Each test runs in its own process under ctest, so this runs once per test:
  // the edge case goes through every codec, the larger ones through one each.
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir("to-readers");
    cases_ = new std::vector<InteropCase>;
    files_ = new std::vector<WrittenFile>;
    cases_->push_back(edge_case());
    cases_->push_back(make_case("many_rows", many_rows_result(20'011, 10'007, 7)));
    for (auto& c : random_cases(3, 17)) cases_->push_back(std::move(c));
    const Compression kCodecs[] = {Compression::kSnappy, Compression::kZstd,
                                   Compression::kUncompressed};
    for (Compression codec : kCodecs) write_case((*cases_)[0], codec);
    for (size_t i = 1; i < cases_->size(); ++i) write_case((*cases_)[i], kCodecs[i % 3]);
  }

  static void write_case(const InteropCase& c, Compression codec) {
    auto dir = scratch_->path() / (c.name + "-" + std::string(compression_name(codec)));
    auto written = json_to_parquet(c.json, dir, ConvertOptions{codec, 10'000});
    if (!written.ok()) {
      setup_error_ += c.name + ": " + written.status().to_string() + "\n";
      return;
    }
    for (model::TableKind kind : model::kAllTables) {
      files_->push_back(
          {(dir / (std::string(model::table_name(kind)) + ".parquet")).string(), &c, kind});
    }
  }

  static void TearDownTestSuite() {
    delete files_;
    delete cases_;
    delete scratch_;
  }

  // Runs one reader over every file in one node process and compares.
  void check_reader(const std::string& script) {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    // The large case must span several row groups of 10,000 rows.
    ASSERT_GT((*cases_)[1].result.signals.num_rows(), 20'000u);
    ASSERT_GT((*cases_)[1].result.curve.num_rows(), 10'000u);
    BTSTORE_REQUIRE_NODE();
    std::vector<std::string> paths;
    for (const auto& f : *files_) paths.push_back(f.path);
    ProcessResult run = run_node(script, paths);
    ASSERT_TRUE(run.ok()) << script << ": " << run.describe() << "\n" << run.err;
    std::vector<Document> docs = parse_documents(run.out);
    ASSERT_EQ(docs.size(), paths.size()) << script << " printed " << docs.size() << " documents";
    for (size_t i = 0; i < files_->size(); ++i) {
      const WrittenFile& f = (*files_)[i];
      auto problems = compare_with_table(docs[i], model::view(f.source->result, f.kind));
      std::string text;
      for (const auto& p : problems) text += "  " + p + "\n";
      EXPECT_TRUE(problems.empty()) << script << " reading " << f.path << ":\n" << text;
    }
  }

  static ScratchDir* scratch_;
  static std::vector<InteropCase>* cases_;
  static std::vector<WrittenFile>* files_;
  static std::string setup_error_;
};

ScratchDir* BtstoreToReaders::scratch_ = nullptr;
std::vector<InteropCase>* BtstoreToReaders::cases_ = nullptr;
std::vector<WrittenFile>* BtstoreToReaders::files_ = nullptr;
std::string BtstoreToReaders::setup_error_;

TEST_F(BtstoreToReaders, DuckdbReadsEveryValueWithTheDesignTypes) {
  check_reader("read_duckdb.mjs");
}

TEST_F(BtstoreToReaders, HyparquetReadsEveryValueWithTheDesignTypes) {
  check_reader("read_hyparquet.mjs");
}

TEST_F(BtstoreToReaders, ParquetWasmReadsEveryValueWithTheDesignTypes) {
  check_reader("read_parquet_wasm.mjs");
}

// btstore's own generic reader (`btstore parquet-cat`) must agree with the
// model too: it is the reader the conformance test compares with DuckDB.
TEST_F(BtstoreToReaders, BtstoreParquetCatReadsEveryValueWithTheDesignTypes) {
  ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  for (const WrittenFile& f : *files_) {
    ProcessResult run = run_cli({"parquet-cat", f.path}, 60);
    ASSERT_TRUE(run.ok()) << f.path << ": " << run.describe() << "\n" << run.err;
    std::vector<Document> docs = parse_documents(run.out);
    ASSERT_EQ(docs.size(), 1u);
    auto problems = compare_with_table(docs[0], model::view(f.source->result, f.kind));
    std::string text;
    for (const auto& p : problems) text += "  " + p + "\n";
    EXPECT_TRUE(problems.empty()) << "parquet-cat " << f.path << ":\n" << text;
  }
}

}  // namespace
}  // namespace btstore::interop
