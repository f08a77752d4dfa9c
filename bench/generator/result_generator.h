// A deterministic generator of realistic BacktestResult documents for
// benchmarks: per-symbol hourly random-walk prices with 2 decimals,
// quantities with 4-6 decimals, full-precision returns, fees and equity,
// about 2% open positions (null exit fields) and summaries derived from the
// signals. The same options give the same bytes on every run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::bench {

struct GeneratorOptions {
  std::string preset = "custom";  // recorded in the document's metadata
  int symbols = 5;
  int signals = 250;       // per symbol
  int curve_points = 720;  // per symbol, hourly
  uint64_t seed = 1;
};

// The presets: small (5 x 250 x 720, ~1 MB), 100mb (200 x 1,000 x
// 1,500), 500mb (1,000 x 1,000 x 1,500). InvalidArgument for another name.
Result<GeneratorOptions> preset_options(std::string_view name);

// Receives the document in pieces of about 1 MiB, in order.
using ChunkSink = std::function<Status(std::string_view)>;

Status generate_result(const GeneratorOptions& options, const ChunkSink& sink);

// The whole document as one string (tests, small presets).
std::string generate_result_text(const GeneratorOptions& options);

// Writes the document to `path` (created or truncated); returns its size.
Result<uint64_t> generate_result_file(const GeneratorOptions& options,
                                      const std::filesystem::path& path);

}  // namespace btstore::bench
