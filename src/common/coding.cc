#include "common/coding.h"

namespace btstore {

void put_uleb128(uint64_t v, std::string& out) {
  char buf[kMaxVarint64Bytes];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

bool get_uleb128(std::string_view& in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < in.size() && i < kMaxVarint64Bytes; ++i) {
    const uint64_t byte = static_cast<unsigned char>(in[i]);
    const uint64_t payload = byte & 0x7F;
    // The 10th byte holds bit 63 only; anything larger overflows 64 bits.
    if (i == kMaxVarint64Bytes - 1 && payload > 1) return false;
    result |= payload << (7 * i);
    if ((byte & 0x80) == 0) {
      *v = result;
      in.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace btstore
