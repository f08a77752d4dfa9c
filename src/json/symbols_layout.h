// Where the elements of a document's "symbols" array lie, found from the outline of the text
// (json/depth_scan.h) without parsing it, so the symbols can be parsed apart (in parallel).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "json/depth_scan.h"

namespace btstore::json {

// Byte range [begin, end) of a text.
struct ByteRange {
  size_t begin;
  size_t end;
};

struct SymbolsLayout {
  size_t open;                      // the array's '['
  size_t close;                     // its ']'
  std::vector<ByteRange> elements;  // each symbol object, '{' to '}' inclusive
};

// Brackets of levels 1..kSymbolsLayoutLevels are what symbols_layout() needs.
inline constexpr int kSymbolsLayoutLevels = 3;

// The layout when the text looks like a root object with one "symbols" member whose value is
// an array of objects separated by commas; nullopt for anything else (the caller then parses
// the whole text, which reports what is wrong). A layout found here is a claim, not a proof:
// the parser of each piece confirms it.
std::optional<SymbolsLayout> symbols_layout(std::string_view json, const Outline& outline);

}  // namespace btstore::json
