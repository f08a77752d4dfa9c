#include "thrift/compact_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "thrift/compact_writer.h"
#include "thrift/struct_reader.h"

namespace btstore::thrift {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int v : b) out.push_back(static_cast<char>(v));
  return out;
}

bool is_corruption(const Status& st) { return st.code() == StatusCode::kCorruption; }

TEST(CompactReader, ReadsShortAndLongFieldHeaders) {
  const std::string in = bytes({0x15, 0x0a, 0x05, 0x28, 0x01, 0x00});
  CompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  FieldHeader h;
  int32_t v = 0;
  ASSERT_TRUE(r.read_field_header(&h).ok());
  EXPECT_EQ(h.type, CType::kI32);
  EXPECT_EQ(h.id, 1);
  ASSERT_TRUE(r.read_i32(&v).ok());
  EXPECT_EQ(v, 5);
  ASSERT_TRUE(r.read_field_header(&h).ok());
  EXPECT_EQ(h.id, 20);
  ASSERT_TRUE(r.read_i32(&v).ok());
  EXPECT_EQ(v, -1);
  ASSERT_TRUE(r.read_field_header(&h).ok());
  EXPECT_EQ(h.type, CType::kStop);
  r.end_struct();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactReader, ReadsBoolFieldsFromHeaders) {
  const std::string in = bytes({0x11, 0x12, 0x00});
  CompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  FieldHeader h;
  ASSERT_TRUE(r.read_field_header(&h).ok());
  EXPECT_TRUE(h.bool_value());
  ASSERT_TRUE(r.read_field_header(&h).ok());
  EXPECT_EQ(h.id, 2);
  EXPECT_FALSE(h.bool_value());
}

