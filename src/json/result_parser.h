// BacktestResult JSON (schema version 1.0, docs/format.md) -> the in-memory model.
#pragma once

#include <functional>
#include <string_view>

#include "btstore/status.h"
#include "model/result.h"

namespace btstore::json {

// The catalog's fields that `btstore get` adds to a result's top level. The parser accepts and
// ignores them there, so that get's output can be saved again (or elsewhere) as it is.
inline constexpr std::string_view kCatalogFields[] = {"created_at", "updated_at", "parquet_path",
                                                      "file_size", "record_count"};

// How a document is parsed; every setting gives the same result for the same text.
struct ParseOptions {
  // Threads that read the symbols: 0 = one per core, 1 = the caller's only.
  size_t threads = 0;
  // Each of those threads reads at least this many bytes of the document: below that, starting
  // a thread and merging its rows cost more than it saves (a 1 MB result parses in about 1.4 ms
  // on one core, and no sooner on two, for 60% more CPU time). 0 splits any document.
  size_t min_bytes_per_thread = size_t{4} << 20;
  // When above 0, a document nesting objects and arrays deeper than this is refused before it
  // is parsed, with check_input_limits()'s message (the check shares a pass with the split).
  int max_depth = 0;
  // Read the symbols one by one, each as a document of its own (on `threads` threads), after
  // the rest of the root object; false parses the whole text as one document. The results are
  // the same; the split needs only one symbol's parser index at a time and uses the cores.
  bool split_symbols = true;
  // When set, told now and then of a byte range [begin, end) that the parser will not read
  // again (except to place a problem in a message), so the caller can release that memory.
  std::function<void(size_t begin, size_t end)> consumed;
};

// Parses and validates a document. On any problem returns InvalidArgument whose message has
// one line per problem (at most 100), each starting with its JSON path, e.g.
//   symbols[2].signals[17].timestamp: "2024-13-01T00:00:00Z" is not a valid RFC 3339 time (...)
// Syntax errors name the byte offset, line and column. A missing task_id is
// generated (a random UUID v4); task_id is stored in lower case.
Result<model::BacktestResult> parse_result(std::string_view json, const ParseOptions& options = {});

// Readable bytes parse_result_in_place needs after the document's last byte (any values).
inline constexpr size_t kParsePadding = 64;

// parse_result() without copying the document first.
// REQUIRES: kParsePadding readable bytes follow json.end().
Result<model::BacktestResult> parse_result_in_place(std::string_view json,
                                                    const ParseOptions& options = {});

}  // namespace btstore::json
