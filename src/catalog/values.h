// Checking and converting the values that cross the catalog boundary: text, task ids, the
// list cursor and the JSONB columns. (UUIDs, dates and timestamps: common/uuid.h, common/time.h.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

namespace btstore::catalog {

// The lower-case form PostgreSQL prints (see common/uuid.h), or InvalidArgument naming `s`.
Result<std::string> canonical_task_id(std::string_view s);

// InvalidArgument when `value` holds a NUL byte or is not UTF-8, or has more than
// `max_chars` characters (0 = no limit). `field` names it in the message.
Status check_text(std::string_view field, std::string_view value, size_t max_chars = 0);

// Integers as PostgreSQL prints them; nullopt unless the whole string is one.
std::optional<int64_t> parse_int64(std::string_view s);

// The list cursor: the (created_at, task_id) of the last row of a page, as
// "<micros>_<task_id>". Opaque to users; parse_cursor refuses anything else.
struct Cursor {
  int64_t created_at = 0;
  std::string task_id;
};
std::string format_cursor(const Cursor& cursor);
Result<Cursor> parse_cursor(std::string_view s);

// A JSON array of strings, order kept: ["BTC/USDT","ETH/USDT"].
std::string encode_string_array(const std::vector<std::string>& values);
// Parses what PostgreSQL prints for such a JSONB value.
Result<std::vector<std::string>> decode_string_array(std::string_view json);

// InvalidArgument unless `json` is one JSON object.
Status check_json_object(std::string_view field, std::string_view json);

}  // namespace btstore::catalog
