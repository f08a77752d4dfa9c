// What btstore's writer puts in a file, checked structurally against issue 2 section 3: schema
// element types, row group sizes, encodings, statistics, column orders, page checksums.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>

#include "common/coding.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/table_gen.h"

namespace btstore::parquet {
namespace {

using model::TableKind;

std::string write(const model::BacktestResult& r, TableKind kind, WriterOptions options = {}) {
  auto bytes = write_table(model::view(r, kind), options);
  EXPECT_TRUE(bytes.ok()) << bytes.status().to_string();
  return bytes.ok() ? *bytes : std::string();
}

FileMetaData footer(const std::string& file) {
  auto reader = FileReader::open(file, "t.parquet");
  EXPECT_TRUE(reader.ok()) << reader.status().to_string();
  return reader.ok() ? reader->metadata() : FileMetaData{};
}

double stat_double(const std::string& plain) {
  EXPECT_EQ(plain.size(), 8u);
  return std::bit_cast<double>(decode_fixed64(plain.data()));
}

TEST(WriterStructure, SchemaFollowsTheDesign) {
  testing::TableGen gen(1);
  model::BacktestResult r;
  r.signals = gen.signals(10);
  const FileMetaData md = footer(write(r, TableKind::kSignals));
  ASSERT_EQ(md.schema.size(), 13u);
  EXPECT_EQ(md.schema[0].name, "schema");
  EXPECT_EQ(md.schema[0].num_children, 12);
  EXPECT_FALSE(md.schema[0].type.has_value());
  EXPECT_FALSE(md.schema[0].repetition_type.has_value());
  const auto fields = model::table_fields(TableKind::kSignals);
  for (size_t i = 0; i < fields.size(); ++i) {
    const SchemaElement& e = md.schema[i + 1];
    EXPECT_EQ(e.name, fields[i].name);
    EXPECT_EQ(e.repetition_type, FieldRepetitionType::kOptional) << e.name;
    switch (fields[i].type) {
      case model::FieldType::kString:
        EXPECT_EQ(e.type, Type::kByteArray);
        EXPECT_EQ(e.logical_type, LogicalType::string());
        EXPECT_EQ(e.converted_type, ConvertedType::kUtf8);
        break;
      case model::FieldType::kDouble:
        EXPECT_EQ(e.type, Type::kDouble);
        EXPECT_FALSE(e.logical_type || e.converted_type) << e.name;
        break;
      case model::FieldType::kInt32:
        EXPECT_EQ(e.type, Type::kInt32);
        EXPECT_FALSE(e.logical_type || e.converted_type) << e.name;
        break;
      case model::FieldType::kTimestamp:
        EXPECT_EQ(e.type, Type::kInt64);
        EXPECT_EQ(e.logical_type, LogicalType::timestamp(false, TimeUnit::kMicros));
        EXPECT_FALSE(e.converted_type.has_value()) << "TIMESTAMP_MICROS would imply UTC";
        break;
    }
  }
  EXPECT_EQ(md.column_orders, std::vector<ColumnOrder>(12, ColumnOrder::kTypeDefinedOrder));
}

TEST(WriterStructure, RowGroupsHoldExactlyRowGroupSizeRows) {
  testing::TableGen gen(2);
  model::BacktestResult r;
  r.curve = gen.curve(25'001);
  const FileMetaData md = footer(write(r, TableKind::kCurve));
  ASSERT_EQ(md.row_groups.size(), 3u);
  EXPECT_EQ(md.num_rows, 25'001);
  EXPECT_EQ(md.row_groups[0].num_rows, 10'000);
  EXPECT_EQ(md.row_groups[1].num_rows, 10'000);
  EXPECT_EQ(md.row_groups[2].num_rows, 5'001);
  for (size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(md.row_groups[g].ordinal, static_cast<int16_t>(g));
    int64_t total = 0;
    for (const ColumnChunk& c : md.row_groups[g].columns) {
      EXPECT_EQ(c.meta_data->num_values, md.row_groups[g].num_rows);
      total += c.meta_data->total_uncompressed_size;
    }
    EXPECT_EQ(md.row_groups[g].total_byte_size, total);
  }
}

TEST(WriterStructure, FileMetadataCarriesCreatedByAndKeyValues) {
  model::BacktestResult r;
  WriterOptions options;
  options.created_by = "btstore version 0.1.0 (build abc)";
  options.key_value_metadata = {{"schema_version", "1.0"}, {"task_id", "t"}};
  const FileMetaData md = footer(write(r, TableKind::kSummary, options));
  EXPECT_EQ(md.version, 1);
  EXPECT_EQ(md.created_by, "btstore version 0.1.0 (build abc)");
  ASSERT_EQ(md.key_value_metadata.size(), 2u);
  EXPECT_EQ(md.key_value_metadata[0].key, "schema_version");
  EXPECT_EQ(md.key_value_metadata[0].value, "1.0");
  EXPECT_TRUE(md.row_groups.empty());
  EXPECT_EQ(md.num_rows, 0);
}

TEST(WriterStructure, RepetitiveStringsAreDictionaryEncoded) {
  model::BacktestResult r;
  for (int i = 0; i < 1000; ++i) {
    r.signals.symbol.push(i % 2 ? "BTC/USDT" : "ETH/USDT");
    r.signals.type.push(i % 3 ? "buy" : "sell");
    r.signals.status.push("unique-" + std::to_string(i));  // no repeats: PLAIN
  }
  for (auto* c : {&r.signals.signal_index, &r.signals.hold_bars}) c->values.assign(1000, 0);
  for (auto* c : {&r.signals.signal_index, &r.signals.hold_bars}) c->defined.assign(1000, 1);
  r.signals.timestamp.values.assign(1000, 0);
  r.signals.timestamp.defined.assign(1000, 1);
  for (auto* c : {&r.signals.entry_price, &r.signals.exit_price, &r.signals.quantity,
                  &r.signals.return_pct, &r.signals.fee_amount, &r.signals.slippage_amount}) {
    c->values.assign(1000, 1.5);
    c->defined.assign(1000, 1);
  }
  const FileMetaData md = footer(write(r, TableKind::kSignals));
  const auto& cols = md.row_groups[0].columns;
  const std::vector<Encoding> dict = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  const std::vector<Encoding> plain = {Encoding::kPlain, Encoding::kRle};
  EXPECT_EQ(cols[0].meta_data->encodings, dict);
  EXPECT_TRUE(cols[0].meta_data->dictionary_page_offset.has_value());
  EXPECT_LT(*cols[0].meta_data->dictionary_page_offset, cols[0].meta_data->data_page_offset);
  EXPECT_EQ(cols[3].meta_data->encodings, dict);
  EXPECT_EQ(cols[11].meta_data->encodings, plain);
  EXPECT_FALSE(cols[11].meta_data->dictionary_page_offset.has_value());
  EXPECT_EQ(cols[4].meta_data->encodings, dict);  // one repeated double
}

TEST(WriterStructure, NumbersUseDeltaAndByteStreamSplit) {
  model::BacktestResult r;
  for (int i = 0; i < 1000; ++i) {
    r.curve.symbol.push("BTC/USDT");
    r.curve.idx.push(i);
    r.curve.timestamp.push(int64_t{3'600'000'000} * i);
    for (auto* c : {&r.curve.equity, &r.curve.drawdown, &r.curve.cumulative_pnl,
                    &r.curve.cumulative_pnl_pct}) {
      c->push(100'000.0 + i * 1.000123456789);
    }
  }
  const FileMetaData md = footer(write(r, TableKind::kCurve));
  const auto& cols = md.row_groups[0].columns;
  const std::vector<Encoding> delta = {Encoding::kRle, Encoding::kDeltaBinaryPacked};
  const std::vector<Encoding> split = {Encoding::kRle, Encoding::kByteStreamSplit};
  EXPECT_EQ(cols[1].meta_data->encodings, delta);
  EXPECT_EQ(cols[2].meta_data->encodings, delta);
  EXPECT_EQ(cols[3].meta_data->encodings, split);
  EXPECT_FALSE(cols[3].meta_data->dictionary_page_offset.has_value());
}

TEST(WriterStructure, StatisticsFollowTheSpec) {
  model::BacktestResult r;
  auto& c = r.curve;
  c.symbol.push("b");
  c.symbol.push("\xc3\xa9");  // é: above 'b' when bytes compare unsigned
  c.symbol.push_null();
  c.idx.push(std::numeric_limits<int32_t>::min());
  c.idx.push(std::numeric_limits<int32_t>::max());
  c.idx.push(0);
  c.timestamp.push(-5);
  c.timestamp.push_null();
  c.timestamp.push_null();
  c.equity.push(0.0);  // zero min -> -0.0, zero max -> +0.0
  c.equity.push(-0.0);
  c.equity.push_null();
  c.drawdown.push(-1.5);
  c.drawdown.push(-0.0);
  c.drawdown.push(2.0);
  for (auto* col : {&c.cumulative_pnl, &c.cumulative_pnl_pct}) {
    for (int i = 0; i < 3; ++i) col->push_null();
  }
  const FileMetaData md = footer(write(r, TableKind::kCurve));
  const auto stats = [&](int i) { return *md.row_groups[0].columns[i].meta_data->statistics; };
  EXPECT_EQ(stats(0).min_value, "b");
  EXPECT_EQ(stats(0).max_value, "\xc3\xa9");
  EXPECT_EQ(stats(0).null_count, 1);
  std::string min32, max32;
  put_fixed32(0x80000000u, min32);
  put_fixed32(0x7fffffffu, max32);
  EXPECT_EQ(stats(1).min_value, min32);
  EXPECT_EQ(stats(1).max_value, max32);
  EXPECT_EQ(stats(1).null_count, 0);
  std::string minus5;
  put_fixed64(static_cast<uint64_t>(int64_t{-5}), minus5);
  EXPECT_EQ(stats(2).min_value, minus5);
  EXPECT_EQ(stats(2).null_count, 2);
  EXPECT_TRUE(std::signbit(stat_double(*stats(3).min_value)));
  EXPECT_FALSE(std::signbit(stat_double(*stats(3).max_value)));
  EXPECT_EQ(stat_double(*stats(4).min_value), -1.5);
  EXPECT_EQ(stat_double(*stats(4).max_value), 2.0);
  EXPECT_EQ(stats(4).nan_count, 0);
  EXPECT_FALSE(stats(5).min_value.has_value());  // all null: no min/max
  EXPECT_EQ(stats(5).null_count, 3);
  EXPECT_FALSE(stats(0).min.has_value() || stats(0).max.has_value());  // no legacy fields
}

TEST(WriterStructure, DictionaryStringStatisticsCountEveryRow) {
  // A dictionary-encoded string column: its statistics come from the dictionary's entries, and
  // must still count the nulls of every row and order the bytes unsigned.
  model::BacktestResult r;
  auto& c = r.curve;
  const std::string_view names[] = {"m", "\xc3\xa9", "b", "zz"};
  size_t nulls = 0;
  for (size_t i = 0; i < 1000; ++i) {
    if (i % 7 == 3) {
      c.symbol.push_null();
      ++nulls;
    } else {
      c.symbol.push(std::string(names[i % 4 == 3 && i > 500 ? 3 : i % 3]));
    }
    c.idx.push(static_cast<int32_t>(i));
    c.timestamp.push(static_cast<int64_t>(i));
    for (auto* col : {&c.equity, &c.drawdown, &c.cumulative_pnl, &c.cumulative_pnl_pct}) {
      col->push(0.5);
    }
  }
  const FileMetaData md = footer(write(r, TableKind::kCurve));
  const ColumnMetaData& symbol = *md.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(symbol.dictionary_page_offset.has_value());
  const Statistics& stats = *symbol.statistics;
  EXPECT_EQ(stats.min_value, "b");
  EXPECT_EQ(stats.max_value, "\xc3\xa9");
  EXPECT_EQ(stats.null_count, static_cast<int64_t>(nulls));
}

TEST(WriterStructure, PagesCarryCrcsAndLargeChunksSplit) {
  model::BacktestResult r;
  testing::TableGen gen(5);
  r.signals = gen.signals(2000, false);
  for (auto& s : r.signals.status.values) s = std::string(1500, 'x') + s;  // ~3 MB of PLAIN
  const std::string file = write(r, TableKind::kSignals);
  const FileMetaData md = footer(file);
  const ColumnMetaData& status = *md.row_groups[0].columns[11].meta_data;
  size_t pos = static_cast<size_t>(status.data_page_offset);
  const size_t end = pos + static_cast<size_t>(status.total_compressed_size);
  int pages = 0;
  int64_t values = 0;
  while (pos < end) {
    PageHeader h;
    size_t header_size = 0;
    ASSERT_TRUE(parse_page_header(std::string_view(file).substr(pos), &h, &header_size).ok());
    ASSERT_TRUE(h.crc.has_value());
    ASSERT_TRUE(h.data_page_header.has_value());
    EXPECT_LE(h.uncompressed_page_size, (1 << 20) + 64 * 1024);
    values += h.data_page_header->num_values;
    pos += header_size + static_cast<size_t>(h.compressed_page_size);
    ++pages;
  }
  EXPECT_EQ(pos, end);
  EXPECT_GE(pages, 3);
  EXPECT_EQ(values, 2000);
}

TEST(WriterStructure, RejectsBadOptionsAndRaggedColumns) {
  model::BacktestResult r;
  WriterOptions options;
  options.row_group_size = 0;
  EXPECT_EQ(write_table(model::view(r, TableKind::kCurve), options).status().code(),
            StatusCode::kInvalidArgument);
  r.curve.symbol.push("x");  // other columns stay empty
  auto bytes = write_table(model::view(r, TableKind::kCurve), WriterOptions{});
  EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bytes.status().message().find("column 'idx'"), std::string::npos)
      << bytes.status().message();
}

}  // namespace
}  // namespace btstore::parquet
