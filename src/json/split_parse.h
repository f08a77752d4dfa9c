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
std::optional<model::BacktestResult> parse_split(
    std::string_view json, const SymbolsLayout& layout, size_t threads,
    const std::function<void(size_t, size_t)>& consumed);

}  // namespace btstore::json
