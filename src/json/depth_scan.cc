// 64-byte blocks are classified with SSE2 (or, where the CPU has them, AVX2 and carry-less
// multiply) compares into bit masks: quotes, brackets and backslashes. A block without backslashes
// (nearly all of them) finds its in-string bytes with a prefix XOR of the quote mask, so only the
// brackets outside strings are visited one by one. A block with a backslash, or one that starts
// right after a backslash, goes byte by byte.
#include "json/depth_scan.h"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace btstore::json {
namespace {

constexpr size_t kBlock = 64;

struct ScanState {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;  // the previous byte was a backslash inside a string
  int max_level = 0;
  size_t max_brackets = 0;
  Outline* outline = nullptr;

  // The bracket at offset `at`; false when it opens a level deeper than max_depth.
  bool on_bracket(size_t at, char c, int max_depth) {
    const bool opens = (c | 0x20) == '{';
    if (opens) {
      if (++depth > max_depth) return false;
      record(at, depth, c);
    } else if (depth > 0) {
      record(at, depth, c);
      --depth;
    }
    return true;
  }

  void record(size_t at, int level, char c) {
    if (level > max_level || !outline->complete) return;
    if (outline->brackets.size() == max_brackets) {
      outline->complete = false;
      return;
    }
    outline->brackets.push_back({at, level, c});
  }
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
    } else if ((c | 0x20) == '{' || (c | 0x20) == '}') {
      if (!s.on_bracket(i, c, max_depth)) return i;
    }
  }
  return std::string_view::npos;
}

#if defined(__SSE2__)
struct BlockMasks {
  uint64_t quote, open, close, backslash;
};

struct Sse2 {
  static uint64_t mask_of(const __m128i (&v)[4], char c) {
    const __m128i splat = _mm_set1_epi8(c);
    uint64_t m = 0;
    for (int k = 0; k < 4; ++k) {
      const auto bits = static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[k], splat)));
      m |= static_cast<uint64_t>(bits) << (16 * k);
    }
    return m;
  }

  static BlockMasks classify(const char* block) {
    __m128i v[4], folded[4];
    for (int k = 0; k < 4; ++k) {
      v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
      // '[' ']' are '{' '}' less 0x20: setting that bit folds each pair into one compare.
      folded[k] = _mm_or_si128(v[k], _mm_set1_epi8(0x20));
    }
    return {mask_of(v, '"'), mask_of(folded, '{'), mask_of(folded, '}'), mask_of(v, '\\')};
  }

  // Bit i = XOR of bits 0..i.
  static uint64_t prefix_xor(uint64_t x) {
    for (int shift = 1; shift < 64; shift *= 2) x ^= x << shift;
    return x;
  }
};

#if defined(__x86_64__) && defined(__GNUC__)
#define BTSTORE_AVX2_SCAN 1
#define BTSTORE_TARGET_AVX2 __attribute__((target("avx2,pclmul")))

struct Avx2 {
  BTSTORE_TARGET_AVX2 static uint64_t mask_of(__m256i lo, __m256i hi, char c) {
    const __m256i splat = _mm256_set1_epi8(c);
    const auto low = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, splat)));
    const auto high = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, splat)));
    return uint64_t{low} | uint64_t{high} << 32;
  }

  BTSTORE_TARGET_AVX2 static BlockMasks classify(const char* block) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
    const __m256i bit = _mm256_set1_epi8(0x20);
    const __m256i folded_lo = _mm256_or_si256(lo, bit), folded_hi = _mm256_or_si256(hi, bit);
    return {mask_of(lo, hi, '"'), mask_of(folded_lo, folded_hi, '{'),
            mask_of(folded_lo, folded_hi, '}'), mask_of(lo, hi, '\\')};
  }

  // A carry-less multiply by all ones is the prefix XOR.
  BTSTORE_TARGET_AVX2 static uint64_t prefix_xor(uint64_t x) {
    const __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)),
                                                 _mm_set1_epi8(static_cast<char>(0xFF)), 0);
    return static_cast<uint64_t>(_mm_cvtsi128_si64(product));
  }
};
#endif

// The whole 64-byte blocks of [i, n): false when a bracket went too deep (outline.too_deep).
// Inlined into one function per instruction set, so each compiles with its own.
template <typename Isa>
__attribute__((always_inline)) inline bool scan_blocks(const char* p, size_t n, size_t& i,
                                                       int max_depth, ScanState& s,
                                                       Outline& outline) {
  for (; i + kBlock <= n; i += kBlock) {
    const BlockMasks m = Isa::classify(p + i);
    if (m.backslash != 0 || s.escaped) {
      outline.too_deep = scan_bytes(p, i, i + kBlock, max_depth, s);
      if (outline.too_deep != std::string_view::npos) return false;
      continue;
    }
    // Bits of bytes inside a string (the opening quote included, the closing one not).
    const uint64_t in_string = Isa::prefix_xor(m.quote) ^ (s.in_string ? ~uint64_t{0} : 0);
    uint64_t brackets = (m.open | m.close) & ~in_string;
    while (brackets != 0) {
      const int bit = std::countr_zero(brackets);
      brackets &= brackets - 1;
      const size_t at = i + static_cast<size_t>(bit);
      if (!s.on_bracket(at, p[at], max_depth)) {
        outline.too_deep = at;
        return false;
      }
    }
    s.in_string = (std::popcount(m.quote) & 1) != s.in_string;
  }
  return true;
}

bool scan_blocks_sse2(const char* p, size_t n, size_t& i, int max_depth, ScanState& s,
                      Outline& outline) {
  return scan_blocks<Sse2>(p, n, i, max_depth, s, outline);
}

#if BTSTORE_AVX2_SCAN
BTSTORE_TARGET_AVX2 bool scan_blocks_avx2(const char* p, size_t n, size_t& i, int max_depth,
                                          ScanState& s, Outline& outline) {
  return scan_blocks<Avx2>(p, n, i, max_depth, s, outline);
}

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul");
  return has;
}
#endif
#endif

}  // namespace

size_t find_too_deep(std::string_view json, int max_depth) {
  return scan_outline(json, max_depth, 0, 0).too_deep;
}

Outline scan_outline(std::string_view json, int max_depth, int max_level, size_t max_brackets,
                     ScanKernel kernel) {
  Outline outline;
  const char* p = json.data();
  const size_t n = json.size();
  ScanState s;
  s.max_level = max_level;
  s.max_brackets = max_brackets;
  s.outline = &outline;
  size_t i = 0;
#if defined(__SSE2__)
  bool whole = true;
#if BTSTORE_AVX2_SCAN
  if (kernel == ScanKernel::kBest && cpu_has_avx2()) {
    whole = scan_blocks_avx2(p, n, i, max_depth, s, outline);
  } else
#endif
  {
    whole = scan_blocks_sse2(p, n, i, max_depth, s, outline);
  }
  if (!whole) return outline;
#endif
  outline.too_deep = scan_bytes(p, i, n, max_depth, s);
  return outline;
}

}  // namespace btstore::json
