// Parsing a document in pieces: the root object with its "symbols" array emptied, then the
// symbol objects, each a document of its own, on several threads.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "json/symbols_layout.h"
#include "model/result.h"

namespace btstore::json {

// The result when every piece parses without a problem and the symbol names are unique;
// nullopt otherwise (the caller parses the whole document for the messages).
// REQUIRES: kParsePadding readable bytes follow json.end().
// Into how many runs (one per thread) parse_split() divides `elements` symbols of a
// `json_bytes`-byte document: ParseOptions::threads (0 = one per core), but no more than the
// symbols, and none with fewer than `min_bytes_per_thread` bytes (0: no such bound).
size_t split_runs(size_t json_bytes, size_t elements, size_t threads, size_t min_bytes_per_thread);

// `threads` and `min_bytes_per_thread` as for split_runs().
std::optional<model::BacktestResult> parse_split(
    std::string_view json, const SymbolsLayout& layout, size_t threads, size_t min_bytes_per_thread,
    const std::function<void(size_t, size_t)>& consumed);

}  // namespace btstore::json
