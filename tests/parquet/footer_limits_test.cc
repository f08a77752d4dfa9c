// A footer that claims more rows than its file could hold is refused before any page is
// decoded, by the decoded size the claim implies.
#include "parquet/footer_limits.h"

#include <gtest/gtest.h>

#include <string>

#include "common/coding.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/table_gen.h"

namespace btstore::parquet {
namespace {

std::string small_curve_file() {
  testing::TableGen gen(7);
  model::BacktestResult r;
  r.curve = gen.curve(20);
  WriterOptions options;
  options.row_group_size = 20;
  auto bytes = write_table(model::view(r, model::TableKind::kCurve), options);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : std::string();
}

std::string with_footer(const std::string& file, const FileMetaData& footer) {
  const uint32_t old_len = decode_fixed32(file.data() + file.size() - 8);
  std::string out = file.substr(0, file.size() - 8 - old_len);
  const std::string encoded = serialize_file_metadata(footer);
  out += encoded;
  put_fixed32(static_cast<uint32_t>(encoded.size()), out);
  return out + "PAR1";
}

// The file with its single row group claiming `rows` rows (consistently everywhere).
std::string claiming_rows(const std::string& file, int64_t rows) {
  auto reader = FileReader::open(file, "x.parquet");
  EXPECT_TRUE(reader.ok());
  FileMetaData md = reader->metadata();
  md.num_rows = rows;
  md.row_groups.at(0).num_rows = rows;
  for (auto& c : md.row_groups[0].columns) c.meta_data->num_values = rows;
  return with_footer(file, md);
}

TEST(FooterLimits, RowBytesFollowThePhysicalType) {
  SchemaElement e;
  e.type = Type::kDouble;
  EXPECT_EQ(decoded_row_bytes(e), 9);
  e.type = Type::kInt32;
  EXPECT_EQ(decoded_row_bytes(e), 5);
  e.type = Type::kByteArray;
  EXPECT_EQ(decoded_row_bytes(e), static_cast<int64_t>(sizeof(std::string)) + 1);
}

TEST(FooterLimits, MillionsOfRowsInAFewKilobytesAreRefusedBeforeDecoding) {
  const std::string file = small_curve_file();
  const int64_t rows = int64_t{60} << 20;  // below kMaxRowsPerFile, far beyond the bytes
  auto reader = FileReader::open(claiming_rows(file, rows), "x.parquet");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(reader.status().message().find("x.parquet: the footer claims " + std::to_string(rows) +
                                           " rows"),
            std::string::npos)
      << reader.status().message();
}

TEST(FooterLimits, ClaimsWithinTheBudgetReachTheDecoder) {
  // 100,000 rows fit the minimum budget: the footer passes, the pages then run out.
  const std::string forged = claiming_rows(small_curve_file(), 100'000);
  auto reader = FileReader::open(forged, "x.parquet");
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  auto column = reader->read_column(0);
  EXPECT_EQ(column.status().code(), StatusCode::kCorruption) << column.status().to_string();
}

TEST(FooterLimits, BudgetGrowsWithTheFile) {
  FileMetaData md;
  md.schema.resize(2);
  md.schema[1].type = Type::kInt64;  // 9 bytes a row
  md.num_rows = kMinDecodedBytes / 9;
  EXPECT_TRUE(check_decoded_size(md, 100).ok());
  md.num_rows += 1;
  EXPECT_EQ(check_decoded_size(md, 100).code(), StatusCode::kNotSupported);
  const uint64_t larger_file = 2 * kMinDecodedBytes / kDecodedBytesPerFileByte;
  EXPECT_TRUE(check_decoded_size(md, larger_file).ok());
}

}  // namespace
}  // namespace btstore::parquet
