// Golden bytes for the compact protocol, derived by hand from
// thrift/doc/specs/thrift-compact-protocol.md.
#include "thrift/compact_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace btstore::thrift {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int v : b) out.push_back(static_cast<char>(v));
  return out;
}

TEST(CompactWriter, ShortFieldHeaderCarriesDeltaAndType) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(1, 5);   // delta 1, type i32 (5); zigzag(5) = 10
  w.field_i32(3, -1);  // delta 2; zigzag(-1) = 1
  w.end_struct();
  EXPECT_EQ(out, bytes({0x15, 0x0a, 0x25, 0x01, 0x00}));
}

TEST(CompactWriter, LongFieldHeaderWhenDeltaExceeds15) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(1, 0);
  w.field_i32(20, 0);  // delta 19: type byte, then zigzag i16 id 40
  w.end_struct();
  EXPECT_EQ(out, bytes({0x15, 0x00, 0x05, 0x28, 0x00, 0x00}));
}

TEST(CompactWriter, DecreasingFieldIdUsesLongForm) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(5, 1);
  w.field_i32(2, 1);
  w.end_struct();
  EXPECT_EQ(out, bytes({0x55, 0x02, 0x05, 0x04, 0x02, 0x00}));
}

TEST(CompactWriter, BoolFieldValueTravelsInTheHeader) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_bool(1, true);
  w.field_bool(2, false);
  w.end_struct();
  EXPECT_EQ(out, bytes({0x11, 0x12, 0x00}));
}

TEST(CompactWriter, ZigZagEncodesInt64Limits) {
  std::string out;
  CompactWriter w(out);
  w.write_i64(std::numeric_limits<int64_t>::min());  // zigzag = 2^64 - 1: ten bytes
  EXPECT_EQ(out, bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  out.clear();
  w.write_i64(std::numeric_limits<int64_t>::max());  // zigzag = 2^64 - 2
  EXPECT_EQ(out, bytes({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(CompactWriter, ZigZagEncodesInt32Limits) {
  std::string out;
  CompactWriter w(out);
  w.write_i32(std::numeric_limits<int32_t>::min());  // zigzag = 2^32 - 1
  EXPECT_EQ(out, bytes({0xff, 0xff, 0xff, 0xff, 0x0f}));
  out.clear();
  w.write_i32(64);  // zigzag 128 needs two bytes
  EXPECT_EQ(out, bytes({0x80, 0x01}));
}

TEST(CompactWriter, DoubleIsEightBytesLittleEndian) {
  std::string out;
  CompactWriter w(out);
  w.write_double(1.0);
  EXPECT_EQ(out, bytes({0, 0, 0, 0, 0, 0, 0xf0, 0x3f}));
}

TEST(CompactWriter, BinaryIsVarintLengthThenBytes) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_binary(4, "abc");
  w.end_struct();
  EXPECT_EQ(out, bytes({0x48, 0x03, 'a', 'b', 'c', 0x00}));
}

TEST(CompactWriter, ShortListHeaderPacksSizeAndType) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_list_begin(2, CType::kI32, 3);
  for (int v : {0, 3, 8}) w.write_i32(v);
  w.end_struct();
  EXPECT_EQ(out, bytes({0x29, 0x35, 0x00, 0x06, 0x10, 0x00}));
}

TEST(CompactWriter, LongListHeaderFollowsWithVarintSize) {
  std::string out;
  CompactWriter w(out);
  w.list_begin(CType::kBinary, 15);
  EXPECT_EQ(out, bytes({0xf8, 0x0f}));
  out.clear();
  w.list_begin(CType::kStruct, 300);
  EXPECT_EQ(out, bytes({0xfc, 0xac, 0x02}));
}

TEST(CompactWriter, BoolListElementsAreOneByteEach) {
  std::string out;
  CompactWriter w(out);
  w.list_begin(CType::kBoolTrue, 2);
  w.write_bool(true);
  w.write_bool(false);
  EXPECT_EQ(out, bytes({0x21, 0x01, 0x02}));
}

TEST(CompactWriter, NestedStructRestartsFieldIds) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_i32(1, 1);
  w.field_struct_begin(5);  // delta 4, type struct (12)
  w.field_i32(1, 2);        // inner ids start again at 0
  w.end_struct();
  w.field_i32(6, 3);  // delta from 5, the id before the nested struct
  w.end_struct();
  EXPECT_EQ(out, bytes({0x15, 0x02, 0x4c, 0x15, 0x04, 0x00, 0x15, 0x06, 0x00}));
}

TEST(CompactWriter, ByteAndI16Fields) {
  std::string out;
  CompactWriter w(out);
  w.begin_struct();
  w.field_byte(1, -2);
  w.field_i16(2, -300);  // zigzag 599 = 0x257
  w.end_struct();
  EXPECT_EQ(out, bytes({0x13, 0xfe, 0x14, 0xd7, 0x04, 0x00}));
}

}  // namespace
}  // namespace btstore::thrift
