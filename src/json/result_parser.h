// BacktestResult JSON (schema version 1.0, docs/format.md) -> the in-memory model.
#pragma once

#include <functional>
#include <string_view>

#include "btstore/status.h"
#include "model/result.h"

namespace btstore::json {

// Parses and validates a document in one pass. On any problem returns
// InvalidArgument whose message has one line per problem (at most 100), each
// starting with its JSON path, e.g.
//   symbols[2].signals[17].timestamp: "2024-13-01T00:00:00Z" is not a valid RFC 3339 time (...)
// Syntax errors name the byte offset, line and column. A missing task_id is
// generated (a random UUID v4); task_id is stored in lower case.
Result<model::BacktestResult> parse_result(std::string_view json);

// Readable bytes parse_result_in_place needs after the document's last byte (any values).
inline constexpr size_t kParsePadding = 64;

// parse_result() without copying the document first. `consumed`, when set, is called now and
// then with an offset below which the parser will not read the document again (except to
// locate a problem for its message), so the caller can release that memory.
// REQUIRES: kParsePadding readable bytes follow json.end().
Result<model::BacktestResult> parse_result_in_place(
    std::string_view json, const std::function<void(size_t)>& consumed = {});

}  // namespace btstore::json
