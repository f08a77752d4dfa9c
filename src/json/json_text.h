// The text of JSON strings and numbers written straight into a caller's buffer,
// for JsonWriter and the result writer's row loop (no allocation, no checks per
// byte). Each function writes at `p`, which must have room for the bound given,
// and returns the end of what it wrote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace btstore::json {

// Room that put_double / put_int64 may need.
inline constexpr size_t kMaxNumberChars = 32;

// Room that put_quoted(s) may need: the quotes plus 6 bytes per input byte
// (a control character becomes \u00XX).
inline constexpr size_t quoted_bound(size_t bytes) { return 2 + 6 * bytes; }

// `s` as a JSON string literal, quotes included, escaped per RFC 8259 (\" \\ \b
// \f \n \r \t, other control characters as \u00XX); bytes that are not valid
// UTF-8 become U+FFFD, so the output is always valid JSON.
char* put_quoted(char* p, std::string_view s);

// A finite double in the fewest significant digits that read back to the same
// bits, laid out like Python's repr(float): fixed notation with at least one
// digit after the point for 1e-4 <= |v| < 1e16 ("42000.0", "-0.0", "0.0001"),
// otherwise an exponent of at least two digits ("1e+16", "5e-324", "1e-05").
// REQUIRES: std::isfinite(v).
char* put_double(char* p, double v);

char* put_int64(char* p, int64_t v);

}  // namespace btstore::json
