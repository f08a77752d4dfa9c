// How deeply a JSON text nests objects and arrays, found without parsing it: a pre-check that
// costs a small fraction of a parse, so a hostile document is refused before the parser runs.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace btstore::json {

// The offset of the '{' or '[' that opens nesting level max_depth + 1 (the root being level 1),
// or npos. Brackets inside strings do not count ('\' escapes the next byte in a string); a
// malformed text is scanned as far as it goes, extra closing brackets are ignored.
size_t find_too_deep(std::string_view json, int max_depth);

// A bracket outside strings: '{' or '[' opening nesting level `level`, or '}' or ']' closing it.
struct Bracket {
  size_t offset;
  int level;
  char c;
};

// What one pass over a text finds: the depth check of find_too_deep() and the brackets of the
// outer levels, enough to find the members of the root object and their elements without
// parsing. Valid only as far as the text is valid JSON; a parser confirms it.
struct Outline {
  size_t too_deep = std::string_view::npos;  // find_too_deep()'s answer
  std::vector<Bracket> brackets;             // of levels 1..max_level, in text order
  bool complete = true;                      // false when more than max_brackets were found
};

// The block kernel: the fastest the CPU has, or the SSE2 one every x86-64 CPU has (for tests).
enum class ScanKernel { kBest, kPortable };

// find_too_deep() that also records the brackets of levels 1..max_level (at most max_brackets;
// beyond that `complete` is false and recording stops, so a hostile text costs no memory).
Outline scan_outline(std::string_view json, int max_depth, int max_level, size_t max_brackets,
                     ScanKernel kernel = ScanKernel::kBest);

}  // namespace btstore::json
