#include "json/document_reader.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "common/time.h"

namespace btstore::json {
namespace {

using simdjson::error_code;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Skips one or more digits at text[i]; false when there is none.
bool skip_digits(std::string_view text, size_t& i) {
  const size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i > start;
}

// NaN and Infinity in the spellings JavaScript, Python and C emit.
bool looks_like_nan_or_infinity(std::string_view token) {
  if (!token.empty() && (token[0] == '-' || token[0] == '+')) token.remove_prefix(1);
  const auto starts = [&](std::string_view word) {
    if (token.size() < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if ((token[i] | 0x20) != word[i]) return false;
    }
    return true;
  };
  return starts("nan") || starts("inf");
}

std::string_view describe(error_code error) {
  switch (error) {
    case simdjson::TAPE_ERROR: return "a comma, colon, bracket or brace is missing or out of place";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "an object or array is not closed, or content follows the document";
    case simdjson::DEPTH_ERROR: return "the document is nested too deeply";
    default: return simdjson::error_message(error);
  }
}

// simdjson 3.0.1's On-Demand get_double() gets two kinds of numbers wrong that its DOM parser
// reads right (both fixed upstream by 3.6.3):
// - "0.<digits>" with more than 19 digits: it counts the significant digits from the wrong
//   place, and they overflow (simdjson issue 2093): 0.95000000000000000000 reads as 0.0277;
// - a number whose exponent has more than 19 digits is refused as malformed, where its value
//   is zero (5e-99999999999999999999) or too large for a double.
bool on_demand_may_misread(std::string_view token) {
  if (!token.empty() && token[0] == '-') token.remove_prefix(1);
  if (!token.starts_with("0.")) return false;
  size_t end = 2;
  skip_digits(token, end);
  return end - 2 > 18;  // "0" and 19 or more decimals
}

// v.get_double(), with the numbers On-Demand may get wrong read again by the DOM parser.
error_code get_double_exact(ondemand::value& v, double& out) {
  const error_code e = v.get_double().get(out);
  if (e != simdjson::SUCCESS && e != simdjson::NUMBER_ERROR) return e;
  const std::string_view token = v.raw_json_token();
  if (e == simdjson::SUCCESS && !on_demand_may_misread(token)) return e;
  thread_local simdjson::dom::parser dom_parser;
  const simdjson::padded_string copy(token);
  double d;
  const error_code dom_error = dom_parser.parse(copy).get_double().get(d);
  if (dom_error == simdjson::SUCCESS) {
    out = d;
    return dom_error;
  }
  return e == simdjson::SUCCESS ? dom_error : e;
}

}  // namespace

bool is_json_number(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!skip_digits(text, i)) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!skip_digits(text, i)) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!skip_digits(text, i)) return false;
  }
  return i == text.size();
}

std::string_view json_type_name(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array: return "an array";
    case ondemand::json_type::object: return "an object";
    case ondemand::json_type::number: return "a number";
    case ondemand::json_type::string: return "a string";
    case ondemand::json_type::boolean: return "a boolean";
    case ondemand::json_type::null: return "null";
  }
  return "an unknown value";
}

std::string_view trimmed_token(ondemand::value& v) {
  std::string_view token = v.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

std::string DocumentReader::location(const char* p) {
  size_t offset = buffer_.size();
  if (p >= buffer_.data() && p <= buffer_.data() + buffer_.size()) {
    offset = static_cast<size_t>(p - buffer_.data());
  }
  if (offset < line_offset_) line_offset_ = 0, line_number_ = 1, line_start_ = 0;
  for (size_t i = line_offset_; i < offset;) {
    const void* nl = std::memchr(buffer_.data() + i, '\n', offset - i);
    if (nl == nullptr) break;
    i = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
    ++line_number_;
    line_start_ = i;
  }
  line_offset_ = offset;
  return "byte " + std::to_string(offset) + " (line " + std::to_string(line_number_) + ", column " +
         std::to_string(offset - line_start_ + 1) + ")";
}

void DocumentReader::report_fatal(error_code error) {
  const char* p = nullptr;
  std::string where = "at the end of the document";
  if (doc_ != nullptr && doc_->current_location().get(p) == simdjson::SUCCESS) {
    where = "at " + location(p);
  }
  report("invalid JSON " + where + ": " + std::string(describe(error)));
  fatal_ = true;
}

void DocumentReader::report_bad_token(std::string_view token) {
  const std::string where = location(token.data());
  if (looks_like_nan_or_infinity(token)) {
    report(token_for_message(token) + " at " + where +
           " is not valid JSON: NaN and Infinity are not JSON numbers; write null instead");
  } else {
    report(token_for_message(token) + " at " + where + " is not a valid JSON value");
  }
}

void DocumentReader::report_number_error(std::string_view token, error_code error) {
  if (looks_like_nan_or_infinity(token)) {
    report_bad_token(token);
  } else if (error == simdjson::NUMBER_ERROR && is_json_number(token)) {
    report(token_for_message(token) +
           " is outside the range of a double (at most 1.7976931348623157e308 in magnitude)");
  } else {
    report(token_for_message(token) + " at " + location(token.data()) +
           " is not a valid JSON number");
  }
}

bool DocumentReader::peek_type(ondemand::value& v, ondemand::json_type& type) {
  if (v.type().get(type) == simdjson::SUCCESS) return true;
  report_bad_token(trimmed_token(v));
  return false;
}

bool DocumentReader::expect(ondemand::value& v, ondemand::json_type want,
                            std::string_view want_name, bool nullable, ReadOutcome& early) {
  early = ReadOutcome::kFailed;
  ondemand::json_type type;
  if (!peek_type(v, type)) return false;
  if (type == ondemand::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
      report_bad_token(trimmed_token(v));
    } else if (nullable) {
      early = ReadOutcome::kNull;
    } else {
      report("expected " + std::string(want_name) + ", got null (this field cannot be null)");
    }
    return false;
  }
  if (type != want) {
    report("expected " + std::string(want_name) + (nullable ? " or null" : "") + ", got " +
           std::string(json_type_name(type)));
    return false;
  }
  return true;
}

