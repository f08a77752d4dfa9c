// The in-memory model -> BacktestResult JSON (docs/format.md).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "btstore/status.h"
#include "model/result.h"

namespace btstore::json {

// The document of `result`: every field present (nulls explicit), keys in the
// order of docs/format.md, doubles as shortest round-trip text laid out like
// Python's repr ("42000.0", "1e+16"; see JsonWriter), timestamps as UTC "...Z"
// (format_timestamp). indent 0 = compact, otherwise one member per line
// indented by `indent` spaces.
//
// Signal and curve rows are grouped under their symbol in summary order, keeping
// their row order. Rows whose symbol has no summary row are written as extra
// symbols (summary all null) after the others, so nothing is dropped.
// The caller checks what JSON cannot carry and parse_result would refuse:
// non-finite doubles (written as null) and timestamps outside years 0001-9999.
std::string write_result(const model::BacktestResult& result, int indent = 0);

// Receives consecutive pieces of a document, in order.
using TextSink = std::function<Status(std::string_view piece)>;

// The text of write_result() handed to `sink` piece by piece (the header, then
// runs of symbols of about 8,192 rows each, then the closing brackets), so that
// the whole document is never held in memory. `threads` threads (0 = one per
// core) write the text of different symbols at once; the sink is called by one
// thread at a time, in document order. The first error of the sink stops the
// writing and is returned.
Status write_result_to(const model::BacktestResult& result, int indent, size_t threads,
                       const TextSink& sink);

}  // namespace btstore::json
