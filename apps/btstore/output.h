// Shared helpers of the commands: error reporting and input reading.
#pragma once

#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::cli {

// Prints "btstore: <code>: <message>" to stderr and returns the exit code for it.
int report_error(const Status& status);

int exit_code_for(const Status& status);

// Reads a whole file, or standard input when `path` is "-".
Result<std::string> read_input(const std::string& path);

// Writes `data` to `path` atomically, or to stdout when `path` is empty or "-".
Status write_output(const std::string& path, std::string_view data);

// "1,234,567"
std::string with_thousands(long long value);

}  // namespace btstore::cli

namespace btstore::cli {

// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

}  // namespace btstore::cli
