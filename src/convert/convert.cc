// The public conversion API of include/btstore/convert.h.
#include "btstore/convert.h"

#include <algorithm>
#include <chrono>

#include "common/file_util.h"
#include "convert/json_input.h"
#include "convert/parallel.h"
#include "convert/result_dir_writer.h"
#include "convert/result_files.h"
#include "json/input_limits.h"
#include "json/result_parser.h"
#include "json/result_writer.h"

namespace btstore {

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::kUncompressed: return "uncompressed";
    case Compression::kSnappy: return "snappy";
    case Compression::kZstd: return "zstd";
  }
  return "?";
}

Result<Compression> parse_compression(std::string_view name) {
  for (Compression c : {Compression::kSnappy, Compression::kZstd, Compression::kUncompressed}) {
    if (name == compression_name(c)) return c;
  }
  return Status::InvalidArgument("unknown compression '" + std::string(name) +
                                 "' (choose snappy, zstd or uncompressed)");
}

int64_t ConvertSummary::total_parquet_bytes() const {
  int64_t total = 0;
  for (const auto& f : files) total += f.file_size_bytes;
  return total;
}

namespace {

// Records the wall time of consecutive stages.
class StageClock {
 public:
  explicit StageClock(std::vector<StageTime>& stages) : stages_(stages) {}

  // Ends the current stage under `name`; the next one starts now.
  void lap(const char* name) {
    const auto now = std::chrono::steady_clock::now();
    stages_.push_back({name, std::chrono::duration<double>(now - start_).count()});
    start_ = now;
  }

 private:
  std::vector<StageTime>& stages_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Encodes `result` and writes its files into `dir`, all or nothing (convert/result_dir_writer.h),
// and fills in `summary`.
Status write_result_files(const model::BacktestResult& result, const std::filesystem::path& dir,
                          const ConvertOptions& options, ConvertSummary& summary,
                          StageClock& clock) {
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded, convert::encode_result(result, options));
  clock.lap("encode");
  BTSTORE_RETURN_IF_ERROR(convert::write_result_dir(dir, encoded.files));
  clock.lap("write");
  summary.task_id = result.header.task_id;
  summary.symbol_count = result.summary.num_rows();
  for (const auto& f : encoded.manifest.parquet_files) {
    summary.files.push_back({f.table, f.row_count, f.file_size_bytes, f.etag});
  }
  return Status::OK();
}

}  // namespace

Result<ConvertSummary> json_to_parquet(std::string_view json, const std::filesystem::path& dir,
                                       const ConvertOptions& options) {
  ConvertSummary summary;
  StageClock clock(summary.stages);
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result,
                           json::parse_result(json, json::input_limits(options),
                                              convert::thread_count(options, SIZE_MAX)));
  clock.lap("parse");
  BTSTORE_RETURN_IF_ERROR(write_result_files(result, dir, options, summary, clock));
  return summary;
}

Result<ConvertSummary> json_file_to_parquet(const std::filesystem::path& json_file,
                                            const std::filesystem::path& dir,
                                            const ConvertOptions& options) {
  const json::InputLimits limits = json::input_limits(options);
  ConvertSummary summary;
  StageClock clock(summary.stages);
  model::BacktestResult result;
  {  // unmapped before encoding: peak memory holds the document or the files, not both
    // Refused by its size before it is mapped; a mapped document is prefetched whole.
    BTSTORE_ASSIGN_OR_RETURN(convert::MappedJson input,
                             convert::MappedJson::open(json_file, options.max_json_bytes));
    input.prefetch();  // no faults per page
    clock.lap("read");
    BTSTORE_RETURN_IF_ERROR(json::check_depth_limit(limits));
    json::ParseOptions parse;
    parse.threads = convert::thread_count(options, SIZE_MAX);
    parse.max_depth = limits.max_depth;
    parse.consumed = [&](size_t begin, size_t end) { input.release(begin, end); };
    BTSTORE_ASSIGN_OR_RETURN(result, json::parse_result_in_place(input.text(), parse));
  }
  clock.lap("parse");
  BTSTORE_RETURN_IF_ERROR(write_result_files(result, dir, options, summary, clock));
  return summary;
}

Result<std::string> parquet_to_json(const std::filesystem::path& dir) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, convert::read_result_dir(dir, nullptr));
  return json::write_result(result, 0);
}

Status parquet_to_json(const std::filesystem::path& dir,
                       const std::function<Status(std::string_view)>& write, int threads) {
  const size_t wanted = static_cast<size_t>(std::max(threads, 0));
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result,
                           convert::read_result_dir(dir, nullptr, wanted));
  return json::write_result_to(result, 0, wanted, write);
}

}  // namespace btstore
