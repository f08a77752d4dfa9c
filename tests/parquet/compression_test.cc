#include "parquet/compression.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace btstore::parquet {
namespace {

constexpr CompressionCodec kWritable[] = {CompressionCodec::kUncompressed,
                                          CompressionCodec::kSnappy, CompressionCodec::kGzip,
                                          CompressionCodec::kZstd};
constexpr CompressionCodec kCompressing[] = {CompressionCodec::kSnappy, CompressionCodec::kGzip,
                                             CompressionCodec::kZstd};

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::vector<std::string> sample_inputs() {
  std::mt19937_64 rng(17);
  std::string random(1 << 20, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  std::string text;
  while (text.size() < 100000) text += "AAPL,2024-01-02T09:30:00Z,BUY,187.25;";
  return {"", "x", "hello parquet", random, text, std::string(1 << 20, '\0')};
}

TEST(Compression, CodecNamesFollowTheThriftSpec) {
  EXPECT_EQ(codec_name(CompressionCodec::kUncompressed), "UNCOMPRESSED");
  EXPECT_EQ(codec_name(CompressionCodec::kSnappy), "SNAPPY");
  EXPECT_EQ(codec_name(CompressionCodec::kGzip), "GZIP");
  EXPECT_EQ(codec_name(CompressionCodec::kLzo), "LZO");
  EXPECT_EQ(codec_name(CompressionCodec::kBrotli), "BROTLI");
  EXPECT_EQ(codec_name(CompressionCodec::kLz4), "LZ4");
  EXPECT_EQ(codec_name(CompressionCodec::kZstd), "ZSTD");
  EXPECT_EQ(codec_name(CompressionCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(static_cast<int>(CompressionCodec::kZstd), 6);
}

TEST(Compression, RoundTripsEveryWritableCodec) {
  for (CompressionCodec codec : kWritable) {
    for (const std::string& input : sample_inputs()) {
      std::string compressed = "stale";
      ASSERT_TRUE(compress(codec, input, compressed).ok()) << codec_name(codec);
      std::string back = "stale";
      Status st = decompress(codec, compressed, input.size(), back);
      ASSERT_TRUE(st.ok()) << codec_name(codec) << ": " << st.to_string();
      EXPECT_EQ(back, input) << codec_name(codec);
    }
  }
}

TEST(Compression, CompressesRepetitiveData) {
  const std::string zeros(1 << 20, '\0');
  for (CompressionCodec codec : kCompressing) {
    std::string out;
    ASSERT_TRUE(compress(codec, zeros, out).ok());
    EXPECT_LT(out.size(), zeros.size() / 10) << codec_name(codec);
  }
}

TEST(Compression, WritesTheStandardFrames) {
  std::string out;
  ASSERT_TRUE(compress(CompressionCodec::kGzip, "abc", out).ok());
  EXPECT_EQ(out.substr(0, 3), from_hex("1f8b08"));  // gzip magic + deflate
  ASSERT_TRUE(compress(CompressionCodec::kZstd, "abc", out).ok());
  EXPECT_EQ(out.substr(0, 4), from_hex("28b52ffd"));  // zstd frame magic
  ASSERT_TRUE(compress(CompressionCodec::kSnappy, "abc", out).ok());
  EXPECT_EQ(out, from_hex("0308616263"));  // length 3, literal of 3 bytes
}

TEST(Compression, DecompressesOtherImplementationsOutput) {
  // Made by Python's gzip module and the zstd command line tool.
  const std::string gzip =
      from_hex("1f8b0800000000000203cb48cdc9c95728482c2a2c4d2d0100756045620d000000");
  const std::string zstd = from_hex("28b52ffd045869000068656c6c6f2070617271756574ee6e623e");
  std::string out;
  ASSERT_TRUE(decompress(CompressionCodec::kGzip, gzip, 13, out).ok());
  EXPECT_EQ(out, "hello parquet");
  ASSERT_TRUE(decompress(CompressionCodec::kZstd, zstd, 13, out).ok());
  EXPECT_EQ(out, "hello parquet");
}

TEST(Compression, RejectsAWrongUncompressedSize) {
  const std::string input(10000, 'q');
  for (CompressionCodec codec : kWritable) {
    std::string compressed;
    ASSERT_TRUE(compress(codec, input, compressed).ok());
    for (size_t size : {size_t{0}, input.size() - 1, input.size() + 1, size_t{100}}) {
      std::string out;
      EXPECT_EQ(decompress(codec, compressed, size, out).code(), StatusCode::kCorruption)
          << codec_name(codec) << " size " << size;
    }
  }
}

TEST(Compression, RejectsEveryTruncation) {
  std::string input;
  for (int i = 0; i < 200; ++i) input += "row " + std::to_string(i * 7919 % 1000) + ";";
  for (CompressionCodec codec : kCompressing) {
    std::string compressed;
    ASSERT_TRUE(compress(codec, input, compressed).ok());
    for (size_t n = 0; n < compressed.size(); ++n) {
      std::string out;
      EXPECT_FALSE(decompress(codec, compressed.substr(0, n), input.size(), out).ok())
          << codec_name(codec) << " cut at " << n;
    }
  }
}

TEST(Compression, SurvivesBitFlips) {
  std::string input;
  for (int i = 0; i < 100; ++i) input += "value " + std::to_string(i * i) + ",";
  for (CompressionCodec codec : kCompressing) {
    std::string compressed;
    ASSERT_TRUE(compress(codec, input, compressed).ok());
    for (size_t bit = 0; bit < compressed.size() * 8; ++bit) {
      std::string damaged = compressed;
      damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
      std::string out;
      // Snappy has no checksum, so a flipped literal may decode: but never to another size.
      if (decompress(codec, damaged, input.size(), out).ok()) {
        EXPECT_EQ(out.size(), input.size());
      }
    }
  }
}

TEST(Compression, GzipReadsConcatenatedMembers) {
  std::string first, second, out;
  ASSERT_TRUE(compress(CompressionCodec::kGzip, "first member, ", first).ok());
  ASSERT_TRUE(compress(CompressionCodec::kGzip, "second member", second).ok());
  ASSERT_TRUE(decompress(CompressionCodec::kGzip, first + second, 27, out).ok());
  EXPECT_EQ(out, "first member, second member");
  EXPECT_EQ(decompress(CompressionCodec::kGzip, first + second, 14, out).code(),
            StatusCode::kCorruption);
}

TEST(Compression, GzipDetectsDamageThroughItsChecksum) {
  std::string compressed;
  ASSERT_TRUE(compress(CompressionCodec::kGzip, "some page bytes", compressed).ok());
  compressed[compressed.size() - 6] ^= 0x01;  // inside the CRC32 trailer
  std::string out;
  EXPECT_EQ(decompress(CompressionCodec::kGzip, compressed, 15, out).code(),
            StatusCode::kCorruption);
}

TEST(Compression, RejectsTrailingGarbageAfterGzip) {
  std::string compressed;
  ASSERT_TRUE(compress(CompressionCodec::kGzip, "abc", compressed).ok());
  std::string out;
  EXPECT_EQ(decompress(CompressionCodec::kGzip, compressed + "junk", 3, out).code(),
            StatusCode::kCorruption);
}

TEST(Compression, DecompressionBombStopsAtTheDeclaredSize) {
  // 16 MiB of zeros claimed to be 100 bytes: must fail without inflating it all.
  const std::string zeros(16 << 20, '\0');
  for (CompressionCodec codec : kCompressing) {
    std::string compressed;
    ASSERT_TRUE(compress(codec, zeros, compressed).ok());
    std::string out;
    EXPECT_EQ(decompress(codec, compressed, 100, out).code(), StatusCode::kCorruption)
        << codec_name(codec);
    EXPECT_LE(out.capacity(), size_t{4096}) << codec_name(codec);
  }
}

TEST(Compression, RejectsUnsupportedCodecs) {
  for (auto codec : {CompressionCodec::kLzo, CompressionCodec::kBrotli, CompressionCodec::kLz4,
                     CompressionCodec::kLz4Raw, static_cast<CompressionCodec>(42),
                     static_cast<CompressionCodec>(-1)}) {
    std::string out;
    EXPECT_EQ(decompress(codec, "abc", 3, out).code(), StatusCode::kNotSupported);
    EXPECT_EQ(compress(codec, "abc", out).code(), StatusCode::kNotSupported);
  }
  std::string out;
  Status st = decompress(CompressionCodec::kLz4, "abc", 3, out);
  EXPECT_NE(st.message().find("LZ4"), std::string::npos) << st.message();
}

TEST(Compression, RejectsGarbage) {
  for (CompressionCodec codec : kCompressing) {
    std::string out;
    EXPECT_EQ(decompress(codec, "definitely not compressed", 25, out).code(),
              StatusCode::kCorruption)
        << codec_name(codec);
  }
}

}  // namespace
}  // namespace btstore::parquet
