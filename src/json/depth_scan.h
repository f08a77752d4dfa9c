// How deeply a JSON text nests objects and arrays, found without parsing it: a pre-check that
// costs a small fraction of a parse, so a hostile document is refused before the parser runs.
#pragma once

#include <cstddef>
#include <string_view>

namespace btstore::json {

// The offset of the '{' or '[' that opens nesting level max_depth + 1 (the root being level 1),
// or npos. Brackets inside strings do not count ('\' escapes the next byte in a string); a
// malformed text is scanned as far as it goes, extra closing brackets are ignored.
size_t find_too_deep(std::string_view json, int max_depth);

}  // namespace btstore::json
