// write_table -> read_table round trips: every value, null and bit pattern comes back.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>

#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/table_gen.h"

namespace btstore::parquet {
namespace {

using model::TableKind;
using testing::TableGen;

// Bitwise comparison, so that -0.0 vs 0.0 and NaN payloads count as differences.
template <typename T>
void expect_same(const model::Column<T>& a, const model::Column<T>& b, const char* name) {
  ASSERT_EQ(a.size(), b.size()) << name;
  ASSERT_EQ(a.defined, b.defined) << name;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a.defined[i]) continue;
    if constexpr (std::is_same_v<T, double>) {
      ASSERT_EQ(std::bit_cast<uint64_t>(a.values[i]), std::bit_cast<uint64_t>(b.values[i]))
          << name << " row " << i;
    } else {
      ASSERT_EQ(a.values[i], b.values[i]) << name << " row " << i;
    }
  }
}

void expect_same_tables(model::BacktestResult& a, model::BacktestResult& b, TableKind kind) {
  const auto va = model::mutable_view(a, kind), vb = model::mutable_view(b, kind);
  const auto fields = model::table_fields(kind);
  for (size_t i = 0; i < fields.size(); ++i) {
    std::visit(
        [&](auto* ca) {
          using C = std::remove_pointer_t<decltype(ca)>;
          expect_same(*ca, *std::get<C*>(vb.columns[i]), fields[i].name.data());
        },
        va.columns[i]);
  }
}

model::BacktestResult round_trip(const model::BacktestResult& in, TableKind kind,
                                 const WriterOptions& options, std::string* file = nullptr) {
  auto bytes = write_table(model::view(in, kind), options);
  EXPECT_TRUE(bytes.ok()) << bytes.status().to_string();
  model::BacktestResult out;
  if (!bytes.ok()) return out;
  Status st = read_table(*bytes, "t.parquet", kind, out);
  EXPECT_TRUE(st.ok()) << st.to_string();
  if (file) *file = *bytes;
  return out;
}

class RoundTrip : public ::testing::TestWithParam<CompressionCodec> {};

TEST_P(RoundTrip, SignalsWithNullsAndSpecialValuesAcrossRowGroups) {
  TableGen gen(7);
  model::BacktestResult in;
  in.signals = gen.signals(25'003);
  WriterOptions options;
  options.codec = GetParam();
  model::BacktestResult out = round_trip(in, TableKind::kSignals, options);
  expect_same_tables(in, out, TableKind::kSignals);
}

TEST_P(RoundTrip, CurveWithoutNulls) {
  TableGen gen(8);
  model::BacktestResult in;
  in.curve = gen.curve(10'000, /*nulls=*/false);
  WriterOptions options;
  options.codec = GetParam();
  model::BacktestResult out = round_trip(in, TableKind::kCurve, options);
  expect_same_tables(in, out, TableKind::kCurve);
}

TEST_P(RoundTrip, SummaryWithSmallRowGroups) {
  TableGen gen(9);
  model::BacktestResult in;
  in.summary = gen.summary(57);
  WriterOptions options;
  options.codec = GetParam();
  options.row_group_size = 5;
  model::BacktestResult out = round_trip(in, TableKind::kSummary, options);
  expect_same_tables(in, out, TableKind::kSummary);
}

INSTANTIATE_TEST_SUITE_P(Codecs, RoundTrip,
                         ::testing::Values(CompressionCodec::kUncompressed,
                                           CompressionCodec::kSnappy, CompressionCodec::kGzip,
                                           CompressionCodec::kZstd),
                         [](const auto& info) { return std::string(codec_name(info.param)); });

TEST(RoundTripEdges, EmptyTableGivesAValidFileWithoutRowGroups) {
  model::BacktestResult in;
  std::string file;
  model::BacktestResult out = round_trip(in, TableKind::kSignals, WriterOptions{}, &file);
  EXPECT_EQ(out.signals.num_rows(), 0u);
  auto reader = FileReader::open(file, "empty.parquet");
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  EXPECT_EQ(reader->num_rows(), 0);
  EXPECT_TRUE(reader->metadata().row_groups.empty());
}

TEST(RoundTripEdges, AllNullColumns) {
  model::BacktestResult in;
  for (int i = 0; i < 100; ++i) {
    in.curve.symbol.push_null();
    in.curve.idx.push_null();
    in.curve.timestamp.push_null();
    for (auto* c : {&in.curve.equity, &in.curve.drawdown, &in.curve.cumulative_pnl,
                    &in.curve.cumulative_pnl_pct}) {
      c->push_null();
    }
  }
  model::BacktestResult out = round_trip(in, TableKind::kCurve, WriterOptions{});
  expect_same_tables(in, out, TableKind::kCurve);
}

TEST(RoundTripEdges, LargeStringsSplitIntoSeveralPages) {
  model::BacktestResult in;
  TableGen gen(3);
  in.signals = gen.signals(3000, false);
  for (size_t i = 0; i < in.signals.status.values.size(); ++i) {
    in.signals.status.values[i] = std::string(1000 + i % 7, static_cast<char>('a' + i % 26));
  }
  std::string file;
  model::BacktestResult out = round_trip(in, TableKind::kSignals, WriterOptions{}, &file);
  expect_same_tables(in, out, TableKind::kSignals);
}

TEST(RoundTripEdges, ReadTableAppendsToExistingRows) {
  TableGen gen(11);
  model::BacktestResult a, b;
  a.curve = gen.curve(10);
  b.curve = gen.curve(20);
  model::BacktestResult out;
  for (auto* in : {&a, &b}) {
    auto bytes = write_table(model::view(*in, TableKind::kCurve), WriterOptions{});
    ASSERT_TRUE(bytes.ok());
    ASSERT_TRUE(read_table(*bytes, "c.parquet", TableKind::kCurve, out).ok());
  }
  ASSERT_EQ(out.curve.num_rows(), 30u);
  EXPECT_EQ(out.curve.equity.defined[10], b.curve.equity.defined[0]);
  EXPECT_EQ(out.curve.symbol.values[29], b.curve.symbol.values[19]);
}

}  // namespace
}  // namespace btstore::parquet
