// Bit-packing kernels shared by the RLE/bit-packing hybrid and DELTA_BINARY_PACKED encodings.
// Values are packed LSB first (Parquet Encodings.md, "RLE"): value i of a group of 8 with bit
// width W occupies bits [i*W, (i+1)*W) of the group's W bytes, read as a little-endian integer.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace btstore::parquet {

static_assert(std::endian::native == std::endian::little,
              "the bit-packing kernels and PLAIN memcpy assume a little-endian host");

// A group of 8 values packed with width W takes exactly W bytes.
inline constexpr int kBitPackGroup = 8;

template <int W, typename U>
inline void unpack_group(const uint8_t* in, U* out) {
  static_assert(W >= 0 && W <= 8 * static_cast<int>(sizeof(U)));
  if constexpr (W == 0) {
    for (int i = 0; i < kBitPackGroup; ++i) out[i] = 0;
  } else {
    // Copy the group into zero-padded 64-bit words so every shift below stays in bounds.
    uint64_t words[W / 8 + 1] = {};
    std::memcpy(words, in, W);
    constexpr uint64_t kMask = W == 64 ? ~uint64_t{0} : (uint64_t{1} << (W % 64)) - 1;
    for (int i = 0; i < kBitPackGroup; ++i) {
      const int bit = i * W;
      const int word = bit / 64;
      const int shift = bit % 64;
      uint64_t v = words[word] >> shift;
      if (shift + W > 64) v |= words[word + 1] << (64 - shift);
      out[i] = static_cast<U>(v & kMask);
    }
  }
}

// REQUIRES: every in[i] < 2^W (higher bits are dropped).
template <int W, typename U>
inline void pack_group(const U* in, uint8_t* out) {
  static_assert(W >= 0 && W <= 8 * static_cast<int>(sizeof(U)));
  if constexpr (W > 0) {
    uint64_t words[W / 8 + 1] = {};
    constexpr uint64_t kMask = W == 64 ? ~uint64_t{0} : (uint64_t{1} << (W % 64)) - 1;
    for (int i = 0; i < kBitPackGroup; ++i) {
      const uint64_t v = static_cast<uint64_t>(in[i]) & kMask;
      const int bit = i * W;
      const int word = bit / 64;
      const int shift = bit % 64;
      words[word] |= v << shift;
      if (shift + W > 64) words[word + 1] |= v >> (64 - shift);
    }
    std::memcpy(out, words, W);
  }
}

using Unpack32Fn = void (*)(const uint8_t* in, uint32_t* out);
using Unpack64Fn = void (*)(const uint8_t* in, uint64_t* out);
using Pack32Fn = void (*)(const uint32_t* in, uint8_t* out);
using Pack64Fn = void (*)(const uint64_t* in, uint8_t* out);

// Kernels for one group of 8 values at a run-time width.
// REQUIRES: 0 <= width <= 32 (resp. 64); callers validate widths read from input first.
Unpack32Fn unpack32_fn(int width);
Unpack64Fn unpack64_fn(int width);
Pack32Fn pack32_fn(int width);
Pack64Fn pack64_fn(int width);

}  // namespace btstore::parquet
