#include "json_limits.h"

#include <filesystem>
#include <system_error>

#include "json/input_limits.h"
#include "output.h"

namespace btstore::cli {

void add_json_limit_options(CLI::App* cmd, uint64_t& max_bytes, int& max_depth) {
  cmd->add_option("--max-json-bytes", max_bytes,
                  "refuse a result JSON larger than this many bytes before parsing it "
                  "(default 2147483648, 2 GiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-json-depth", max_depth,
                  "refuse a result JSON whose objects and arrays nest deeper than this "
                  "(default 64; the root object is level 1)")
      ->check(CLI::Range(1, json::kMaxAllowedDepth));
}

Result<std::string> read_result_input(const std::string& path, uint64_t max_bytes) {
  if (path != "-") {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    json::InputLimits limits;
    limits.max_bytes = max_bytes;
    if (!ec) BTSTORE_RETURN_IF_ERROR(json::check_document_size(size, limits));
  }
  return read_input(path);
}

}  // namespace btstore::cli
