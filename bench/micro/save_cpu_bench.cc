// The CPU work of saving `small` results (the end-to-end save benchmark's documents, ~1 MB),
// without the disk or the catalog: the parse and the encoding, each over 64 different documents
// in turn, as a run of saves meets them.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "convert/result_files.h"
#include "generator/result_generator.h"
#include "json/result_parser.h"

namespace btstore::bench {
namespace {

constexpr uint64_t kDocuments = 64;

// Each document followed by the parser's padding, so that it is parsed in place.
const std::vector<std::string>& small_documents() {
  static const std::vector<std::string> documents = [] {
    std::vector<std::string> out;
    GeneratorOptions options = *preset_options("small");
    for (uint64_t i = 0; i < kDocuments; ++i) {
      options.seed = 1000 + i;
      out.push_back(generate_result_text(options).append(json::kParsePadding, ' '));
    }
    return out;
  }();
  return documents;
}

std::string_view unpadded(const std::string& document) {
  return {document.data(), document.size() - json::kParsePadding};
}

// Arg: threads for the symbols, with no minimum of bytes per thread (a save uses one: two
// take about 0.2 ms less for a quarter more CPU).
void BM_SaveParseSmall(benchmark::State& state) {
  const auto& documents = small_documents();
  json::ParseOptions options;
  options.max_depth = 64;
  options.threads = static_cast<size_t>(state.range(0));
  options.min_bytes_per_thread = 0;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string_view json = unpadded(documents[i++ % documents.size()]);
    auto result = json::parse_result_in_place(json, options);
    if (!result.ok()) state.SkipWithError(result.status().message().c_str());
    benchmark::DoNotOptimize(result);
    bytes += json.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_SaveParseSmall)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// The three Parquet files and metadata.json in memory, as a save encodes them.
void BM_SaveEncodeSmall(benchmark::State& state) {
  std::vector<model::BacktestResult> results;
  size_t json_bytes = 0;
  for (const std::string& document : small_documents()) {
    results.push_back(*json::parse_result_in_place(unpadded(document)));
    json_bytes += unpadded(document).size();
  }
  const ConvertOptions options;
  size_t i = 0;
  for (auto _ : state) {
    auto encoded = convert::encode_result(results[i++ % results.size()], options);
    if (!encoded.ok()) state.SkipWithError(encoded.status().message().c_str());
    benchmark::DoNotOptimize(encoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json_bytes / results.size()));
}
BENCHMARK(BM_SaveEncodeSmall)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace btstore::bench
