// Random valid BacktestResults for property tests, and an exact comparison.
#pragma once

#include <random>
#include <string>

#include "model/result.h"

namespace btstore::testing {

struct RandomResultOptions {
  int max_symbols = 5;
  int max_signals = 300;  // per symbol
  int max_curve = 300;    // per symbol
  double null_rate = 0.1;
  bool extreme_values = true;
};

// A result that parse_result accepts and write_result/parse_result gives back
// unchanged: unique unicode symbol names (quotes, backslashes, control
// characters, 4-byte UTF-8), sorted timestamps (before 1970, after 2100, the
// limits 0001 and 9999 when extreme_values), -0.0, subnormals, +-1e308, the
// int32 limits, nulls in every nullable field, and a canonical metadata object.
model::BacktestResult random_result(std::mt19937_64& rng, const RandomResultOptions& options = {});

// "" when `a` and `b` are equal with every double bit-identical (so -0.0 != 0.0);
// otherwise a description of the first difference.
std::string result_difference(const model::BacktestResult& a, const model::BacktestResult& b);

}  // namespace btstore::testing
