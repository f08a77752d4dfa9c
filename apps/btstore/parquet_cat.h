// `btstore parquet-cat`: the rows of any flat Parquet file as the canonical JSON
// document of tests/interop/README.md, so btstore's reading can be compared
// value by value with DuckDB, hyparquet and parquet-wasm:
//   {"schema":[{"name":"symbol","type":"string"},...],"rows":[["BTC/USDT","58.5",200],...]}
// Doubles and floats are strings of their shortest round-trip text ("-0",
// "5e-324", "NaN"); int64 values and timestamps (a count of the unit) are
// strings; int8..uint32 and date32 are numbers; decimals are their decimal text;
// binary is lower-case hex.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::cli {

// The document of the file held in `bytes`: all columns, the first `limit` rows
// (all rows when limit < 0). Errors name `file_name` (and the column).
Result<std::string> parquet_cat_document(std::string_view bytes, const std::string& file_name,
                                         int64_t limit);

}  // namespace btstore::cli