TEST(CompactReader, RoundTripsIntegerLimits) {
  std::string buf;
  CompactWriter w(buf);
  w.write_i64(std::numeric_limits<int64_t>::min());
  w.write_i64(std::numeric_limits<int64_t>::max());
  w.write_i32(std::numeric_limits<int32_t>::min());
  w.write_i32(std::numeric_limits<int32_t>::max());
  w.write_i16(std::numeric_limits<int16_t>::min());
  w.write_double(-0.0);
  CompactReader r(buf);
  int64_t a = 0, b = 0;
  int32_t c = 0, d = 0;
  int16_t e = 0;
  double f = 1;
  ASSERT_TRUE(r.read_i64(&a).ok() && r.read_i64(&b).ok() && r.read_i32(&c).ok() &&
              r.read_i32(&d).ok() && r.read_i16(&e).ok() && r.read_double(&f).ok());
  EXPECT_EQ(a, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(b, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(c, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(d, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(e, std::numeric_limits<int16_t>::min());
  EXPECT_TRUE(std::signbit(f));
}

TEST(CompactReader, RejectsTruncatedVarint) {
  const std::string in = bytes({0x80, 0x80});
  CompactReader r(in);
  int64_t v;
  Status st = r.read_i64(&v);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_NE(st.message().find("varint"), std::string::npos) << st.message();
}

TEST(CompactReader, RejectsOverlongVarint) {
  const std::string in(11, static_cast<char>(0x80));
  CompactReader r(in);
  int64_t v;
  EXPECT_TRUE(is_corruption(r.read_i64(&v)));
}

TEST(CompactReader, RejectsI32OutOfRange) {
  std::string buf;
  CompactWriter(buf).write_i64(int64_t{1} << 40);
  CompactReader r(buf);
  int32_t v;
  Status st = r.read_i32(&v);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_NE(st.message().find("i32"), std::string::npos);
}

TEST(CompactReader, RejectsI16OutOfRange) {
  std::string buf;
  CompactWriter(buf).write_i32(40000);
  CompactReader r(buf);
  int16_t v;
  EXPECT_TRUE(is_corruption(r.read_i16(&v)));
}

TEST(CompactReader, RejectsBinaryLongerThanInput) {
  const std::string in = bytes({0x05, 'a', 'b'});
  CompactReader r(in);
  std::string_view v;
  Status st = r.read_binary(&v);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_NE(st.message().find("5 bytes"), std::string::npos) << st.message();
}

TEST(CompactReader, RejectsTruncatedDouble) {
  const std::string in = bytes({0, 0, 0});
  CompactReader r(in);
  double v;
  EXPECT_TRUE(is_corruption(r.read_double(&v)));
}

TEST(CompactReader, RejectsListLongerThanInput) {
  // 0xf5: i32 list, size follows: 1000 elements but only 3 bytes left.
  const std::string in = bytes({0xf5, 0xe8, 0x07, 0x00, 0x00, 0x00});
  CompactReader r(in);
  ListHeader h;
  EXPECT_TRUE(is_corruption(r.read_list_header(&h)));
}

TEST(CompactReader, RejectsListAboveContainerLimit) {
  std::string buf;
  CompactWriter w(buf);
  w.list_begin(CType::kByte, 20);
  buf.append(20, '\0');
  CompactReader r(buf, ReaderLimits{64, 10});
  ListHeader h;
  Status st = r.read_list_header(&h);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_NE(st.message().find("limit 10"), std::string::npos) << st.message();
}

TEST(CompactReader, RejectsListOfStopType) {
  const std::string in = bytes({0x10, 0x00});
  CompactReader r(in);
  ListHeader h;
  EXPECT_TRUE(is_corruption(r.read_list_header(&h)));
}

TEST(CompactReader, RejectsUnknownFieldType) {
  const std::string in = bytes({0x1d, 0x00});  // type 13
  CompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  FieldHeader h;
  EXPECT_TRUE(is_corruption(r.read_field_header(&h)));
}

TEST(CompactReader, RejectsStructWithoutStop) {
  const std::string in = bytes({0x15, 0x02});
  CompactReader r(in);
  ASSERT_TRUE(r.begin_struct().ok());
  FieldHeader h;
  ASSERT_TRUE(r.read_field_header(&h).ok());
  ASSERT_TRUE(r.skip(h.type).ok());
  EXPECT_TRUE(is_corruption(r.read_field_header(&h)));
}

TEST(CompactReader, SkipsEveryValueType) {
  std::string buf;
  CompactWriter w(buf);
  w.begin_struct();
  w.field_bool(1, true);
  w.field_byte(2, 7);
  w.field_i16(3, -5);
  w.field_i32(4, 1 << 20);
  w.field_i64(5, -(int64_t{1} << 40));
  w.field_double(6, 3.5);
  w.field_binary(7, "payload");
  w.field_list_begin(8, CType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.begin_struct();
    w.field_list_begin(1, CType::kBoolTrue, 2);
    w.write_bool(true);
    w.write_bool(false);
    w.end_struct();
  }
  w.field_struct_begin(9);
  w.field_binary(1, "nested");
  w.end_struct();
  w.end_struct();
  // A set<i32> and a map<binary, i64> appended as fields 10 and 11 of a second struct.
  std::string buf2 = buf.substr(0, buf.size() - 1);
  buf2 += bytes({0x1a, 0x25, 0x02, 0x04, 0x1b, 0x02, 0x86, 0x01, 'k', 0x02, 0x01, 'j', 0x04, 0x00});
  for (const std::string& in : {buf, buf2}) {
    CompactReader r(in);
    ASSERT_TRUE(r.skip(CType::kStruct).ok());
    EXPECT_EQ(r.remaining(), 0u);
  }
}

TEST(CompactReader, EmptyMapIsOneByte) {
  const std::string in = bytes({0x1b, 0x00, 0x00});
  CompactReader r(in);
  ASSERT_TRUE(r.skip(CType::kStruct).ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactReader, RejectsNestingBeyondDepthLimit) {
  // 200 nested structs, each the first field (id 1) of its parent.
  std::string in(200, static_cast<char>(0x1c));
  in.append(201, '\0');
  CompactReader r(in);
  Status st = r.skip(CType::kStruct);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_NE(st.message().find("nesting"), std::string::npos) << st.message();
}

TEST(CompactReader, RejectsNestedListsBeyondDepthLimit) {
  std::string in(200, static_cast<char>(0x19));  // list of one list of one list ...
  CompactReader r(in);
  EXPECT_TRUE(is_corruption(r.skip(CType::kList)));
}

TEST(CompactReader, EveryTruncationOfAValidStructFails) {
  std::string buf;
  CompactWriter w(buf);
  w.begin_struct();
  w.field_i64(1, 123456789);
  w.field_binary(2, "abcdef");
  w.field_list_begin(3, CType::kDouble, 2);
  w.write_double(1);
  w.write_double(2);
  w.field_struct_begin(20);
  w.field_bool(1, false);
  w.end_struct();
  w.end_struct();
  for (size_t n = 0; n < buf.size(); ++n) {
    CompactReader r(std::string_view(buf).substr(0, n));
    EXPECT_FALSE(r.skip(CType::kStruct).ok()) << "prefix of " << n << " bytes";
  }
  CompactReader r(buf);
  EXPECT_TRUE(r.skip(CType::kStruct).ok());
}

TEST(StructReader, ReportsWrongWireTypeWithStructAndField) {
  const std::string in = bytes({0x18, 0x01, 'x', 0x00});  // field 1 is binary
  CompactReader r(in);
  StructReader s(r, "PageHeader");
  ASSERT_TRUE(s.begin().ok());
  bool more = false;
  ASSERT_TRUE(s.next(&more).ok());
  int32_t v;
  Status st = s.read("type", &v);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_EQ(st.message(), "PageHeader.type: wire type binary, expected i32");
}

TEST(StructReader, RequireNamesMissingField) {
  const std::string in = bytes({0x15, 0x02, 0x00});
  CompactReader r(in);
  StructReader s(r, "KeyValue");
  ASSERT_TRUE(s.begin().ok());
  bool more = true;
  ASSERT_TRUE(s.next(&more).ok());
  ASSERT_TRUE(s.skip().ok());
  ASSERT_TRUE(s.next(&more).ok());
  EXPECT_FALSE(more);
  EXPECT_TRUE(s.require(1, "key").ok());
  Status st = s.require(2, "value");
  EXPECT_EQ(st.message(), "KeyValue.value: required field 2 is missing");
}

TEST(StructReader, RejectsListOfWrongElementType) {
  const std::string in = bytes({0x19, 0x18, 0x00, 0x00});  // list<binary> of one ""
  CompactReader r(in);
  StructReader s(r, "ColumnMetaData");
  ASSERT_TRUE(s.begin().ok());
  bool more = false;
  ASSERT_TRUE(s.next(&more).ok());
  ListHeader h;
  Status st = s.begin_list("encodings", CType::kI32, &h);
  EXPECT_TRUE(is_corruption(st));
  EXPECT_NE(st.message().find("expected list of i32"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace btstore::thrift
