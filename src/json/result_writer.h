// The in-memory model -> BacktestResult JSON (docs/format.md).
#pragma once

#include <string>

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

}  // namespace btstore::json
