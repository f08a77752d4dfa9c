// The public conversion API of include/btstore/convert.h.
#include "btstore/convert.h"

#include "common/file_util.h"
#include "convert/json_input.h"
#include "convert/parallel.h"
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

// Encodes `result` and writes its files into `dir`, the three Parquet files side by side (their
// fsyncs overlap), metadata.json last: a directory with a current manifest has current files.
Result<ConvertSummary> write_result_files(const model::BacktestResult& result,
                                          const std::filesystem::path& dir,
                                          const ConvertOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded, convert::encode_result(result, options));
  BTSTORE_RETURN_IF_ERROR(make_directories(dir));
  const size_t parquet_files = encoded.files.size() - 1;
  BTSTORE_RETURN_IF_ERROR(convert::run_parallel(
      parquet_files, convert::thread_count(options, parquet_files), [&](size_t i) {
        return replace_file_atomically(dir / encoded.files[i].name, encoded.files[i].bytes);
      }));
  const convert::EncodedFile& manifest = encoded.files.back();
  BTSTORE_RETURN_IF_ERROR(replace_file_atomically(dir / manifest.name, manifest.bytes));
  ConvertSummary summary;
  summary.task_id = result.header.task_id;
  summary.symbol_count = result.summary.num_rows();
  for (const auto& f : encoded.manifest.parquet_files) {
    summary.files.push_back({f.table, f.row_count, f.file_size_bytes, f.etag});
  }
  return summary;
}

}  // namespace

Result<ConvertSummary> json_to_parquet(std::string_view json, const std::filesystem::path& dir,
                                       const ConvertOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result,
                           json::parse_result(json, json::input_limits(options)));
  return write_result_files(result, dir, options);
}

Result<ConvertSummary> json_file_to_parquet(const std::filesystem::path& json_file,
                                            const std::filesystem::path& dir,
                                            const ConvertOptions& options) {
  model::BacktestResult result;
  {  // unmapped before encoding: peak memory holds the document or the files, not both
    BTSTORE_ASSIGN_OR_RETURN(convert::MappedJson input, convert::MappedJson::open(json_file));
    if (input.text().size() <= options.max_json_bytes) input.prefetch();  // no faults per page
    BTSTORE_RETURN_IF_ERROR(json::check_input_limits(input.text(), json::input_limits(options)));
    BTSTORE_ASSIGN_OR_RETURN(result, json::parse_result_in_place(
                                         input.text(), [&](size_t n) { input.release_before(n); }));
  }
  return write_result_files(result, dir, options);
}

Result<std::string> parquet_to_json(const std::filesystem::path& dir) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, convert::read_result_dir(dir, nullptr));
  return json::write_result(result, 0);
}

}  // namespace btstore
