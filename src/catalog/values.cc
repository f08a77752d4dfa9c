#include "catalog/values.h"

#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <cstdio>

#include "common/time.h"
#include "common/utf8.h"
#include "common/uuid.h"

namespace btstore::catalog {
namespace {

void append_json_string(std::string_view s, std::string& out) {
  out.push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

Result<std::string> canonical_task_id(std::string_view s) {
  if (!is_uuid(s)) {
    return Status::InvalidArgument("task_id \"" + std::string(s.substr(0, 64)) +
                                   "\" is not a UUID (expected 8-4-4-4-12 hex digits, e.g. "
                                   "550e8400-e29b-41d4-a716-446655440000)");
  }
  return canonical_uuid(s);
}

Status check_text(std::string_view field, std::string_view value, size_t max_chars) {
  if (value.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument(std::string(field) +
                                   " contains a NUL byte, which PostgreSQL text cannot store");
  }
  if (first_invalid_utf8(value) != std::string_view::npos) {
    return Status::InvalidArgument(std::string(field) + " is not valid UTF-8");
  }
  const size_t chars = max_chars == 0 ? 0 : count_code_points(value);
  if (chars > max_chars) {
    return Status::InvalidArgument(std::string(field) + " is " + std::to_string(chars) +
                                   " characters long; the catalog holds at most " +
                                   std::to_string(max_chars));
  }
  return Status::OK();
}

std::optional<int64_t> parse_int64(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string format_cursor(const Cursor& cursor) {
  return std::to_string(cursor.created_at) + "_" + cursor.task_id;
}

Result<Cursor> parse_cursor(std::string_view s) {
  auto bad = [&] {
    return Status::InvalidArgument("list cursor \"" + std::string(s.substr(0, 80)) +
                                   "\" is malformed; pass the next cursor printed by the "
                                   "previous page, or none for the first page");
  };
  size_t sep = s.find('_');
  if (sep == std::string_view::npos) return bad();
  std::optional<int64_t> micros = parse_int64(s.substr(0, sep));
  if (!micros || !timestamp_in_range(*micros) || !is_uuid(s.substr(sep + 1))) return bad();
  BTSTORE_ASSIGN_OR_RETURN(std::string id, canonical_task_id(s.substr(sep + 1)));
  return Cursor{*micros, std::move(id)};
}

std::string encode_string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(values[i], out);
  }
  out.push_back(']');
  return out;
}

Result<std::vector<std::string>> decode_string_array(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::array array;
  if (parser.parse(padded).get_array().get(array) != simdjson::SUCCESS) {
    return Status::Corruption("expected a JSON array of strings, found " +
                              std::string(json.substr(0, 80)));
  }
  std::vector<std::string> out;
  for (simdjson::dom::element element : array) {
    std::string_view value;
    if (element.get_string().get(value) != simdjson::SUCCESS) {
      return Status::Corruption("expected a JSON array of strings, found " +
                                std::string(json.substr(0, 80)));
    }
    out.emplace_back(value);
  }
  return out;
}

Status check_json_object(std::string_view field, std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::object object;
  simdjson::error_code error = parser.parse(padded).get_object().get(object);
  if (error == simdjson::SUCCESS) return Status::OK();
  // Numbers past double or int64 (1E400, 30-digit integers) are valid JSON that jsonb keeps as
  // numeric; simdjson cannot hold them. Check the outline and let the server check the rest.
  if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) {
    size_t first = json.find_first_not_of(" \t\r\n");
    size_t last = json.find_last_not_of(" \t\r\n");
    if (first != std::string_view::npos && json[first] == '{' && json[last] == '}') {
      return Status::OK();
    }
  }
  return Status::InvalidArgument(std::string(field) + " must be one JSON object, found " +
                                 std::string(json.substr(0, 80)));
}

}  // namespace btstore::catalog
