#include "json/symbols_layout.h"

namespace btstore::json {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The offset of the last non-space byte before `end`, or npos.
size_t last_non_space_before(std::string_view text, size_t end) {
  while (end > 0) {
    if (!is_space(text[--end])) return end;
  }
  return std::string_view::npos;
}

// Whether [from, to) holds only spaces, or spaces around one `separator` when it is not 0.
bool is_gap(std::string_view text, size_t from, size_t to, char separator) {
  bool seen = separator == 0;
  for (size_t i = from; i < to; ++i) {
    if (is_space(text[i])) continue;
    if (seen || text[i] != separator) return false;
    seen = true;
  }
  return seen;
}

// Whether the '[' at `open` (a value of the root object) follows the key "symbols". The key
// has no escapes; its opening quote follows '{' or ',', so it is not an escaped quote and the
// key is a whole string token.
bool follows_symbols_key(std::string_view text, size_t open) {
  constexpr std::string_view kKey = "\"symbols\"";
  const size_t colon = last_non_space_before(text, open);
  if (colon == std::string_view::npos || text[colon] != ':') return false;
  const size_t quote = last_non_space_before(text, colon);
  if (quote == std::string_view::npos || quote + 1 < kKey.size()) return false;
  const size_t key = quote + 1 - kKey.size();
  if (text.substr(key, kKey.size()) != kKey) return false;
  const size_t before = last_non_space_before(text, key);
  return before != std::string_view::npos && (text[before] == '{' || text[before] == ',');
}

}  // namespace

std::optional<SymbolsLayout> symbols_layout(std::string_view json, const Outline& outline) {
  const std::vector<Bracket>& b = outline.brackets;
  if (!outline.complete || outline.too_deep != std::string_view::npos || b.size() < 4 ||
      b.front().c != '{' || b.back().c != '}' || b.back().level != 1) {
    return std::nullopt;
  }
  std::optional<SymbolsLayout> found;
  for (size_t i = 0; i < b.size(); ++i) {
    if (b[i].level != 2 || b[i].c != '[' || !follows_symbols_key(json, b[i].offset)) continue;
    if (found) return std::nullopt;  // "symbols" twice: the parser names the duplicate
    SymbolsLayout layout{b[i].offset, 0, {}};
    size_t gap_from = layout.open + 1;
    for (++i; i < b.size() && b[i].level == 3; i += 2) {
      if (i + 1 >= b.size() || b[i].c != '{' || b[i + 1].c != '}' || b[i + 1].level != 3) {
        return std::nullopt;
      }
      const char separator = layout.elements.empty() ? 0 : ',';
      if (!is_gap(json, gap_from, b[i].offset, separator)) return std::nullopt;
      layout.elements.push_back({b[i].offset, b[i + 1].offset + 1});
      gap_from = b[i + 1].offset + 1;
    }
    if (i >= b.size() || b[i].c != ']' || b[i].level != 2) return std::nullopt;
    layout.close = b[i].offset;
    if (!is_gap(json, gap_from, layout.close, 0)) return std::nullopt;
    found = std::move(layout);
  }
  return found;
}

}  // namespace btstore::json
