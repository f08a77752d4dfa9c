// The format structs: golden bytes for a page header, round trips of every struct, and the
// decoders' errors for out-of-range enums, missing required fields and malformed unions.
#include "parquet/format.h"

#include <gtest/gtest.h>

namespace btstore::parquet {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int v : b) out.push_back(static_cast<char>(v));
  return out;
}

template <typename T>
T round_trip(const T& in) {
  std::string buf;
  thrift::CompactWriter w(buf);
  encode(w, in);
  thrift::CompactReader r(buf);
  T out;
  Status st = decode(r, &out);
  EXPECT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(r.remaining(), 0u);
  return out;
}

Statistics full_statistics() {
  Statistics s;
  s.max = "max";
  s.min = std::string("\0mi", 3);
  s.null_count = 3;
  s.distinct_count = 9;
  s.max_value = "zz";
  s.min_value = "";
  s.is_max_value_exact = true;
  s.is_min_value_exact = false;
  s.nan_count = 0;
  return s;
}

TEST(Format, PageHeaderGoldenBytes) {
  PageHeader h;
  h.type = PageType::kDataPage;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 60;
  h.crc = -1;
  h.data_page_header = DataPageHeader{10, Encoding::kPlain, Encoding::kRle, Encoding::kRle, {}};
  // Fields 1-4 as i32 (zigzag varints), field 5 a struct of four i32 fields, two STOPs.
  EXPECT_EQ(serialize_page_header(h),
            bytes({0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0x78, 0x15, 0x01, 0x1c,
                   0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00}));
}

TEST(Format, TimestampLogicalTypeGoldenBytes) {
  std::string buf;
  thrift::CompactWriter w(buf);
  encode(w, LogicalType::timestamp(false, TimeUnit::kMicros));
  // union field 8 (TIMESTAMP) { 1: false, 2: TimeUnit { 2: MicroSeconds {} } }
  EXPECT_EQ(buf, bytes({0x8c, 0x12, 0x1c, 0x2c, 0x00, 0x00, 0x00, 0x00}));
}

TEST(Format, PageHeadersRoundTrip) {
  PageHeader v1;
  v1.type = PageType::kDataPage;
  v1.uncompressed_page_size = 1 << 20;
  v1.compressed_page_size = 12345;
  v1.crc = 0x7fffffff;
  v1.data_page_header = DataPageHeader{7, Encoding::kRleDictionary, Encoding::kRle,
                                       Encoding::kBitPacked, full_statistics()};
  EXPECT_EQ(round_trip(v1), v1);

  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.data_page_header_v2 = DataPageHeaderV2{5, 2, 5, Encoding::kDeltaBinaryPacked, 3, 0, false, {}};
  EXPECT_EQ(round_trip(v2), v2);

  PageHeader dict;
  dict.type = PageType::kDictionaryPage;
  dict.dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlainDictionary, true};
  EXPECT_EQ(round_trip(dict), dict);
}

TEST(Format, FileMetaDataRoundTrips) {
  FileMetaData md;
  md.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 3;
  SchemaElement s;
  s.name = "symbol";
  s.type = Type::kByteArray;
  s.repetition_type = FieldRepetitionType::kOptional;
  s.logical_type = LogicalType::string();
  s.converted_type = ConvertedType::kUtf8;
  SchemaElement d;
  d.name = "price";
  d.type = Type::kFixedLenByteArray;
  d.type_length = 16;
  d.repetition_type = FieldRepetitionType::kRequired;
  d.logical_type = LogicalType{};
  d.logical_type->kind = LogicalType::Kind::kDecimal;
  d.logical_type->precision = 38;
  d.logical_type->scale = 9;
  d.scale = 9;
  d.precision = 38;
  d.field_id = 77;
  SchemaElement i;
  i.name = "small";
  i.type = Type::kInt32;
  i.repetition_type = FieldRepetitionType::kOptional;
  i.logical_type = LogicalType{};
  i.logical_type->kind = LogicalType::Kind::kInteger;
  i.logical_type->bit_width = 8;
  i.logical_type->is_signed = false;
  md.schema = {root, s, d, i};
  md.num_rows = int64_t{1} << 40;
  ColumnMetaData cmd;
  cmd.type = Type::kByteArray;
  cmd.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  cmd.path_in_schema = {"symbol"};
  cmd.codec = CompressionCodec::kZstd;
  cmd.num_values = 10;
  cmd.total_uncompressed_size = 100;
  cmd.total_compressed_size = 90;
  cmd.key_value_metadata = {{"k", "v"}, {"novalue", std::nullopt}};
  cmd.data_page_offset = 40;
  cmd.dictionary_page_offset = 4;
  cmd.index_page_offset = 1000;
  cmd.statistics = full_statistics();
  ColumnChunk chunk;
  chunk.file_offset = 0;
  chunk.meta_data = cmd;
  RowGroup group;
  group.columns = {chunk, chunk, chunk};
  group.total_byte_size = 300;
  group.num_rows = 10;
  group.file_offset = 4;
  group.total_compressed_size = 270;
  group.ordinal = 0;
  md.row_groups = {group, group};
  md.key_value_metadata = {{"schema_version", "1.0"}};
  md.created_by = "btstore version 0.1.0";
  md.column_orders = {ColumnOrder::kTypeDefinedOrder, ColumnOrder::kIeee754TotalOrder,
                      ColumnOrder::kTypeDefinedOrder};
  FileMetaData back;
  ASSERT_TRUE(parse_file_metadata(serialize_file_metadata(md), &back).ok());
  EXPECT_EQ(back, md);
}

