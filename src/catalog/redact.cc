#include "catalog/redact.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace btstore::catalog {
namespace {

constexpr std::string_view kMask = "***";

struct Span {
  size_t begin;
  size_t end;
  bool in_uri;  // the value is percent-encoded (URI) rather than keyword-quoted
};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Start of the whitespace-delimited token that holds position `pos`.
size_t token_start(std::string_view text, size_t pos) {
  while (pos > 0 && !is_space(text[pos - 1])) --pos;
  return pos;
}

// user:PASSWORD@ in the authority of every scheme://... in `text`.
void find_uri_userinfo(std::string_view text, std::vector<Span>& spans) {
  size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string_view::npos) {
    size_t start = pos + 3;
    size_t end = start;
    while (end < text.size() &&
           std::string_view("/?# \t\r\n\"'").find(text[end]) == std::string_view::npos) {
      ++end;
    }
    size_t at = text.substr(start, end - start).rfind('@');
    if (at != std::string_view::npos) {
      size_t colon = text.substr(start, at).find(':');
      if (colon != std::string_view::npos) spans.push_back({start + colon + 1, start + at, true});
    }
    pos = end;
  }
}

// End of a keyword value that starts with a quote: past the closing quote (backslash escapes).
size_t quoted_end(std::string_view text, size_t q) {
  size_t end = q + 1;
  while (end < text.size()) {
    if (text[end] == '\\') {
      end += 2;
    } else if (text[end++] == '\'') {
      break;
    }
  }
  return std::min(end, text.size());
}

// password = VALUE, as a keyword (quoted or bare) or a URI query parameter.
void find_password_fields(std::string_view text, std::vector<Span>& spans) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t pos = 0;
  while ((pos = lower.find("password", pos)) != std::string::npos) {
    size_t q = pos + 8;
    pos = q;
    while (q < text.size() && is_space(text[q])) ++q;
    if (q >= text.size() || text[q] != '=') continue;
    ++q;
    while (q < text.size() && is_space(text[q])) ++q;
    bool in_uri = text.substr(token_start(text, pos), pos).find("://") != std::string_view::npos;
    size_t end = q;
    if (!in_uri && q < text.size() && text[q] == '\'') {
      end = quoted_end(text, q);
    } else {
      while (end < text.size() && !is_space(text[end]) &&
             !(in_uri && (text[end] == '&' || text[end] == '#'))) {
        end += (!in_uri && text[end] == '\\') ? 2 : 1;
      }
      end = std::min(end, text.size());
    }
    if (end > q) spans.push_back({q, end, in_uri});
  }
}

std::vector<Span> password_spans(std::string_view text) {
  std::vector<Span> spans;
  find_uri_userinfo(text, spans);
  find_password_fields(text, spans);
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return spans;
}

std::string replace_spans(std::string_view text, const std::vector<Span>& spans) {
  std::string out;
  size_t done = 0;
  for (const Span& s : spans) {
    if (s.begin < done) continue;  // overlaps the previous span
    out.append(text.substr(done, s.begin - done));
    out.append(kMask);
    done = s.end;
  }
  out.append(text.substr(std::min(done, text.size())));
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value as libpq would read it: %XX decoded in a URI, quotes and backslashes removed in a
// keyword string.
std::string decode(std::string_view raw, bool in_uri) {
  std::string out;
  if (in_uri) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 &&
          hex_value(raw[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2])));
        i += 2;
      } else {
        out.push_back(raw[i]);
      }
    }
    return out;
  }
  if (!raw.empty() && raw.front() == '\'') raw.remove_prefix(1);
  if (!raw.empty() && raw.back() == '\'') raw.remove_suffix(1);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
    out.push_back(raw[i]);
  }
  return out;
}

void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), kMask);
    pos += kMask.size();
  }
}

}  // namespace

std::string redact_conninfo(std::string_view text) {
  return replace_spans(text, password_spans(text));
}

std::string redact_message(std::string_view message, std::string_view conninfo,
                           size_t min_literal) {
  std::string out = redact_conninfo(message);
  std::vector<std::string> literals;
  for (const Span& s : password_spans(conninfo)) {
    std::string_view raw = conninfo.substr(s.begin, s.end - s.begin);
    literals.emplace_back(raw);
    literals.push_back(decode(raw, s.in_uri));
  }
  // Longest first, so a literal that contains another is replaced whole.
  std::sort(literals.begin(), literals.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& literal : literals) {
    if (literal.size() >= std::max<size_t>(min_literal, 1)) replace_all(out, literal);
  }
  return out;
}

}  // namespace btstore::catalog
