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

Status check_depth_limit(const InputLimits& limits) {
  if (limits.max_depth >= 1 && limits.max_depth <= kMaxAllowedDepth) return Status::OK();
  return Status::InvalidArgument("the JSON depth limit must be 1-" +
                                 std::to_string(kMaxAllowedDepth) + ", got " +
                                 std::to_string(limits.max_depth));
}

Status too_deep_error(size_t offset, int max_depth) {
  return Status::InvalidArgument(
      "objects and arrays nest deeper than the limit of " + std::to_string(max_depth) +
      " levels at byte " + std::to_string(offset) +
      "; raise it with --max-json-depth (ConvertOptions::max_json_depth)");
}

Status check_input_limits(std::string_view json, const InputLimits& limits) {
  BTSTORE_RETURN_IF_ERROR(check_document_size(json.size(), limits));
  BTSTORE_RETURN_IF_ERROR(check_depth_limit(limits));
  const size_t at = find_too_deep(json, limits.max_depth);
  if (at != std::string_view::npos) return too_deep_error(at, limits.max_depth);
  return Status::OK();
}

Result<model::BacktestResult> parse_result(std::string_view json, const InputLimits& limits,
                                           size_t threads) {
  BTSTORE_RETURN_IF_ERROR(check_document_size(json.size(), limits));
  BTSTORE_RETURN_IF_ERROR(check_depth_limit(limits));
  ParseOptions options;
  options.max_depth = limits.max_depth;
  options.threads = threads;
  return parse_result(json, options);
}

}  // namespace btstore::json
