#include "parquet/compression.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <limits>
#include <memory>

namespace btstore::parquet {
namespace {

// zlib: 15 window bits + 16 selects the gzip wrapper (RFC 1952) instead of the zlib one.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kGzipLevel = 6;
constexpr int kZstdLevel = 1;

std::string size_error(CompressionCodec codec, size_t expected, const std::string& got) {
  return std::string(codec_name(codec)) + " page: decompresses to " + got + " bytes, the page " +
         "header says " + std::to_string(expected);
}

Status too_large(CompressionCodec codec, size_t size) {
  return Status::InvalidArgument(std::string(codec_name(codec)) + ": " + std::to_string(size) +
                                 " bytes is more than one page may hold (4 GiB)");
}

Status snappy_compress(std::string_view in, std::string& out) {
  if (in.size() > std::numeric_limits<uint32_t>::max())
    return too_large(CompressionCodec::kSnappy, in.size());
  out.resize(snappy::MaxCompressedLength(in.size()));
  size_t n = 0;
  snappy::RawCompress(in.data(), in.size(), out.data(), &n);
  out.resize(n);
  return Status::OK();
}

Status snappy_decompress(std::string_view in, size_t size, std::string& out) {
  size_t length = 0;
  if (!snappy::GetUncompressedLength(in.data(), in.size(), &length)) {
    return Status::Corruption("SNAPPY page: damaged length preamble");
  }
  if (length != size) {
    return Status::Corruption(size_error(CompressionCodec::kSnappy, size, std::to_string(length)));
  }
  out.resize(size);
  if (!snappy::RawUncompress(in.data(), in.size(), out.data())) {
    return Status::Corruption("SNAPPY page: damaged compressed data");
  }
  return Status::OK();
}

Status gzip_compress(std::string_view in, std::string& out) {
  if (in.size() > std::numeric_limits<uInt>::max())
    return too_large(CompressionCodec::kGzip, in.size());
  z_stream zs{};
  if (deflateInit2(&zs, kGzipLevel, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("GZIP: deflateInit2 failed (out of memory?)");
  }
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return Status::Internal("GZIP: deflate did not finish, code " + std::to_string(rc));
  return Status::OK();
}

Status gzip_decompress(std::string_view in, size_t size, std::string& out) {
  if (in.size() > std::numeric_limits<uInt>::max() || size >= std::numeric_limits<uInt>::max()) {
    return too_large(CompressionCodec::kGzip, std::max(in.size(), size));
  }
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) {
    return Status::Internal("GZIP: inflateInit2 failed (out of memory?)");
  }
  // One spare byte tells "exactly size" from "more than size" without a second pass.
  out.resize(size + 1);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  // A page may hold several gzip members back to back (RFC 1952 allows it and
  // some writers do it): inflate them one after another.
  int rc = inflate(&zs, Z_FINISH);
  while (rc == Z_STREAM_END && zs.avail_in != 0 && zs.avail_out != 0) {
    if (inflateReset(&zs) != Z_OK) break;
    rc = inflate(&zs, Z_FINISH);
  }
  const size_t produced = static_cast<size_t>(zs.next_out - reinterpret_cast<Bytef*>(out.data()));
  const uInt left_in = zs.avail_in;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    if (produced > size)
      return Status::Corruption(
          size_error(CompressionCodec::kGzip, size, "more than " + std::to_string(size)));
    return Status::Corruption("GZIP page: damaged or truncated data (zlib code " +
                              std::to_string(rc) + ")");
  }
  if (produced != size) {
    return Status::Corruption(size_error(CompressionCodec::kGzip, size, std::to_string(produced)));
  }
  if (left_in != 0) {
    return Status::Corruption("GZIP page: " + std::to_string(left_in) +
                              " bytes after the end of the gzip member");
  }
  out.resize(size);
  return Status::OK();
}

// Contexts are costly to create, so each thread keeps one of each.
struct ZstdFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

Status zstd_compress(std::string_view in, std::string& out) {
  thread_local std::unique_ptr<ZSTD_CCtx, ZstdFree> ctx(ZSTD_createCCtx());
  if (!ctx) return Status::Internal("ZSTD: cannot create a compression context");
  out.resize(ZSTD_compressBound(in.size()));
  const size_t n =
      ZSTD_compressCCtx(ctx.get(), out.data(), out.size(), in.data(), in.size(), kZstdLevel);
  if (ZSTD_isError(n)) return Status::Internal(std::string("ZSTD: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return Status::OK();
}

Status zstd_decompress(std::string_view in, size_t size, std::string& out) {
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdFree> ctx(ZSTD_createDCtx());
  if (!ctx) return Status::Internal("ZSTD: cannot create a decompression context");
  const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return Status::Corruption("ZSTD page: not a zstd frame");
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != size) {
    return Status::Corruption(size_error(CompressionCodec::kZstd, size, std::to_string(declared)));
  }
  out.resize(size + 1);
  const size_t n = ZSTD_decompressDCtx(ctx.get(), out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(n)) {
    return Status::Corruption(std::string("ZSTD page: ") + ZSTD_getErrorName(n));
  }
  if (n != size)
    return Status::Corruption(size_error(CompressionCodec::kZstd, size, std::to_string(n)));
  out.resize(size);
  return Status::OK();
}

Status unsupported(CompressionCodec codec) {
  return Status::NotSupported("compression codec " + std::string(codec_name(codec)) + " (" +
                              std::to_string(static_cast<int32_t>(codec)) +
                              ") is not supported; rewrite the file with SNAPPY, GZIP or ZSTD");
}

}  // namespace

std::string_view codec_name(CompressionCodec c) {
  switch (c) {
    case CompressionCodec::kUncompressed: return "UNCOMPRESSED";
    case CompressionCodec::kSnappy: return "SNAPPY";
    case CompressionCodec::kGzip: return "GZIP";
    case CompressionCodec::kLzo: return "LZO";
    case CompressionCodec::kBrotli: return "BROTLI";
    case CompressionCodec::kLz4: return "LZ4";
    case CompressionCodec::kZstd: return "ZSTD";
    case CompressionCodec::kLz4Raw: return "LZ4_RAW";
  }
  return "UNKNOWN";
}

Status compress(CompressionCodec codec, std::string_view in, std::string& out) {
  switch (codec) {
    case CompressionCodec::kUncompressed: out.assign(in); return Status::OK();
    case CompressionCodec::kSnappy: return snappy_compress(in, out);
    case CompressionCodec::kGzip: return gzip_compress(in, out);
    case CompressionCodec::kZstd: return zstd_compress(in, out);
    default: return unsupported(codec);
  }
}

Status decompress(CompressionCodec codec, std::string_view in, size_t uncompressed_size,
                  std::string& out) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      if (in.size() != uncompressed_size) {
        return Status::Corruption(size_error(codec, uncompressed_size, std::to_string(in.size())));
      }
      out.assign(in);
      return Status::OK();
    case CompressionCodec::kSnappy: return snappy_decompress(in, uncompressed_size, out);
    case CompressionCodec::kGzip: return gzip_decompress(in, uncompressed_size, out);
    case CompressionCodec::kZstd: return zstd_decompress(in, uncompressed_size, out);
    default: return unsupported(codec);
  }
}

}  // namespace btstore::parquet
