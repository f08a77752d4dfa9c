// Checks of a model read back from Parquet files (the JSON parser checks its
// input as it goes; files from disk or other writers are checked here).
#pragma once

#include <string_view>

#include "btstore/status.h"
#include "model/result.h"

namespace btstore::model {

// Puts signal and curve rows in the order of the symbols in `summary`,
// keeping the order of rows within a symbol (files of other writers may
// interleave symbols). Fails when a row names a symbol missing from the
// summary, or a symbol appears twice in the summary.
Status group_by_symbol(BacktestResult& result);

// The rules of docs/format.md that a table can break: non-null symbol,
// signal_index, idx and timestamp; signals in non-decreasing time; curve with
// strictly increasing idx and non-decreasing time within each symbol; and
// values JSON can carry (finite doubles, timestamps in years 0001-9999).
// REQUIRES: group_by_symbol() succeeded.
Status check_tables(const BacktestResult& result);

}  // namespace btstore::model
