// `btstore parquet-cat` and `btstore parquet-schema` on a file btstore wrote,
// and their errors.
#include <gtest/gtest.h>

#include "btstore/convert.h"
#include "canonical_doc.h"
#include "interop_cases.h"
#include "interop_env.h"

namespace btstore::interop {
namespace {

class CliInspect : public ::testing::Test {
 protected:
  void SetUp() override {
    auto written = json_to_parquet(kEdgeResultJson, scratch_.path());
    ASSERT_TRUE(written.ok()) << written.status().to_string();
  }
  std::string file(const char* table) {
    return (scratch_.path() / (std::string(table) + ".parquet")).string();
  }
  ScratchDir scratch_{"cli-inspect"};
};

TEST_F(CliInspect, ParquetCatLimitPrintsTheFirstRows) {
  ProcessResult run = run_cli({"parquet-cat", file("symbol_signals"), "--limit", "2"});
  ASSERT_TRUE(run.ok()) << run.describe() << run.err;
  auto docs = parse_documents(run.out);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(docs[0].rows.size(), 2u);
  EXPECT_EQ(docs[0].schema.size(), 12u);
  EXPECT_EQ(docs[0].rows[0][0], Cell(std::string("비트코인/USDT")));
  EXPECT_EQ(docs[0].rows[0][2], Cell(std::string("-62135596800000000")));  // 0001-01-01
  EXPECT_EQ(docs[0].rows[0][5], Cell(std::monostate{}));
  EXPECT_EQ(docs[0].rows[0][6], Cell(std::string("-5e-324")));
}

TEST_F(CliInspect, ParquetCatLimitZeroPrintsTheSchemaOnly) {
  ProcessResult run = run_cli({"parquet-cat", file("performance_curve"), "--limit", "0"});
  ASSERT_TRUE(run.ok()) << run.describe() << run.err;
  auto docs = parse_documents(run.out);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].schema.size(), 7u);
  EXPECT_TRUE(docs[0].rows.empty());
}

TEST_F(CliInspect, ParquetSchemaNamesTheLogicalTypes) {
  ProcessResult run = run_cli({"parquet-schema", file("symbol_signals")});
  ASSERT_TRUE(run.ok()) << run.describe() << run.err;
  EXPECT_NE(run.out.find("TIMESTAMP(isAdjustedToUTC=false, unit=MICROS)"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("signal_index"), std::string::npos);
}

TEST_F(CliInspect, MissingFileFailsWithAMessage) {
  for (const char* cmd : {"parquet-cat", "parquet-schema"}) {
    ProcessResult run = run_cli({cmd, file("no_such_table")});
    EXPECT_EQ(run.exit_code, 3) << cmd << ": " << run.describe();  // kExitNotFound
    EXPECT_NE(run.err.find("no_such_table.parquet"), std::string::npos) << run.err;
  }
}

TEST_F(CliInspect, NonParquetFileIsRefusedAsCorrupt) {
  auto path = scratch_.path() / "metadata.json";
  for (const char* cmd : {"parquet-cat", "parquet-schema"}) {
    ProcessResult run = run_cli({cmd, path.string()});
    EXPECT_EQ(run.exit_code, 4) << cmd << ": " << run.describe();  // kExitIntegrity
    EXPECT_NE(run.err.find("metadata.json"), std::string::npos) << run.err;
  }
}

TEST_F(CliInspect, NegativeLimitIsAUsageError) {
  ProcessResult run = run_cli({"parquet-cat", file("symbol_summary"), "--limit", "-1"});
  EXPECT_EQ(run.exit_code, 2) << run.describe();
}

}  // namespace
}  // namespace btstore::interop
