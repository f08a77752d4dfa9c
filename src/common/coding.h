// Byte coding shared by the Thrift compact protocol and the Parquet encodings:
// little-endian fixed-width integers, ULEB128 varints and zigzag.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace btstore {

// A ULEB128 uint64 takes at most 10 bytes (7 payload bits per byte).
inline constexpr int kMaxVarint64Bytes = 10;

// Appends `v` as ULEB128 (7 bits per byte, low group first, high bit = "more follows").
void put_uleb128(uint64_t v, std::string& out);

// Reads one ULEB128 value from the front of `in` and removes its bytes from `in`.
// Returns false (and leaves `in` unchanged) when the input ends inside the varint, when it is
// longer than 10 bytes, or when the value does not fit in 64 bits.
bool get_uleb128(std::string_view& in, uint64_t* v);

// Zigzag maps signed to unsigned so that small magnitudes stay small: 0,-1,1,-2 -> 0,1,2,3.
inline constexpr uint64_t zigzag_encode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline constexpr int64_t zigzag_decode(uint64_t v) {
  return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

inline void put_fixed32(uint32_t v, std::string& out) {
  char buf[4];
  for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  out.append(buf, 4);
}

inline void put_fixed64(uint64_t v, std::string& out) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  out.append(buf, 8);
}

// REQUIRES: `p` points to at least 4 (resp. 8) readable bytes.
inline uint32_t decode_fixed32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
         (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

inline uint64_t decode_fixed64(const char* p) {
  return static_cast<uint64_t>(decode_fixed32(p)) |
         (static_cast<uint64_t>(decode_fixed32(p + 4)) << 32);
}

}  // namespace btstore
