// 64-byte blocks are classified with SSE2 compares into bit masks: quotes, brackets and
// backslashes. A block without backslashes (nearly all of them) finds its in-string bytes with a
// prefix XOR of the quote mask, so only the brackets outside strings are visited one by one.
// A block with a backslash, or one that starts right after a backslash, goes byte by byte.
#include "json/depth_scan.h"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace btstore::json {
namespace {

constexpr size_t kBlock = 64;

struct ScanState {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;  // the previous byte was a backslash inside a string
};

// Byte by byte over [begin, end); returns the offending offset or npos.
size_t scan_bytes(const char* p, size_t begin, size_t end, int max_depth, ScanState& s) {
  for (size_t i = begin; i < end; ++i) {
    const char c = p[i];
    if (s.in_string) {
      if (s.escaped) {
        s.escaped = false;
      } else if (c == '\\') {
        s.escaped = true;
      } else if (c == '"') {
        s.in_string = false;
      }
    } else if (c == '"') {
      s.in_string = true;
    } else if (c == '{' || c == '[') {
      if (++s.depth > max_depth) return i;
    } else if ((c == '}' || c == ']') && s.depth > 0) {
      --s.depth;
    }
  }
  return std::string_view::npos;
}

#if defined(__SSE2__)
struct BlockMasks {
  uint64_t quote, open, close, backslash;
};

uint64_t mask_of(const __m128i (&v)[4], char c) {
  const __m128i splat = _mm_set1_epi8(c);
  uint64_t m = 0;
  for (int k = 0; k < 4; ++k) {
    const auto bits = static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[k], splat)));
    m |= static_cast<uint64_t>(bits) << (16 * k);
  }
  return m;
}

BlockMasks classify(const char* block) {
  __m128i v[4], folded[4];
  for (int k = 0; k < 4; ++k) {
    v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
    // '[' ']' are '{' '}' less 0x20: setting that bit folds each pair into one compare.
    folded[k] = _mm_or_si128(v[k], _mm_set1_epi8(0x20));
  }
  return {mask_of(v, '"'), mask_of(folded, '{'), mask_of(folded, '}'), mask_of(v, '\\')};
}

// Bit i = XOR of bits 0..i.
uint64_t prefix_xor(uint64_t x) {
  for (int shift = 1; shift < 64; shift *= 2) x ^= x << shift;
  return x;
}
#endif

}  // namespace

size_t find_too_deep(std::string_view json, int max_depth) {
  const char* p = json.data();
  const size_t n = json.size();
  ScanState s;
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + kBlock <= n; i += kBlock) {
    const BlockMasks m = classify(p + i);
    if (m.backslash != 0 || s.escaped) {
      if (const size_t at = scan_bytes(p, i, i + kBlock, max_depth, s); at != json.npos) return at;
      continue;
    }
    // Bits of bytes inside a string (the opening quote included, the closing one not).
    const uint64_t in_string = prefix_xor(m.quote) ^ (s.in_string ? ~uint64_t{0} : 0);
    uint64_t brackets = (m.open | m.close) & ~in_string;
    while (brackets != 0) {
      const int bit = std::countr_zero(brackets);
      brackets &= brackets - 1;
      if ((m.open >> bit) & 1) {
        if (++s.depth > max_depth) return i + static_cast<size_t>(bit);
      } else if (s.depth > 0) {
        --s.depth;
      }
    }
    s.in_string = (std::popcount(m.quote) & 1) != s.in_string;
  }
#endif
  return scan_bytes(p, i, n, max_depth, s);
}

}  // namespace btstore::json