TEST(Format, EveryLogicalTypeKindRoundTrips) {
  for (int id = 1; id <= 19; ++id) {
    if (id == 9) continue;  // reserved for INTERVAL
    LogicalType t;
    t.kind = static_cast<LogicalType::Kind>(id);
    if (t.kind == LogicalType::Kind::kTime) t.unit = TimeUnit::kNanos, t.is_adjusted_to_utc = true;
    if (t.kind == LogicalType::Kind::kInteger) t.bit_width = 16;
    EXPECT_EQ(round_trip(t), t) << id;
  }
}

Status decode_page(const std::string& in) {
  PageHeader h;
  size_t size = 0;
  return parse_page_header(in, &h, &size);
}

TEST(Format, RejectsOutOfRangeEnums) {
  // PageHeader { 1: type = 9 }
  Status st = decode_page(bytes({0x15, 0x12, 0x00}));
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_EQ(st.message(), "PageHeader.type: 9 is not a valid PageType");
  st = decode_page(bytes({0x15, 0x01, 0x00}));  // type = -1
  EXPECT_EQ(st.message(), "PageHeader.type: -1 is not a valid PageType");
}

TEST(Format, RejectsMissingRequiredFields) {
  // PageHeader { 1: DATA_PAGE, 2: 10 } without compressed_page_size.
  Status st = decode_page(bytes({0x15, 0x00, 0x15, 0x14, 0x00}));
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_EQ(st.message(), "PageHeader.compressed_page_size: required field 3 is missing");
}

TEST(Format, NestedErrorsNameTheirPath) {
  // PageHeader { 1: 0, 2: 0, 3: 0, 5: DataPageHeader { 1: 1, 2: encoding 42 } }
  Status st = decode_page(
      bytes({0x15, 0x00, 0x15, 0x00, 0x15, 0x00, 0x2c, 0x15, 0x02, 0x15, 0x54, 0x00, 0x00}));
  EXPECT_EQ(st.message(), "data_page_header: DataPageHeader.encoding: 42 is not a valid Encoding");
}

TEST(Format, SkipsUnknownFields) {
  // An unknown field 6 (a struct holding a list<i32>), then fields 1-3 with long-form ids.
  PageHeader h;
  const std::string in = bytes({0x6c, 0x19, 0x25, 0x02, 0x04, 0x00, 0x05, 0x02, 0x00, 0x05, 0x04,
                                0x02, 0x05, 0x06, 0x02, 0x00});
  size_t size = 0;
  Status st = parse_page_header(in, &h, &size);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(size, in.size());
  EXPECT_EQ(h.uncompressed_page_size, 1);
  EXPECT_EQ(h.compressed_page_size, 1);
}

TEST(Format, RejectsUnionWithTwoMembersOrNone) {
  const std::string empty = bytes({0x00}), both = bytes({0x1c, 0x00, 0x1c, 0x00, 0x00});
  thrift::CompactReader none(empty);
  LogicalType t;
  EXPECT_EQ(decode(none, &t).message(), "LogicalType: union has no member set");
  thrift::CompactReader two(both);
  EXPECT_EQ(decode(two, &t).message(), "LogicalType: union has two members");
}

TEST(Format, UnknownLogicalTypeIsKeptByKind) {
  // Long-form header: struct type, then member id 30 as zigzag i16; an empty struct.
  const std::string in = bytes({0x0c, 0x3c, 0x00, 0x00});
  thrift::CompactReader r(in);
  LogicalType t;
  ASSERT_TRUE(decode(r, &t).ok());
  EXPECT_EQ(static_cast<int>(t.kind), 30);
  EXPECT_EQ(logical_type_name(t), "UNKNOWN(30)");
}

TEST(Format, FooterWithTrailingBytesIsCorrupt) {
  FileMetaData md;
  SchemaElement root;
  root.name = "r";
  md.schema = {root};
  std::string footer = serialize_file_metadata(md) + "x";
  FileMetaData back;
  EXPECT_EQ(parse_file_metadata(footer, &back).code(), StatusCode::kCorruption);
}

TEST(Format, EveryTruncatedFooterIsAnError) {
  FileMetaData md;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 0;
  md.schema = {root};
  md.created_by = "x";
  md.key_value_metadata = {{"a", "b"}};
  const std::string footer = serialize_file_metadata(md);
  for (size_t n = 0; n < footer.size(); ++n) {
    FileMetaData back;
    EXPECT_FALSE(parse_file_metadata(footer.substr(0, n), &back).ok()) << n;
  }
}

TEST(Format, Names) {
  EXPECT_EQ(type_name(Type::kFixedLenByteArray), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(encoding_name(Encoding::kRleDictionary), "RLE_DICTIONARY");
  EXPECT_EQ(encoding_name(static_cast<Encoding>(12)), "UNKNOWN(12)");
  EXPECT_EQ(converted_type_name(ConvertedType::kTimestampMicros), "TIMESTAMP_MICROS");
  EXPECT_EQ(page_type_name(PageType::kDataPageV2), "DATA_PAGE_V2");
  EXPECT_EQ(repetition_name(FieldRepetitionType::kRepeated), "REPEATED");
  EXPECT_EQ(logical_type_name(LogicalType::timestamp(false, TimeUnit::kMicros)),
            "TIMESTAMP(isAdjustedToUTC=false, unit=MICROS)");
  EXPECT_EQ(logical_type_name(LogicalType::string()), "STRING");
}

}  // namespace
}  // namespace btstore::parquet
