#include "json/problems.h"

#include "json/json_writer.h"

namespace btstore::json {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

constexpr size_t kMessageBytes = 60;

// The longest prefix of at most `max` bytes that does not split a UTF-8 sequence.
std::string_view cut(std::string_view text, size_t max) {
  if (text.size() <= max) return text;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

}  // namespace

std::string quote_for_message(std::string_view text) {
  const std::string_view head = cut(text, kMessageBytes);
  JsonWriter w;
  w.string(head);
  std::string out = w.take();
  if (head.size() < text.size()) out += "...";
  return out;
}

std::string token_for_message(std::string_view token) {
  const std::string_view head = cut(token, kMessageBytes);
  std::string out;
  for (char c : head) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 ? '?' : c;
  }
  if (head.size() < token.size()) out += "...";
  return out;
}

std::string JsonPath::to_string() const {
  if (segments_.empty()) return "$";
  std::string out;
  for (const Segment& s : segments_) {
    if (s.is_index) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    } else if (is_identifier(s.key)) {
      if (!out.empty()) out += '.';
      out += s.key;
    } else {
      JsonWriter quoted;
      quoted.string(s.key);
      out += '[';
      out += quoted.str();
      out += ']';
    }
  }
  return out;
}

void ProblemList::add(const JsonPath& path, std::string_view message) {
  if (full()) return;
  std::string line = path.to_string();
  line += ": ";
  line += message;
  lines_.push_back(std::move(line));
}

Status ProblemList::to_status() const {
  std::string message;
  for (const std::string& line : lines_) {
    if (!message.empty()) message += '\n';
    message += line;
  }
  if (full()) {
    message += "\n$: stopped after " + std::to_string(cap_) +
               " problems (there may be more); fix these and validate again";
  }
  return Status::InvalidArgument(std::move(message));
}

}  // namespace btstore::json
