#include "json/json_text.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "json/utf8.h"

namespace btstore::json {
namespace {

// Bytes that cannot be copied into a JSON string as they are.
bool needs_care(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Python's repr switches to exponent notation outside 1e-4 <= |v| < 1e16.
constexpr int kMinFixedExponent = -4;
constexpr int kMaxFixedExponent = 16;

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

char* put_zeros(char* p, int n) {
  if (n <= 0) return p;
  std::memset(p, '0', static_cast<size_t>(n));
  return p + n;
}

constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Exactly eight digits of v < 10^8 (leading zeros kept) ending at `end`.
void put_eight_digits_before(char* end, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    end -= 2;
    std::memcpy(end, kPairs + 2 * (v % 100), 2);
    v /= 100;
  }
}

// The decimal digits of v (no sign, no leading zeros) ending at `end`; returns
// their start. Blocks of eight digits in 32-bit arithmetic: shorter chains of
// dependent divisions than 64-bit pairs.
char* put_digits_before(char* end, uint64_t v) {
  while (v >= 100'000'000) {
    put_eight_digits_before(end, static_cast<uint32_t>(v % 100'000'000));
    end -= 8;
    v /= 100'000'000;
  }
  auto w = static_cast<uint32_t>(v);
  while (w >= 100) {
    end -= 2;
    std::memcpy(end, kPairs + 2 * (w % 100), 2);
    w /= 100;
  }
  if (w >= 10) {
    end -= 2;
    std::memcpy(end, kPairs + 2 * w, 2);
  } else {
    *--end = static_cast<char>('0' + w);
  }
  return end;
}

// Writes the value 0.d1d2d3... x 10^(exponent+1) (d1 is the units digit when
// exponent is 0) in Python's layout (see put_double).
char* put_decimal(char* p, std::string_view digits, int exponent) {
  const int n = static_cast<int>(digits.size());
  if (exponent >= kMinFixedExponent && exponent < kMaxFixedExponent) {
    if (exponent < 0) {
      p = put(p, "0.");
      p = put_zeros(p, -exponent - 1);
      return put(p, digits);
    }
    if (n <= exponent + 1) {
      p = put(p, digits);
      p = put_zeros(p, exponent + 1 - n);
      return put(p, ".0");
    }
    p = put(p, digits.substr(0, static_cast<size_t>(exponent + 1)));
    *p++ = '.';
    return put(p, digits.substr(static_cast<size_t>(exponent + 1)));
  }
  *p++ = digits[0];
  if (n > 1) {
    *p++ = '.';
    p = put(p, digits.substr(1));
  }
  p = put(p, exponent < 0 ? "e-" : "e+");
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) *p++ = '0';
  const int width = magnitude >= 100 ? 3 : magnitude >= 10 ? 2 : 1;
  put_digits_before(p + width, static_cast<uint64_t>(magnitude));
  return p + width;
}

}  // namespace

char* put_quoted(char* p, std::string_view s) {
  *p++ = '"';
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && !needs_care(static_cast<unsigned char>(s[run]))) ++run;
    p = put(p, s.substr(i, run - i));
    if (run == s.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8_sequence_length(s.substr(i));
      p = n == 0 ? put(p, kReplacement) : put(p, s.substr(i, n));
      i += n == 0 ? 1 : n;
      continue;
    }
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      default:
        p = put(p, "u00");
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0x0F];
    }
    ++i;
  }
  *p++ = '"';
  return p;
}

char* put_double(char* p, double v) {
  if (std::signbit(v)) *p++ = '-';
  if (v == 0) return put(p, "0.0");
  // Shortest round-trip digits (Dragonbox, as std::to_chars gives them but
  // without the text round trip): v = significand x 10^exponent.
  const auto decimal = fmt::detail::dragonbox::to_decimal(v);
  uint64_t significand = decimal.significand;
  int exponent = decimal.exponent;
  while (significand % 10 == 0) {
    significand /= 10;
    ++exponent;
  }
  char digits[24];
  char* const end = digits + sizeof digits;
  const char* begin = put_digits_before(end, significand);
  const std::string_view text(begin, static_cast<size_t>(end - begin));
  return put_decimal(p, text, exponent + static_cast<int>(text.size()) - 1);
}

char* put_int64(char* p, int64_t v) { return std::to_chars(p, p + kMaxNumberChars, v).ptr; }

}  // namespace btstore::json
