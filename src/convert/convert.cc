// The public conversion API of include/btstore/convert.h.
#include "btstore/convert.h"

#include "common/file_util.h"
#include "convert/result_files.h"
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

Result<ConvertSummary> json_to_parquet(std::string_view json, const std::filesystem::path& dir,
                                       const ConvertOptions& options) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, json::parse_result(json));
  BTSTORE_ASSIGN_OR_RETURN(convert::EncodedResult encoded, convert::encode_result(result, options));
  BTSTORE_RETURN_IF_ERROR(make_directories(dir));
  // metadata.json goes last: a directory with a current manifest has current files.
  for (const auto& file : encoded.files) {
    BTSTORE_RETURN_IF_ERROR(replace_file_atomically(dir / file.name, file.bytes));
  }
  ConvertSummary summary;
  summary.task_id = result.header.task_id;
  summary.symbol_count = result.summary.num_rows();
  for (const auto& f : encoded.manifest.parquet_files) {
    summary.files.push_back({f.table, f.row_count, f.file_size_bytes, f.etag});
  }
  return summary;
}

Result<std::string> parquet_to_json(const std::filesystem::path& dir) {
  BTSTORE_ASSIGN_OR_RETURN(model::BacktestResult result, convert::read_result_dir(dir, nullptr));
  return json::write_result(result, 0);
}

}  // namespace btstore
