// The column reader on hand-made pages (file_builder.h): what other writers produce (data page
// v2, REQUIRED columns, dictionaries, other encodings) and what damage looks like.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "parquet/file_builder.h"
#include "parquet/file_reader.h"

namespace btstore::parquet {
namespace {

using namespace testing;  // NOLINT: test helpers

Result<GenericColumn> read_only_column(const std::string& file) {
  BTSTORE_ASSIGN_OR_RETURN(FileReader reader, FileReader::open(file, "t.parquet"));
  return reader.read_column(0);
}

std::string one_column(SchemaElement leaf, int64_t rows,
                       const std::function<void(FileBuilder&)>& pages,
                       CompressionCodec codec = CompressionCodec::kUncompressed) {
  FileBuilder b({std::move(leaf)});
  b.begin_row_group(rows);
  b.begin_column(codec);
  pages(b);
  b.end_column();
  return b.finish();
}

TEST(ColumnReader, DataPageV2WithCompressedValuesAndUncompressedLevels) {
  for (CompressionCodec codec : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                 CompressionCodec::kGzip, CompressionCodec::kZstd}) {
    const std::string levels = rle_levels({1, 0, 1, 1});
    const std::string file = one_column(
        leaf("x", Type::kInt64), 4,
        [&](FileBuilder& b) {
          b.add_page(data_page_v2(4, 1, Encoding::kPlain, static_cast<int32_t>(levels.size())),
                     plain<int64_t>({7, -8, 9}), levels, /*with_crc=*/true);
        },
        codec);
    auto col = read_only_column(file);
    ASSERT_TRUE(col.ok()) << col.status().to_string();
    EXPECT_EQ(col->defined, (std::vector<uint8_t>{1, 0, 1, 1}));
    EXPECT_EQ(std::get<std::vector<int64_t>>(col->values), (std::vector<int64_t>{7, 0, -8, 9}));
  }
}

TEST(ColumnReader, DataPageV2WithIsCompressedFalse) {
  const std::string levels = rle_levels({1, 1});
  // Values stored raw although the column codec is SNAPPY: is_compressed = false says so.
  const std::string file = one_column(
      leaf("x", Type::kDouble), 2,
      [&](FileBuilder& b) {
        const std::string body = plain<double>({1.5, -0.0});
        PageHeader h =
            data_page_v2(2, 0, Encoding::kPlain, static_cast<int32_t>(levels.size()), false);
        h.uncompressed_page_size = static_cast<int32_t>(levels.size() + body.size());
        h.compressed_page_size = h.uncompressed_page_size;
        b.add_raw_page(h, levels + body, h.uncompressed_page_size);
      },
      CompressionCodec::kSnappy);
  auto col = read_only_column(file);
  ASSERT_TRUE(col.ok()) << col.status().to_string();
  const auto& v = std::get<std::vector<double>>(col->values);
  EXPECT_EQ(v[0], 1.5);
  EXPECT_TRUE(std::signbit(v[1]));
}

TEST(ColumnReader, RequiredColumnsHaveNoLevels) {
  const std::string file =
      one_column(leaf("x", Type::kInt32, FieldRepetitionType::kRequired), 5, [&](FileBuilder& b) {
        b.add_page(data_page_v1(3, Encoding::kPlain), plain<int32_t>({1, 2, 3}));
        b.add_page(data_page_v2(2, 0, Encoding::kPlain, 0), plain<int32_t>({4, 5}));
      });
  auto col = read_only_column(file);
  ASSERT_TRUE(col.ok()) << col.status().to_string();
  EXPECT_EQ(col->defined, std::vector<uint8_t>(5, 1));
  EXPECT_EQ(std::get<std::vector<int32_t>>(col->values), (std::vector<int32_t>{1, 2, 3, 4, 5}));
}

TEST(ColumnReader, DictionaryPagesForStringsAndDoubles) {
  std::string dict;
  encode_plain_byte_arrays(std::vector<std::string>{"buy", "sell"}, dict);
  std::string indices;
  encode_dictionary_indices(std::vector<uint32_t>{1, 0, 1}, 1, indices);
  const std::string file = one_column(leaf("x", Type::kByteArray), 4, [&](FileBuilder& b) {
    b.add_page(dictionary_page(2), dict);
    b.add_page(data_page_v1(4, Encoding::kPlainDictionary), v1_levels({1, 1, 0, 1}) + indices);
  });
  auto col = read_only_column(file);
  ASSERT_TRUE(col.ok()) << col.status().to_string();
  EXPECT_EQ(std::get<std::vector<std::string>>(col->values),
            (std::vector<std::string>{"sell", "buy", "", "sell"}));
}

TEST(ColumnReader, RejectsDictionaryIndexOutOfRange) {
  std::string dict;
  encode_plain_byte_arrays(std::vector<std::string>{"a", "b"}, dict);
  std::string indices;
  encode_dictionary_indices(std::vector<uint32_t>{0, 3}, 2, indices);
  const std::string file = one_column(leaf("x", Type::kByteArray), 2, [&](FileBuilder& b) {
    b.add_page(dictionary_page(2), dict);
    b.add_page(data_page_v1(2, Encoding::kRleDictionary), v1_levels({1, 1}) + indices);
  });
  auto col = read_only_column(file);
  EXPECT_EQ(col.status().code(), StatusCode::kCorruption);
  EXPECT_NE(
      col.status().message().find("dictionary index 3 out of range (dictionary has 2 values)"),
      std::string::npos)
      << col.status().message();
}

TEST(ColumnReader, RejectsDictionaryEncodingWithoutDictionary) {
  std::string indices;
  encode_dictionary_indices(std::vector<uint32_t>{0}, 1, indices);
  const std::string file = one_column(leaf("x", Type::kInt32), 1, [&](FileBuilder& b) {
    b.add_page(data_page_v1(1, Encoding::kRleDictionary), v1_levels({1}) + indices);
  });
  EXPECT_EQ(read_only_column(file).status().code(), StatusCode::kCorruption);
}

TEST(ColumnReader, RejectsDictionaryAfterDataPage) {
  const std::string file = one_column(leaf("x", Type::kInt32), 2, [&](FileBuilder& b) {
    b.add_page(data_page_v1(1, Encoding::kPlain), v1_levels({1}) + plain<int32_t>({1}));
    b.add_page(dictionary_page(1), plain<int32_t>({5}));
    b.add_page(data_page_v1(1, Encoding::kPlain), v1_levels({1}) + plain<int32_t>({1}));
  });
  EXPECT_EQ(read_only_column(file).status().code(), StatusCode::kCorruption);
}

TEST(ColumnReader, PageClaimingMoreBytesThanTheChunkHasIsNamed) {
  std::string file = one_column(leaf("timestamp", Type::kInt64), 1, [&](FileBuilder& b) {
    PageHeader h = data_page_v1(1, Encoding::kPlain);
    const std::string body = v1_levels({1}) + plain<int64_t>({1});
    h.uncompressed_page_size = static_cast<int32_t>(body.size());
    h.compressed_page_size = 2147483647;
    b.add_raw_page(h, body, static_cast<int64_t>(body.size()));
  });
  auto col = read_only_column(file);
  EXPECT_EQ(col.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(col.status().message().rfind(
                "t.parquet: column 'timestamp' row group 0: page 0 at chunk byte 0: page header "
                "claims 2147483647 bytes, the column chunk has ",
                0),
            0u)
      << col.status().message();
}

TEST(ColumnReader, RejectsAbsurdUncompressedSize) {
  const std::string file = one_column(
      leaf("x", Type::kInt64), 1,
      [&](FileBuilder& b) {
        PageHeader h = data_page_v1(1, Encoding::kPlain);
        const std::string body = v1_levels({1}) + plain<int64_t>({1});
        h.uncompressed_page_size = 2000000000;
        h.compressed_page_size = static_cast<int32_t>(body.size());
        b.add_raw_page(h, body, static_cast<int64_t>(body.size()));
      },
      CompressionCodec::kSnappy);
  auto col = read_only_column(file);
  EXPECT_EQ(col.status().code(), StatusCode::kCorruption);
  EXPECT_NE(col.status().message().find("2000000000 uncompressed bytes"), std::string::npos)
      << col.status().message();
}

TEST(ColumnReader, RejectsMoreValuesThanTheRowGroupHas) {
  const std::string file = one_column(leaf("x", Type::kInt32), 2, [&](FileBuilder& b) {
    b.add_page(data_page_v1(3, Encoding::kPlain), v1_levels({1, 1, 1}) + plain<int32_t>({1, 2, 3}));
  });
  auto col = read_only_column(file);
  EXPECT_EQ(col.status().code(), StatusCode::kCorruption);
  EXPECT_NE(col.status().message().find("page holds 3 values but 2 rows"), std::string::npos);
}

TEST(ColumnReader, RejectsChunkThatEndsEarly) {
  const std::string file = one_column(leaf("x", Type::kInt32), 3, [&](FileBuilder& b) {
    b.add_page(data_page_v1(2, Encoding::kPlain), v1_levels({1, 1}) + plain<int32_t>({1, 2}));
  });
  auto col = read_only_column(file);
  EXPECT_NE(col.status().message().find("column chunk ends after 2 of 3 values"), std::string::npos)
      << col.status().message();
}

TEST(ColumnReader, EmptyAndIndexPagesAreSkippedWithoutLooping) {
  const std::string file = one_column(leaf("x", Type::kInt32), 1, [&](FileBuilder& b) {
    PageHeader index;
    index.type = PageType::kIndexPage;
    b.add_page(index, "");
    b.add_page(data_page_v1(0, Encoding::kPlain), v1_levels({}));
    b.add_page(data_page_v1(1, Encoding::kPlain), v1_levels({1}) + plain<int32_t>({42}));
  });
  auto col = read_only_column(file);
  ASSERT_TRUE(col.ok()) << col.status().to_string();
  EXPECT_EQ(std::get<std::vector<int32_t>>(col->values), std::vector<int32_t>{42});
}

TEST(ColumnReader, ReadsDeprecatedBitPackedDefinitionLevels) {
  // Levels 1,0,1,1,0,1,1,1,1 packed MSB first: 0b10110111, 0b10000000.
  const std::string file = one_column(leaf("x", Type::kInt32), 9, [&](FileBuilder& b) {
    PageHeader h = data_page_v1(9, Encoding::kPlain);
    h.data_page_header->definition_level_encoding = Encoding::kBitPacked;
    b.add_page(h, std::string("\xb7\x80", 2) + plain<int32_t>({1, 2, 3, 4, 5, 6, 7}));
  });
  auto col = read_only_column(file);
  ASSERT_TRUE(col.ok()) << col.status().to_string();
  EXPECT_EQ(col->defined, (std::vector<uint8_t>{1, 0, 1, 1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(std::get<std::vector<int32_t>>(col->values),
            (std::vector<int32_t>{1, 0, 2, 3, 0, 4, 5, 6, 7}));
}

TEST(ColumnReader, RejectsDefinitionLevelAboveOne) {
  std::string rle;
  encode_rle_hybrid(std::vector<uint32_t>{2, 2, 2, 2, 2, 2, 2, 2}, 2, rle);  // width 2 run of 2
  std::string levels;
  put_fixed32(static_cast<uint32_t>(rle.size()), levels);
  const std::string file = one_column(leaf("x", Type::kInt32), 8, [&](FileBuilder& b) {
    b.add_page(data_page_v1(8, Encoding::kPlain), levels + rle);
  });
  auto col = read_only_column(file);
  EXPECT_EQ(col.status().code(), StatusCode::kCorruption) << col.status().to_string();
}

TEST(ColumnReader, RejectsV2NullCountMismatch) {
  const std::string levels = rle_levels({1, 0});
  const std::string file = one_column(leaf("x", Type::kInt32), 2, [&](FileBuilder& b) {
    b.add_page(data_page_v2(2, 0, Encoding::kPlain, static_cast<int32_t>(levels.size())),
               plain<int32_t>({1}), levels);
  });
  auto col = read_only_column(file);
  EXPECT_NE(col.status().message().find("definition levels give 1 nulls, the page header says 0"),
            std::string::npos)
      << col.status().message();
}

TEST(ColumnReader, RejectsCrcMismatch) {
  std::string file = one_column(leaf("x", Type::kInt32), 1, [&](FileBuilder& b) {
    b.add_page(data_page_v1(1, Encoding::kPlain), v1_levels({1}) + plain<int32_t>({5}), "", true);
  });
  ASSERT_TRUE(read_only_column(file).ok());
  // The value's last byte sits just before the footer; flip it.
  const uint32_t footer = decode_fixed32(file.data() + file.size() - 8);
  file[file.size() - 8 - footer - 1] ^= 1;
  auto col = read_only_column(file);
  EXPECT_NE(col.status().message().find("page CRC mismatch"), std::string::npos)
      << col.status().to_string();
}

TEST(ColumnReader, OtherEncodingsAndTypes) {
  // BOOLEAN RLE, INT32 DELTA_BINARY_PACKED, FLOAT BYTE_STREAM_SPLIT, FIXED_LEN_BYTE_ARRAY PLAIN,
  // INT96 PLAIN, BYTE_ARRAY DELTA_LENGTH_BYTE_ARRAY.
  SchemaElement flba = leaf("f", Type::kFixedLenByteArray);
  flba.type_length = 3;
  FileBuilder b({leaf("b", Type::kBoolean), leaf("i", Type::kInt32), leaf("s", Type::kFloat), flba,
                 leaf("t", Type::kInt96), leaf("d", Type::kInt64)});
  b.begin_row_group(3);
  const std::string all = v1_levels({1, 1, 1});
  b.begin_column();
  std::string bools;
  encode_rle_hybrid(std::vector<uint32_t>{1, 0, 1}, 1, bools);
  std::string rle_bools;
  put_fixed32(static_cast<uint32_t>(bools.size()), rle_bools);
  b.add_page(data_page_v1(3, Encoding::kRle), all + rle_bools + bools);
  b.end_column();
  b.begin_column();
  std::string delta;
  encode_delta_binary_packed_int32(std::vector<int32_t>{-5, 2147483647, -2147483648}, delta);
  b.add_page(data_page_v1(3, Encoding::kDeltaBinaryPacked), all + delta);
  b.end_column();
  b.begin_column();
  std::string split;
  const std::vector<float> floats = {1.5f, -2.25f, 1e30f};
  encode_byte_stream_split(std::string_view(reinterpret_cast<const char*>(floats.data()), 12), 4,
                           split);
  b.add_page(data_page_v1(3, Encoding::kByteStreamSplit), all + split);
  b.end_column();
  b.begin_column();
  b.add_page(data_page_v1(3, Encoding::kPlain), all + "abcdefghi");
  b.end_column();
  b.begin_column();
  b.add_page(data_page_v1(3, Encoding::kPlain), all + std::string(36, 'z'));
  b.end_column();
  b.begin_column();
  std::string i64;
  encode_delta_binary_packed(std::vector<int64_t>{INT64_MIN, 0, INT64_MAX}, i64);
  b.add_page(data_page_v1(3, Encoding::kDeltaBinaryPacked), all + i64);
  b.end_column();
  const std::string file = b.finish();
  auto reader = FileReader::open(file, "t.parquet");
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  auto get = [&](int i) {
    auto c = reader->read_column(i);
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    return c.ok() ? c->values : ColumnValues{};
  };
  EXPECT_EQ(std::get<std::vector<uint8_t>>(get(0)), (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(std::get<std::vector<int32_t>>(get(1)),
            (std::vector<int32_t>{-5, 2147483647, -2147483648}));
  EXPECT_EQ(std::get<std::vector<float>>(get(2)), floats);
  EXPECT_EQ(std::get<std::vector<std::string>>(get(3)),
            (std::vector<std::string>{"abc", "def", "ghi"}));
  EXPECT_EQ(std::get<std::vector<std::string>>(get(4)),
            (std::vector<std::string>(3, std::string(12, 'z'))));
  EXPECT_EQ(std::get<std::vector<int64_t>>(get(5)),
            (std::vector<int64_t>{INT64_MIN, 0, INT64_MAX}));
}

TEST(ColumnReader, RefusesEncodingsInvalidForTheType) {
  const std::string file = one_column(leaf("x", Type::kDouble), 1, [&](FileBuilder& b) {
    b.add_page(data_page_v1(1, Encoding::kDeltaBinaryPacked), v1_levels({1}) + "\x80\x01\x04\x01");
  });
  auto col = read_only_column(file);
  EXPECT_EQ(col.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(col.status().message().find("DELTA_BINARY_PACKED is not supported for DOUBLE"),
            std::string::npos)
      << col.status().message();
}

TEST(ColumnReader, RefusesRepeatedAndNestedColumns) {
  FileBuilder repeated({leaf("r", Type::kInt32, FieldRepetitionType::kRepeated)});
  auto r = FileReader::open(repeated.finish(), "t.parquet");
  EXPECT_EQ(r.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(r.status().message().find("column 'r' is REPEATED"), std::string::npos);
  SchemaElement group;
  group.name = "g";
  group.num_children = 1;
  group.repetition_type = FieldRepetitionType::kOptional;
  FileBuilder nested({group, leaf("x", Type::kInt32)});
  nested.metadata().schema[0].num_children = 1;
  r = FileReader::open(nested.finish(), "t.parquet");
  EXPECT_EQ(r.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(r.status().message().find("column 'g' is a nested group"), std::string::npos);
}

}  // namespace
}  // namespace btstore::parquet
