// Limits a BacktestResult JSON document must meet before it is parsed: its size and how deeply
// its objects and arrays nest. Both are checked without parsing, so a hostile document costs
// one cheap pass (or nothing, for the size) instead of the parser's memory and recursion.
#pragma once

#include <cstdint>
#include <string_view>

#include "btstore/convert.h"
#include "btstore/status.h"
#include "model/result.h"

namespace btstore::json {

// simdjson needs a padded copy plus its index (several bytes per byte of input), so a
// larger document would take more memory than a typical machine has.
inline constexpr uint64_t kDefaultMaxDocumentBytes = uint64_t{2} << 30;  // 2 GiB
// The schema itself uses five levels (root, symbols, a symbol, signals, a signal); the rest is
// room for the free-form metadata object, which no real tool nests more than a few levels.
// The metadata copy recurses once per level, so the limit also bounds stack use.
inline constexpr int kDefaultMaxDepth = 64;
// Raising the depth beyond this would let the metadata copy recurse without a useful bound.
inline constexpr int kMaxAllowedDepth = 1024;

struct InputLimits {
  uint64_t max_bytes = kDefaultMaxDocumentBytes;
  int max_depth = kDefaultMaxDepth;
};

// The limits a conversion's options set.
inline InputLimits input_limits(const ConvertOptions& options) {
  return {options.max_json_bytes, options.max_json_depth};
}

// InvalidArgument when a document of `bytes` bytes is over limits.max_bytes: lets a caller
// refuse a file by its size before reading it.
Status check_document_size(uint64_t bytes, const InputLimits& limits);

// InvalidArgument when `json` is longer than limits.max_bytes, or nests objects and arrays
// deeper than limits.max_depth (the root object is level 1). The message gives the limit and
// the option that raises it.
Status check_input_limits(std::string_view json, const InputLimits& limits);

// InvalidArgument when limits.max_depth is outside 1..kMaxAllowedDepth.
Status check_depth_limit(const InputLimits& limits);

// The error for a document whose brackets at `offset` open level max_depth + 1.
Status too_deep_error(size_t offset, int max_depth);

// check_input_limits(), then parse_result() on `threads` threads (0 = one per core); the depth
// is checked in the parser's own first pass.
Result<model::BacktestResult> parse_result(std::string_view json, const InputLimits& limits,
                                           size_t threads = 0);

}  // namespace btstore::json
