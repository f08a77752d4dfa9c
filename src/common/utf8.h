// UTF-8 checks (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), used by
// the JSON reader and writer and by the catalog's text checks.
#pragma once

#include <cstddef>
#include <string_view>

namespace btstore {

// The length (1-4) of the valid UTF-8 sequence at the start of `s`, or 0 when
// it is invalid or truncated. REQUIRES: !s.empty().
size_t utf8_sequence_length(std::string_view s);

// The byte offset of the first invalid sequence, or std::string_view::npos.
size_t first_invalid_utf8(std::string_view s);

// The number of code points of valid UTF-8 text.
size_t count_code_points(std::string_view valid_utf8);

}  // namespace btstore
