// The Parquet side: value encodings, Snappy, whole tables written and read back.
#include <benchmark/benchmark.h>

#include <span>

#include "bench_data.h"
#include "model/schema.h"
#include "parquet/compression.h"
#include "parquet/encoding.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/value_encoding.h"

namespace btstore::bench {
namespace {

using model::TableKind;

// One row group's worth of a column, as the writer sees it.
constexpr size_t kGroupRows = 10'000;

std::span<const double> equity() {
  return std::span(result_model().curve.equity.values).first(kGroupRows);
}

void BM_DeltaInt64Timestamps(benchmark::State& state) {
  const auto values = std::span(result_model().curve.timestamp.values).first(kGroupRows);
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(parquet::encode_int64_values(values, out));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * values.size_bytes()));
}
BENCHMARK(BM_DeltaInt64Timestamps);

void BM_ChooseAndEncodeDoubles(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(
        parquet::encode_double_values(equity(), parquet::CompressionCodec::kSnappy, out));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * equity().size_bytes()));
}
BENCHMARK(BM_ChooseAndEncodeDoubles);

void BM_DoubleDictionaryRejects(benchmark::State& state) {
  const std::vector<uint8_t> defined(kGroupRows, 1);
  parquet::DoubleDictionary dict;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parquet::build_double_dictionary(equity(), defined, dict));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * equity().size_bytes()));
}
BENCHMARK(BM_DoubleDictionaryRejects);

void BM_SnappyByteStreamSplit(benchmark::State& state) {
  std::string split, out;
  parquet::encode_byte_stream_split(
      std::string_view(reinterpret_cast<const char*>(equity().data()), equity().size_bytes()), 8,
      split);
  for (auto _ : state) {
    if (!parquet::compress(parquet::CompressionCodec::kSnappy, split, out).ok()) {
      state.SkipWithError("snappy failed");
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * split.size()));
  state.counters["ratio"] = static_cast<double>(out.size()) / static_cast<double>(split.size());
}
BENCHMARK(BM_SnappyByteStreamSplit);

parquet::WriterOptions writer_options() {
  parquet::WriterOptions options;
  options.codec = parquet::CompressionCodec::kSnappy;
  return options;
}

void BM_WriteTable(benchmark::State& state) {
  const auto kind = static_cast<TableKind>(state.range(0));
  const model::ConstTableView view = model::view(result_model(), kind);
  size_t raw = 0;
  for (const auto& c : view.columns) {
    raw +=
        std::visit([](const auto* col) { return col->values.size() * sizeof(col->values[0]); }, c);
  }
  for (auto _ : state) {
    auto file = parquet::write_table(view, writer_options());
    if (!file.ok()) state.SkipWithError(file.status().message().c_str());
    benchmark::DoNotOptimize(file);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw));
}
BENCHMARK(BM_WriteTable)
    ->Arg(static_cast<int>(TableKind::kSignals))
    ->Arg(static_cast<int>(TableKind::kCurve))
    ->Unit(benchmark::kMillisecond);

void BM_ReadTable(benchmark::State& state) {
  const auto kind = static_cast<TableKind>(state.range(0));
  const auto file = parquet::write_table(model::view(result_model(), kind), writer_options());
  for (auto _ : state) {
    model::BacktestResult result;
    if (!parquet::read_table(*file, "bench.parquet", kind, result).ok()) {
      state.SkipWithError("read_table failed");
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file->size()));
}
BENCHMARK(BM_ReadTable)
    ->Arg(static_cast<int>(TableKind::kSignals))
    ->Arg(static_cast<int>(TableKind::kCurve))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace btstore::bench
