// The result writer's previous implementation (its symbol grouping aside), kept for tests as
// the oracle of its output: write_result() and write_result_to() must give the same bytes.
#pragma once

#include <string>

#include "model/result.h"

namespace btstore::json::test {

std::string reference_write_result(const model::BacktestResult& result, int indent);

// The text of a finite double as the previous writer wrote it (std::to_chars).
std::string reference_double_text(double v);

}  // namespace btstore::json::test
