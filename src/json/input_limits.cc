#include "json/input_limits.h"

#include <string>

#include "json/depth_scan.h"
#include "json/result_parser.h"

namespace btstore::json {

Status check_document_size(uint64_t bytes, const InputLimits& limits) {
  if (bytes <= limits.max_bytes) return Status::OK();
  return Status::InvalidArgument(
      "the document is " + std::to_string(bytes) + " bytes, more than the limit of " +
      std::to_string(limits.max_bytes) +
      " bytes; raise it with --max-json-bytes (ConvertOptions::max_json_bytes)");
}

Status check_input_limits(std::string_view json, const InputLimits& limits) {
  BTSTORE_RETURN_IF_ERROR(check_document_size(json.size(), limits));
  if (limits.max_depth < 1 || limits.max_depth > kMaxAllowedDepth) {
    return Status::InvalidArgument("the JSON depth limit must be 1-" +
                                   std::to_string(kMaxAllowedDepth) + ", got " +
                                   std::to_string(limits.max_depth));
  }
  const size_t at = find_too_deep(json, limits.max_depth);
  if (at != std::string_view::npos) {
    return Status::InvalidArgument(
        "objects and arrays nest deeper than the limit of " + std::to_string(limits.max_depth) +
        " levels at byte " + std::to_string(at) +
        "; raise it with --max-json-depth (ConvertOptions::max_json_depth)");
  }
  return Status::OK();
}

Result<model::BacktestResult> parse_result(std::string_view json, const InputLimits& limits) {
  BTSTORE_RETURN_IF_ERROR(check_input_limits(json, limits));
  return parse_result(json);
}

}  // namespace btstore::json
