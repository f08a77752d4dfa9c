// read_table() on files of btstore's schemas as other writers produce them, and on files whose
// schema differs: the message names the field and both types.
#include "parquet/schema_check.h"

#include <gtest/gtest.h>

#include "common/coding.h"
#include "parquet/file_builder.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/table_gen.h"

namespace btstore::parquet {
namespace {

using model::TableKind;

struct CurveFile {
  model::BacktestResult result;
  std::string bytes;
  FileMetaData footer;
};

CurveFile curve_file() {
  CurveFile f;
  testing::TableGen gen(3);
  f.result.curve = gen.curve(50);
  f.bytes = *write_table(model::view(f.result, TableKind::kCurve), WriterOptions{});
  f.footer = FileReader::open(f.bytes, "x")->metadata();
  return f;
}

std::string with_footer(const std::string& file, const FileMetaData& footer) {
  const uint32_t old_len = decode_fixed32(file.data() + file.size() - 8);
  std::string out = file.substr(0, file.size() - 8 - old_len);
  const std::string encoded = serialize_file_metadata(footer);
  out += encoded;
  put_fixed32(static_cast<uint32_t>(encoded.size()), out);
  return out + "PAR1";
}

Status read_curve(const std::string& bytes, model::BacktestResult* out) {
  return read_table(bytes, "performance_curve.parquet", TableKind::kCurve, *out);
}

constexpr int kTimestamp = 3;  // schema index of performance_curve.timestamp (root is 0)

TEST(SchemaCheck, TimestampWithoutLogicalTypeIsNamedWithBothTypes) {
  CurveFile f = curve_file();
  f.footer.schema[kTimestamp].logical_type.reset();
  model::BacktestResult out;
  Status st = read_curve(with_footer(f.bytes, f.footer), &out);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_EQ(st.message(),
            "performance_curve.parquet: field 'timestamp' is int64 (no logical type), expected "
            "timestamp[us]");
  EXPECT_EQ(out.curve.num_rows(), 0u);
}

TEST(SchemaCheck, AcceptsOtherTimestampSpellings) {
  CurveFile f = curve_file();
  std::vector<std::function<void(SchemaElement&)>> variants = {
      [](SchemaElement& e) { e.logical_type->is_adjusted_to_utc = true; },
      [](SchemaElement& e) {
        e.logical_type.reset();
        e.converted_type = ConvertedType::kTimestampMicros;
      },
      [](SchemaElement& e) { e.converted_type = ConvertedType::kTimestampMicros; },
  };
  for (auto& change : variants) {
    FileMetaData md = f.footer;
    change(md.schema[kTimestamp]);
    model::BacktestResult out;
    ASSERT_TRUE(read_curve(with_footer(f.bytes, md), &out).ok());
    EXPECT_EQ(out.curve.timestamp, f.result.curve.timestamp);
  }
}

TEST(SchemaCheck, MillisecondsAreConvertedToMicroseconds) {
  CurveFile f = curve_file();
  // Keep the values small enough that x1000 fits.
  model::BacktestResult small = f.result;
  for (auto& v : small.curve.timestamp.values) v /= 1000;
  std::string bytes = *write_table(model::view(small, TableKind::kCurve), WriterOptions{});
  FileMetaData md = FileReader::open(bytes, "x")->metadata();
  md.schema[kTimestamp].logical_type->unit = TimeUnit::kMillis;
  model::BacktestResult out;
  ASSERT_TRUE(read_curve(with_footer(bytes, md), &out).ok());
  for (size_t i = 0; i < out.curve.num_rows(); ++i) {
    if (out.curve.timestamp.defined[i]) {
      EXPECT_EQ(out.curve.timestamp.values[i], small.curve.timestamp.values[i] * 1000);
    }
  }
}

TEST(SchemaCheck, NanosecondsMustBeWholeMicroseconds) {
  CurveFile f = curve_file();
  FileMetaData md = f.footer;
  md.schema[kTimestamp].logical_type->unit = TimeUnit::kNanos;
  model::BacktestResult out;
  Status st = read_curve(with_footer(f.bytes, md), &out);  // random micros: not multiples of 1000
  EXPECT_EQ(st.code(), StatusCode::kNotSupported) << st.to_string();
  EXPECT_NE(st.message().find("is not a whole number of microseconds"), std::string::npos);

  model::BacktestResult whole = f.result;
  for (auto& v : whole.curve.timestamp.values) v = v / 1000 * 1000;
  std::string bytes = *write_table(model::view(whole, TableKind::kCurve), WriterOptions{});
  md = FileReader::open(bytes, "x")->metadata();
  md.schema[kTimestamp].logical_type->unit = TimeUnit::kNanos;
  out = {};
  ASSERT_TRUE(read_curve(with_footer(bytes, md), &out).ok());
  for (size_t i = 0; i < out.curve.num_rows(); ++i) {
    if (out.curve.timestamp.defined[i]) {
      EXPECT_EQ(out.curve.timestamp.values[i], whole.curve.timestamp.values[i] / 1000);
    }
  }
}

TEST(SchemaCheck, StringsMayUseConvertedTypeOnlyButNotPlainBinary) {
  CurveFile f = curve_file();
  FileMetaData md = f.footer;
  md.schema[1].logical_type.reset();  // UTF8 remains
  model::BacktestResult out;
  ASSERT_TRUE(read_curve(with_footer(f.bytes, md), &out).ok());
  EXPECT_EQ(out.curve.symbol, f.result.curve.symbol);
  md.schema[1].converted_type.reset();
  Status st = read_curve(with_footer(f.bytes, md), &out);
  EXPECT_EQ(st.message(),
            "performance_curve.parquet: field 'symbol' is binary (no logical type), "
            "expected string");
}

TEST(SchemaCheck, Int32MayCarryAnInt32Annotation) {
  CurveFile f = curve_file();
  FileMetaData md = f.footer;
  md.schema[2].logical_type = LogicalType{};
  md.schema[2].logical_type->kind = LogicalType::Kind::kInteger;
  md.schema[2].logical_type->bit_width = 32;
  md.schema[2].converted_type = ConvertedType::kInt32;
  model::BacktestResult out;
  ASSERT_TRUE(read_curve(with_footer(f.bytes, md), &out).ok());
  md.schema[2].logical_type->bit_width = 16;
  EXPECT_EQ(read_curve(with_footer(f.bytes, md), &out).message(),
            "performance_curve.parquet: field 'idx' is int16, expected int32");
}

TEST(SchemaCheck, RootNameIsFree) {
  CurveFile f = curve_file();
  f.footer.schema[0].name = "duckdb_schema";
  model::BacktestResult out;
  EXPECT_TRUE(read_curve(with_footer(f.bytes, f.footer), &out).ok());
}

TEST(SchemaCheck, NamesAndOrderMustMatch) {
  CurveFile f = curve_file();
  FileMetaData md = f.footer;
  md.schema[4].name = "Equity";
  md.row_groups[0].columns[3].meta_data->path_in_schema = {"Equity"};
  model::BacktestResult out;
  Status st = read_curve(with_footer(f.bytes, md), &out);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("field 3 is 'Equity', expected 'equity'"), std::string::npos)
      << st.message();
  // A file of another table.
  st = read_table(f.bytes, "symbol_signals.parquet", TableKind::kSignals, out);
  EXPECT_NE(st.message().find("the file has 7 fields, symbol_signals has 12"), std::string::npos)
      << st.message();
}

TEST(SchemaCheck, RequiredFieldsFromOtherWritersAreRead) {
  using namespace testing;  // NOLINT
  const auto req = FieldRepetitionType::kRequired;
  SchemaElement symbol = leaf("symbol", Type::kByteArray, req);
  symbol.converted_type = ConvertedType::kUtf8;
  SchemaElement ts = leaf("timestamp", Type::kInt64, req);
  ts.logical_type = LogicalType::timestamp(true, TimeUnit::kMicros);
  FileBuilder b({symbol, leaf("idx", Type::kInt32, req), ts, leaf("equity", Type::kDouble, req),
                 leaf("drawdown", Type::kDouble), leaf("cumulative_pnl", Type::kDouble),
                 leaf("cumulative_pnl_pct", Type::kDouble)});
  b.begin_row_group(2);
  std::string names;
  encode_plain_byte_arrays(std::vector<std::string>{"A", "B"}, names);
  const std::vector<std::string> bodies = {names, plain<int32_t>({0, 1}), plain<int64_t>({-1, 1}),
                                           plain<double>({1, 2})};
  for (const std::string& body : bodies) {
    b.begin_column();
    b.add_page(data_page_v1(2, Encoding::kPlain), body);
    b.end_column();
  }
  for (int i = 0; i < 3; ++i) {
    b.begin_column();
    b.add_page(data_page_v1(2, Encoding::kPlain), v1_levels({0, 1}) + plain<double>({0.5}));
    b.end_column();
  }
  model::BacktestResult out;
  Status st = read_curve(b.finish(), &out);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(out.curve.symbol.values, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(out.curve.timestamp.values, (std::vector<int64_t>{-1, 1}));
  EXPECT_EQ(out.curve.drawdown.defined, (std::vector<uint8_t>{0, 1}));
}

TEST(SchemaCheck, ArrowTypeNames) {
  SchemaElement e = testing::leaf("x", Type::kInt64);
  EXPECT_EQ(arrow_type_name(e), "int64 (no logical type)");
  e.logical_type = LogicalType::timestamp(true, TimeUnit::kNanos);
  EXPECT_EQ(arrow_type_name(e), "timestamp[ns, tz=UTC]");
  e = testing::leaf("x", Type::kInt96);
  EXPECT_EQ(arrow_type_name(e), "int96 (legacy timestamp)");
  e = testing::leaf("x", Type::kFixedLenByteArray);
  e.type_length = 16;
  EXPECT_EQ(arrow_type_name(e), "fixed_size_binary[16]");
}

}  // namespace
}  // namespace btstore::parquet
