// PLAIN byte arrays (Encodings.md "PLAIN = 0") and BYTE_STREAM_SPLIT ("BYTE_STREAM_SPLIT = 9").
#include <cstring>
#include <limits>

#include "common/coding.h"
#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

constexpr size_t kLengthBytes = 4;

// Stream k holds byte k of every value; a constant width lets the compiler unroll the inner loop.
template <size_t W>
void split(const uint8_t* src, size_t count, uint8_t* dst) {
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < W; ++k) dst[k * count + i] = src[i * W + k];
  }
}

template <size_t W>
void join(const uint8_t* src, size_t count, uint8_t* dst) {
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < W; ++k) dst[i * W + k] = src[k * count + i];
  }
}

// Swaps the upper `shift` bits of each 2*shift-bit group of `a` with the lower ones of `b`.
[[gnu::always_inline]] inline void swap_halves(uint64_t& a, uint64_t& b, int shift,
                                               uint64_t low_mask) {
  const uint64_t t = ((a >> shift) ^ b) & low_mask;
  a ^= t << shift;
  b ^= t;
}

// Transposes the 8x8 byte matrix whose rows are x[0..7]: byte j of x[i] and byte i of x[j]
// trade places, by swapping the off-diagonal blocks of 4, then 2, then 1 bytes. (Written out
// so that the rows stay in registers.)
[[gnu::always_inline]] inline void transpose_8x8(uint64_t (&x)[8]) {
  constexpr uint64_t k4 = 0x00000000FFFFFFFFull, k2 = 0x0000FFFF0000FFFFull,
                     k1 = 0x00FF00FF00FF00FFull;
  swap_halves(x[0], x[4], 32, k4);
  swap_halves(x[1], x[5], 32, k4);
  swap_halves(x[2], x[6], 32, k4);
  swap_halves(x[3], x[7], 32, k4);
  swap_halves(x[0], x[2], 16, k2);
  swap_halves(x[1], x[3], 16, k2);
  swap_halves(x[4], x[6], 16, k2);
  swap_halves(x[5], x[7], 16, k2);
  swap_halves(x[0], x[1], 8, k1);
  swap_halves(x[2], x[3], 8, k1);
  swap_halves(x[4], x[5], 8, k1);
  swap_halves(x[6], x[7], 8, k1);
}

// Stream k holds byte k of every 8-byte value: eight values at a time are one 8x8 transpose,
// with one 8-byte load and store per value and stream instead of one per byte.
void split8(const uint8_t* src, size_t count, uint8_t* dst) {
  const size_t blocks = count / 8;
  for (size_t b = 0; b < blocks; ++b) {
    uint64_t x[8];
    std::memcpy(x, src + b * 64, 64);  // little-endian host (bit_util.h)
    transpose_8x8(x);
    for (size_t k = 0; k < 8; ++k) std::memcpy(dst + k * count + b * 8, &x[k], 8);
  }
  for (size_t i = blocks * 8; i < count; ++i) {
    for (size_t k = 0; k < 8; ++k) dst[k * count + i] = src[i * 8 + k];
  }
}

void join8(const uint8_t* src, size_t count, uint8_t* dst) {
  const size_t blocks = count / 8;
  for (size_t b = 0; b < blocks; ++b) {
    uint64_t x[8];
    for (size_t k = 0; k < 8; ++k) std::memcpy(&x[k], src + k * count + b * 8, 8);
    transpose_8x8(x);
    std::memcpy(dst + b * 64, x, 64);
  }
  for (size_t i = blocks * 8; i < count; ++i) {
    for (size_t k = 0; k < 8; ++k) dst[i * 8 + k] = src[k * count + i];
  }
}

void join_any(const uint8_t* src, size_t count, size_t width, uint8_t* dst) {
  for (size_t k = 0; k < width; ++k) {
    for (size_t i = 0; i < count; ++i) dst[i * width + k] = src[k * count + i];
  }
}

}  // namespace

void encode_plain_byte_arrays(std::span<const std::string> values, std::string& out) {
  size_t total = 0;
  for (const std::string& v : values) total += kLengthBytes + v.size();
  out.reserve(out.size() + total);
  for (const std::string& v : values) {
    put_fixed32(static_cast<uint32_t>(v.size()), out);
    out.append(v);
  }
}

Status decode_plain_byte_arrays(std::string_view in, size_t count, std::vector<std::string>& out,
                                size_t* consumed) {
  // Every value needs its 4-byte length: reject a forged count before allocating for it.
  if (count > in.size() / kLengthBytes) {
    return Status::Corruption("PLAIN byte arrays: " + std::to_string(count) +
                              " values cannot fit in " + std::to_string(in.size()) + " bytes");
  }
  out.clear();
  out.reserve(count);
  size_t pos = 0;
  for (size_t i = 0; i < count; ++i) {
    if (in.size() - pos < kLengthBytes) {
      return Status::Corruption("PLAIN byte arrays: truncated length of value " +
                                std::to_string(i) + " at byte " + std::to_string(pos));
    }
    const uint32_t len = decode_fixed32(in.data() + pos);
    pos += kLengthBytes;
    if (len > in.size() - pos) {
      return Status::Corruption("PLAIN byte arrays: value " + std::to_string(i) + " of " +
                                std::to_string(len) + " bytes overruns the page at byte " +
                                std::to_string(pos));
    }
    out.emplace_back(in.substr(pos, len));
    pos += len;
  }
  *consumed = pos;
  return Status::OK();
}

void encode_byte_stream_split(std::string_view values, size_t width, std::string& out) {
  const size_t count = values.size() / width;
  const size_t pos = out.size();
  out.resize(pos + count * width);
  const auto* src = reinterpret_cast<const uint8_t*>(values.data());
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + pos);
  switch (width) {
    case 4: split<4>(src, count, dst); break;
    case 8: split8(src, count, dst); break;
    default:
      for (size_t i = 0; i < count; ++i) {
        for (size_t k = 0; k < width; ++k) dst[k * count + i] = src[i * width + k];
      }
  }
}

Status decode_byte_stream_split(std::string_view in, size_t count, size_t width, uint8_t* out) {
  if (width == 0) {
    return Status::InvalidArgument("BYTE_STREAM_SPLIT: value width must be positive");
  }
  if (count > std::numeric_limits<size_t>::max() / width || in.size() != count * width) {
    return Status::Corruption("BYTE_STREAM_SPLIT: " + std::to_string(count) + " values of " +
                              std::to_string(width) + " bytes do not match the " +
                              std::to_string(in.size()) + " bytes in the page");
  }
  const auto* src = reinterpret_cast<const uint8_t*>(in.data());
  switch (width) {
    case 4: join<4>(src, count, out); break;
    case 8: join8(src, count, out); break;
    default: join_any(src, count, width, out);
  }
  return Status::OK();
}

}  // namespace btstore::parquet
