// Page compression codecs of the Parquet format (CompressionCodec in parquet.thrift).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::parquet {

// Values are the Parquet CompressionCodec enum values of the Thrift spec.
enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

// "UNCOMPRESSED", "SNAPPY", ... as parquet.thrift spells them; "UNKNOWN" for other values.
std::string_view codec_name(CompressionCodec c);

// Replaces `out` with the compressed bytes. Writable codecs: uncompressed, snappy, gzip (the
// gzip wrapper, zlib level 6), zstd (level 1, as Arrow's default). NotSupported for the others.
Status compress(CompressionCodec codec, std::string_view in, std::string& out);

// Replaces `out` with exactly `uncompressed_size` bytes, or fails: Corruption when the data is
// damaged or does not decompress to exactly that size, NotSupported for LZO/BROTLI/LZ4/LZ4_RAW
// and unknown values. Allocates at most uncompressed_size + 1 bytes: callers pass sizes from
// untrusted page headers and cap them before calling.
Status decompress(CompressionCodec codec, std::string_view in, size_t uncompressed_size,
                  std::string& out);

}  // namespace btstore::parquet
