// The options that raise the limits a result JSON must meet before it is parsed
// (ConvertOptions::max_json_bytes and max_json_depth), shared by json-to-parquet and save.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "btstore/status.h"

namespace btstore::cli {

// Adds --max-json-bytes and --max-json-depth to `cmd`.
void add_json_limit_options(CLI::App* cmd, uint64_t& max_bytes, int& max_depth);

// read_input(), but a file larger than `max_bytes` is refused by its size before it is read.
Result<std::string> read_result_input(const std::string& path, uint64_t max_bytes);

}  // namespace btstore::cli
