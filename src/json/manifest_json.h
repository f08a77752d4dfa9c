// metadata.json <-> model::Manifest.
#pragma once

#include <string>
#include <string_view>

#include "btstore/status.h"
#include "model/manifest.h"

namespace btstore::json {

// Pretty-printed metadata.json text.
std::string write_manifest(const model::Manifest& manifest);

// Parses metadata.json; errors name the field ("metadata.json:
// parquet_files.symbol_signals.row_count: ...").
Result<model::Manifest> parse_manifest(std::string_view text);

}  // namespace btstore::json
