// Deterministic, realistic inputs for the micro-benchmarks: hourly random-walk prices with
// 2 decimals, quantities with 4-6 decimals, full-precision returns, fees and pnl, about 2% open
// positions (the shape of the benchmark suite's presets, smaller).
#pragma once

#include <cstddef>
#include <string>

#include "model/result.h"

namespace btstore::bench {

struct DataShape {
  size_t symbols = 20;
  size_t signals = 1000;  // per symbol
  size_t curve = 1500;    // per symbol
};

model::BacktestResult make_result(const DataShape& shape = {});

// make_result() as its BacktestResult JSON document (compact).
const std::string& result_json();
const model::BacktestResult& result_model();

}  // namespace btstore::bench
