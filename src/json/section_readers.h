// Readers of the two structured members of a BacktestResult document; each
// reports its problems through the DocumentReader and keeps reading.
#pragma once

#include <string>

#include "json/document_reader.h"
#include "model/result.h"

namespace btstore::json {

// Deepest nesting accepted inside "metadata" (the metadata object itself is 1).
inline constexpr int kMaxMetadataDepth = 64;

// The value of "metadata": any JSON object, written to `out` minified, numbers
// kept as their source text, strings re-escaped canonically. Duplicate keys,
// U+0000 in strings or keys, and nesting deeper than kMaxMetadataDepth are problems.
void read_metadata(DocumentReader& reader, ondemand::value& value, std::string& out);

// The value of "symbols": appends one summary row per symbol and its signal and
// curve rows to `result`, checking names, types, ranges and order.
void read_symbols(DocumentReader& reader, ondemand::value& value, model::BacktestResult& result);

}  // namespace btstore::json
