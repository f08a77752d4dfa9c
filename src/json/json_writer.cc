#include "json/json_writer.h"

#include <charconv>
#include <cmath>

#include "json/utf8.h"

namespace btstore::json {
namespace {

// Bytes that cannot be copied into a JSON string as they are.
bool needs_care(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(static_cast<size_t>(indent_) * static_cast<size_t>(depth_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_elements_) out_ += ',';
  if (indent_ > 0 && depth_ > 0) newline();
  has_elements_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  ++depth_;
  has_elements_ = false;
}

void JsonWriter::close(char bracket) {
  --depth_;
  if (indent_ > 0 && has_elements_) newline();
  out_ += bracket;
  has_elements_ = true;  // the closed container is a member of its parent
}

void JsonWriter::begin_object() { open('{'); }
void JsonWriter::end_object() { close('}'); }
void JsonWriter::begin_array() { open('['); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(std::string_view k) {
  before_value();
  append_escaped(k);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::string(std::string_view s) {
  before_value();
  append_escaped(s);
}

void JsonWriter::append_escaped(std::string_view s) {
  out_ += '"';
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && !needs_care(static_cast<unsigned char>(s[run]))) ++run;
    out_.append(s.data() + i, run - i);
    if (run == s.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8_sequence_length(s.substr(i));
      if (n == 0) {
        out_ += kReplacement;
        ++i;
      } else {
        out_.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    out_ += '\\';
    switch (c) {
      case '"': out_ += '"'; break;
      case '\\': out_ += '\\'; break;
      case '\b': out_ += 'b'; break;
      case '\f': out_ += 'f'; break;
      case '\n': out_ += 'n'; break;
      case '\r': out_ += 'r'; break;
      case '\t': out_ += 't'; break;
      default:
        out_ += "u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0x0F];
    }
    ++i;
  }
  out_ += '"';
}

void JsonWriter::number(double v) {
  if (!std::isfinite(v)) {
    null();
    return;
  }
  before_value();
  // The shortest digits that read back to the same bits, from std::to_chars in
  // scientific form ("-1.2345e+20"), then laid out the way Python's repr does.
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(result.ptr - buf));
  if (text.front() == '-') {
    out_ += '-';
    text.remove_prefix(1);
  }
  const size_t e_pos = text.find('e');
  int exponent = 0;
  std::from_chars(text.data() + e_pos + (text[e_pos + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);
  char digits[20];
  size_t n = 0;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') digits[n++] = c;
  }
  append_decimal(std::string_view(digits, n), exponent);
}

// Writes the value 0.d1d2d3... x 10^(exponent+1) (d1 is the units digit when
// exponent is 0): fixed notation with at least one digit after the point for
// 1e-4 <= |v| < 1e16, otherwise d1.d2d3e+XX with at least two exponent digits.
void JsonWriter::append_decimal(std::string_view digits, int exponent) {
  const int n = static_cast<int>(digits.size());
  if (exponent >= kMinFixedExponent && exponent < kMaxFixedExponent) {
    if (exponent < 0) {
      out_ += "0.";
      out_.append(static_cast<size_t>(-exponent - 1), '0');
      out_ += digits;
    } else if (n <= exponent + 1) {
      out_ += digits;
      out_.append(static_cast<size_t>(exponent + 1 - n), '0');
      out_ += ".0";
    } else {
      out_ += digits.substr(0, static_cast<size_t>(exponent + 1));
      out_ += '.';
      out_ += digits.substr(static_cast<size_t>(exponent + 1));
    }
    return;
  }
  out_ += digits[0];
  if (n > 1) {
    out_ += '.';
    out_ += digits.substr(1);
  }
  out_ += exponent < 0 ? "e-" : "e+";
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out_ += '0';
  out_ += std::to_string(magnitude);
}

void JsonWriter::number(int64_t v) {
  before_value();
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, result.ptr);
}

void JsonWriter::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
}

}  // namespace btstore::json
