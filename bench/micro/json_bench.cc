// JSON ingest (parse + validate into columns) and emission (the model back to JSON).
#include <benchmark/benchmark.h>

#include "bench_data.h"
#include "json/result_parser.h"
#include "json/result_writer.h"

namespace btstore::bench {
namespace {

void BM_ParseResult(benchmark::State& state) {
  const std::string& json = result_json();
  for (auto _ : state) {
    auto result = json::parse_result(json);
    if (!result.ok()) state.SkipWithError(result.status().message().c_str());
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ParseResult)->Unit(benchmark::kMillisecond);

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
