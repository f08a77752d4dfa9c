// Damaged files: truncations, bit flips and forged sizes must give an error (or, for a flip
// inside a value, a consistent result) -- never a crash, a hang or a huge allocation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "common/coding.h"
#include "parquet/describe.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/table_gen.h"

namespace btstore::parquet {
namespace {

using model::TableKind;

std::string small_signals_file(CompressionCodec codec) {
  testing::TableGen gen(42);
  model::BacktestResult r;
  r.signals = gen.signals(20);
  WriterOptions options;
  options.codec = codec;
  options.row_group_size = 8;
  auto bytes = write_table(model::view(r, TableKind::kSignals), options);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : std::string();
}

// Everything a caller may do with a file; returns the first error.
Status use(std::string_view bytes) {
  model::BacktestResult out;
  Status st = read_table(bytes, "x.parquet", TableKind::kSignals, out);
  if (st.ok() && out.signals.num_rows() != 20) return Status::Internal("row count changed");
  auto d = describe_file(bytes, "x.parquet");
  return st.ok() ? d.status() : st;
}

// Replaces the footer of `file` (keeping the data section) by `footer`.
std::string with_footer(const std::string& file, const FileMetaData& footer) {
  const uint32_t old_len = decode_fixed32(file.data() + file.size() - 8);
  std::string out = file.substr(0, file.size() - 8 - old_len);
  const std::string encoded = serialize_file_metadata(footer);
  out += encoded;
  put_fixed32(static_cast<uint32_t>(encoded.size()), out);
  return out + "PAR1";
}

FileMetaData footer_of(const std::string& file) {
  auto reader = FileReader::open(file, "x.parquet");
  EXPECT_TRUE(reader.ok());
  return reader.ok() ? reader->metadata() : FileMetaData{};
}

class Damage : public ::testing::TestWithParam<CompressionCodec> {};

TEST_P(Damage, EveryTruncationIsAnError) {
  const std::string file = small_signals_file(GetParam());
  ASSERT_TRUE(use(file).ok());
  for (size_t n = 0; n < file.size(); ++n) {
    Status st = use(std::string_view(file).substr(0, n));
    ASSERT_EQ(st.code(), StatusCode::kCorruption) << "prefix " << n << ": " << st.to_string();
  }
}

TEST_P(Damage, CuttingTheDataSectionIsAnError) {
  // Keep the footer, drop the last k bytes of column data: offsets now point past the data.
  const std::string file = small_signals_file(GetParam());
  const uint32_t footer_len = decode_fixed32(file.data() + file.size() - 8);
  const size_t data_end = file.size() - 8 - footer_len;
  for (size_t k = 1; k < data_end - 4; k += 37) {
    std::string cut = file.substr(0, data_end - k) + file.substr(data_end);
    Status st = use(cut);
    EXPECT_FALSE(st.ok()) << "cut " << k;
    EXPECT_NE(st.code(), StatusCode::kInternal) << st.to_string();
  }
}

TEST_P(Damage, BitFlipsGiveAnErrorOrAConsistentResult) {
  const std::string file = small_signals_file(GetParam());
  std::mt19937 rng(1);
  int errors = 0, tries = 0;
  // Every 13th byte (a different bit each time) keeps the unit suite fast;
  // BTSTORE_DAMAGE_STRIDE=1 flips a bit in every byte.
  const char* stride_env = std::getenv("BTSTORE_DAMAGE_STRIDE");
  const size_t stride = stride_env ? std::max(1, std::atoi(stride_env)) : 13;
  for (size_t pos = 0; pos < file.size(); pos += stride, ++tries) {
    std::string flipped = file;
    flipped[pos] = static_cast<char>(flipped[pos] ^ (1 << (rng() % 8)));
    Status st = use(flipped);  // ok (a changed value) or an error; never Internal or a crash
    EXPECT_NE(st.code(), StatusCode::kInternal) << "byte " << pos << ": " << st.to_string();
    errors += !st.ok();
  }
  EXPECT_GT(errors, tries / 2);  // CRCs and structure catch most
}

INSTANTIATE_TEST_SUITE_P(Codecs, Damage,
                         ::testing::Values(CompressionCodec::kUncompressed,
                                           CompressionCodec::kSnappy, CompressionCodec::kZstd),
                         [](const auto& info) { return std::string(codec_name(info.param)); });

TEST(Damage, FooterLengthBeyondTheFile) {
  std::string file = small_signals_file(CompressionCodec::kSnappy);
  const size_t at = file.size() - 8;
  for (uint32_t len : {uint32_t{0xffffffff}, static_cast<uint32_t>(file.size() - 11)}) {
    std::string forged = file;
    forged.replace(at, 4, std::string(4, '\0'));
    for (int i = 0; i < 4; ++i) forged[at + i] = static_cast<char>(len >> (8 * i));
    Status st = use(forged);
    EXPECT_EQ(st.code(), StatusCode::kCorruption);
    EXPECT_NE(st.message().find("footer length " + std::to_string(len)), std::string::npos)
        << st.message();
  }
}

TEST(Damage, ChunkOutsideTheFile) {
  const std::string file = small_signals_file(CompressionCodec::kSnappy);
  FileMetaData md = footer_of(file);
  md.row_groups[1].columns[2].meta_data->total_compressed_size = int64_t{1} << 40;
  Status st = use(with_footer(file, md));
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("x.parquet: column 'timestamp' row group 1: column chunk at offset"),
            std::string::npos)
      << st.message();
  md = footer_of(file);
  md.row_groups[0].columns[0].meta_data->data_page_offset = -5;
  md.row_groups[0].columns[0].meta_data->dictionary_page_offset.reset();
  EXPECT_EQ(use(with_footer(file, md)).code(), StatusCode::kCorruption);
}

TEST(Damage, HugeRowCountsAreRefusedBeforeReading) {
  const std::string file = small_signals_file(CompressionCodec::kSnappy);
  FileMetaData md = footer_of(file);
  md.num_rows = int64_t{1} << 50;
  Status st = use(with_footer(file, md));
  EXPECT_EQ(st.code(), StatusCode::kNotSupported) << st.to_string();
  md = footer_of(file);
  md.row_groups[0].num_rows = 1'000'000;
  md.num_rows += 1'000'000 - 8;
  for (auto& c : md.row_groups[0].columns) c.meta_data->num_values = 1'000'000;
  st = use(with_footer(file, md));
  EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.to_string();
}

TEST(Damage, RowGroupRowsMustAddUp) {
  const std::string file = small_signals_file(CompressionCodec::kSnappy);
  FileMetaData md = footer_of(file);
  md.num_rows = 19;
  Status st = use(with_footer(file, md));
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
}

TEST(Damage, MissingColumnChunkIsAnError) {
  const std::string file = small_signals_file(CompressionCodec::kSnappy);
  FileMetaData md = footer_of(file);
  md.row_groups[2].columns.pop_back();
  Status st = use(with_footer(file, md));
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("row group 2 has 11 column chunks, the schema has 12"),
            std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace btstore::parquet