// The scalar reads try the expected type first: a failed get_double() leaves the value
// unread, so the slow path (type checks, nulls, messages) sees it as before.
ReadOutcome DocumentReader::read_double(ondemand::value& v, bool nullable, double& out) {
  if (get_double_exact(v, out) == simdjson::SUCCESS) return ReadOutcome::kValue;
  ReadOutcome early;
  if (!expect(v, ondemand::json_type::number, "a number", nullable, early)) return early;
  if (const error_code e = get_double_exact(v, out)) {
    report_number_error(trimmed_token(v), e);
    return ReadOutcome::kFailed;
  }
  return ReadOutcome::kValue;
}

ReadOutcome DocumentReader::read_int32(ondemand::value& v, bool nullable, int32_t& out) {
  double d = 0;
  error_code e = get_double_exact(v, d);
  if (e == simdjson::SUCCESS && d == std::trunc(d) && d >= std::numeric_limits<int32_t>::min() &&
      d <= std::numeric_limits<int32_t>::max()) {
    out = static_cast<int32_t>(d);
    return ReadOutcome::kValue;
  }
  if (e != simdjson::SUCCESS) {
    ReadOutcome early;
    if (!expect(v, ondemand::json_type::number, "an integer", nullable, early)) return early;
    e = get_double_exact(v, d);
  }
  const std::string_view token = trimmed_token(v);
  if (e != simdjson::SUCCESS && !(e == simdjson::NUMBER_ERROR && is_json_number(token))) {
    report_number_error(token, e);
    return ReadOutcome::kFailed;
  }
  if (e == simdjson::SUCCESS && d != std::trunc(d)) {
    report(token_for_message(token) + " is not an integer");
    return ReadOutcome::kFailed;
  }
  if (e != simdjson::SUCCESS || d < std::numeric_limits<int32_t>::min() ||
      d > std::numeric_limits<int32_t>::max()) {
    report(token_for_message(token) + " is outside the int32 range -2147483648..2147483647");
    return ReadOutcome::kFailed;
  }
  out = static_cast<int32_t>(d);
  return ReadOutcome::kValue;
}

namespace {

// The text of a string whose raw form starts at `raw` (just after the opening quote) when it
// holds no escape: the document was validated (UTF-8, no raw control characters) before any
// value is read, so the raw bytes are then the string. False when there is an escape.
bool unescaped_in_place(const char* raw, std::string_view& out) {
  const char* p = raw;
  while (*p != '"' && *p != '\\') ++p;  // the document's closing quote stops the scan
  if (*p == '\\') return false;
  out = std::string_view(raw, static_cast<size_t>(p - raw));
  return true;
}

}  // namespace

void DocumentReader::mark_consumed() {
  const char* at = nullptr;
  if (!consumed_hook_ || doc_ == nullptr || doc_->current_location().get(at) != simdjson::SUCCESS)
    return;
  if (at >= buffer_.data() && at <= buffer_.data() + buffer_.size()) {
    consumed_hook_(static_cast<size_t>(at - buffer_.data()));
  }
}

bool DocumentReader::read_key(ondemand::field& field, std::string_view& key) {
  if (unescaped_in_place(reinterpret_cast<const char*>(field.key().raw()), key)) return true;
  return check(field.unescaped_key().get(key));
}

ReadOutcome DocumentReader::read_string(ondemand::value& v, bool nullable, std::string_view& out) {
  // A value left unread is skipped by its container, so the in-place view needs no get_string().
  if (const std::string_view token = v.raw_json_token();
      !token.empty() && token[0] == '"' && unescaped_in_place(token.data() + 1, out)) {
    return ReadOutcome::kValue;
  }
  ReadOutcome early;
  if (!expect(v, ondemand::json_type::string, "a string", nullable, early)) return early;
  if (v.get_string().get(out) != simdjson::SUCCESS) {
    const std::string_view token = trimmed_token(v);
    report("the string at " + location(token.data()) +
           " has an invalid escape sequence (a lone UTF-16 surrogate or a bad \\u escape)");
    return ReadOutcome::kFailed;
  }
  return ReadOutcome::kValue;
}

ReadOutcome DocumentReader::read_timestamp(ondemand::value& v, bool nullable, int64_t& out) {
  std::string_view text;
  const ReadOutcome got = read_string(v, nullable, text);
  if (got != ReadOutcome::kValue) return got;
  Result<int64_t> parsed = parse_timestamp(text);
  if (!parsed.ok()) {
    report(parsed.status().message());
    return ReadOutcome::kFailed;
  }
  out = *parsed;
  return ReadOutcome::kValue;
}

ReadOutcome DocumentReader::read_object(ondemand::value& v, bool null_ok, ondemand::object& out) {
  ReadOutcome early;
  if (!expect(v, ondemand::json_type::object, "an object", null_ok, early)) return early;
  return check(v.get_object().get(out)) ? ReadOutcome::kValue : ReadOutcome::kFailed;
}

ReadOutcome DocumentReader::read_array(ondemand::value& v, ondemand::array& out) {
  ReadOutcome early;
  if (!expect(v, ondemand::json_type::array, "an array", false, early)) return early;
  return check(v.get_array().get(out)) ? ReadOutcome::kValue : ReadOutcome::kFailed;
}

}  // namespace btstore::json
