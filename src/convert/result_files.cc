#include "convert/result_files.h"

#include "btstore_version.h"
#include "common/file_util.h"
#include "common/md5.h"
#include "common/time.h"
#include "convert/parallel.h"
#include "json/manifest_json.h"
#include "model/schema.h"
#include "model/validate.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"

namespace btstore::convert {
namespace {

// Sizes beyond these are refused before reading: no btstore result comes
// close, and a forged file must not make us allocate without bound.
constexpr uint64_t kMaxParquetFileBytes = uint64_t{16} << 30;
constexpr uint64_t kMaxManifestBytes = uint64_t{64} << 20;

parquet::CompressionCodec to_codec(Compression c) {
  switch (c) {
    case Compression::kUncompressed: return parquet::CompressionCodec::kUncompressed;
    case Compression::kSnappy: return parquet::CompressionCodec::kSnappy;
    case Compression::kZstd: return parquet::CompressionCodec::kZstd;
  }
  return parquet::CompressionCodec::kSnappy;
}

std::string parquet_file_name(model::TableKind kind) {
  return std::string(model::table_name(kind)) + kParquetSuffix;
}

}  // namespace

Result<EncodedResult> encode_result(const model::BacktestResult& result,
                                    const ConvertOptions& options) {
  if (options.row_group_size <= 0) {
    return Status::InvalidArgument("row group size must be positive, got " +
                                   std::to_string(options.row_group_size));
  }
  parquet::WriterOptions writer;
  writer.codec = to_codec(options.compression);
  writer.row_group_size = options.row_group_size;
  writer.created_by = "btstore version " BTSTORE_VERSION;
  writer.key_value_metadata = {{"schema_version", model::kSchemaVersion},
                               {"task_id", result.header.task_id}};

  EncodedResult out;
  out.manifest.compression = compression_name(options.compression);
  out.manifest.created_at = format_timestamp(now_micros());
  out.manifest.header = result.header;
  constexpr size_t kTables = std::size(model::kAllTables);
  out.manifest.parquet_files.resize(kTables);
  out.files.resize(kTables);
  // Each table's row groups are encoded side by side; then the files are hashed side by side.
  writer.threads = thread_count(options, SIZE_MAX);
  for (size_t i = 0; i < kTables; ++i) {
    const model::TableKind kind = model::kAllTables[i];
    const model::ConstTableView view = model::view(result, kind);
    BTSTORE_ASSIGN_OR_RETURN(std::string bytes, parquet::write_table(view, writer));
    out.manifest.parquet_files[i] = {std::string(model::table_name(kind)),
                                     static_cast<int64_t>(view.num_rows),
                                     static_cast<int64_t>(bytes.size()), ""};
    out.files[i] = {parquet_file_name(kind), std::move(bytes)};
  }
  BTSTORE_RETURN_IF_ERROR(run_parallel(kTables, thread_count(options, kTables), [&](size_t i) {
    out.manifest.parquet_files[i].etag = md5_hex(out.files[i].bytes);
    return Status::OK();
  }));
  out.files.push_back({model::kManifestFileName, json::write_manifest(out.manifest)});
  return out;
}

Result<model::BacktestResult> read_result_dir(const std::filesystem::path& dir,
                                              model::Manifest* manifest, size_t threads) {
  auto source = [&dir](std::string_view name, uint64_t max_bytes) {
    return read_file(dir / name, max_bytes);
  };
  return read_result(source, manifest, {}, threads);
}

Result<model::BacktestResult> read_result(
    const FileSource& source, model::Manifest* manifest_out,
    const std::function<void(std::string_view, std::string_view)>& on_file, size_t threads) {
  BTSTORE_ASSIGN_OR_RETURN(std::string manifest_text,
                           source(model::kManifestFileName, kMaxManifestBytes));
  if (on_file) on_file(model::kManifestFileName, manifest_text);
  BTSTORE_ASSIGN_OR_RETURN(model::Manifest manifest, json::parse_manifest(manifest_text));

  model::BacktestResult result;
  result.header = manifest.header;
  for (size_t i = 0; i < std::size(model::kAllTables); ++i) {
    const model::TableKind kind = model::kAllTables[i];
    const std::string name = parquet_file_name(kind);
    BTSTORE_ASSIGN_OR_RETURN(std::string bytes, source(name, kMaxParquetFileBytes));
    if (on_file) on_file(name, bytes);
    BTSTORE_RETURN_IF_ERROR(parquet::read_table(bytes, name, kind, result, threads));
    const int64_t rows = static_cast<int64_t>(model::view(result, kind).num_rows);
    const int64_t expected = manifest.parquet_files[i].row_count;
    if (rows != expected) {
      return Status::Corruption(name + " holds " + std::to_string(rows) +
                                " rows but metadata.json records " + std::to_string(expected));
    }
  }
  BTSTORE_RETURN_IF_ERROR(model::group_by_symbol(result));
  BTSTORE_RETURN_IF_ERROR(model::check_tables(result));
  if (manifest_out != nullptr) *manifest_out = std::move(manifest);
  return result;
}

}  // namespace btstore::convert
