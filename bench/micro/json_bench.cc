// JSON ingest (parse + validate into columns) and emission (the model back to JSON).
#include <benchmark/benchmark.h>

#include <algorithm>

#include "bench_data.h"
#include "json/depth_scan.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "json/symbols_layout.h"

namespace btstore::bench {
namespace {

// Arg: threads for the symbols (0 = the whole document as one, on one thread).
void BM_ParseResult(benchmark::State& state) {
  const std::string& json = result_json();
  json::ParseOptions options;
  options.split_symbols = state.range(0) > 0;
  options.threads = static_cast<size_t>(std::max<int64_t>(1, state.range(0)));
  for (auto _ : state) {
    auto result = json::parse_result(json, options);
    if (!result.ok()) state.SkipWithError(result.status().message().c_str());
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ParseResult)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The pre-parse pass that checks the depth and finds the symbols; Arg 1 = the portable kernel.
void BM_ScanOutline(benchmark::State& state) {
  const std::string& json = result_json();
  const auto kernel = state.range(0) == 1 ? json::ScanKernel::kPortable : json::ScanKernel::kBest;
  for (auto _ : state) {
    json::Outline outline =
        json::scan_outline(json, 64, json::kSymbolsLayoutLevels, 1 << 20, kernel);
    benchmark::DoNotOptimize(outline);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ScanOutline)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_WriteResult(benchmark::State& state) {
  const model::BacktestResult& result = result_model();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = json::write_result(result, 0);
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_WriteResult)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace btstore::bench
