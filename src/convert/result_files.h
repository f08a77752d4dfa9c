// A result as its four files: encoding the tables to Parquet and the manifest
// to metadata.json, and reading a directory of them back into the model.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "btstore/convert.h"
#include "btstore/status.h"
#include "model/manifest.h"
#include "model/result.h"

namespace btstore::convert {

inline constexpr char kParquetSuffix[] = ".parquet";

struct EncodedFile {
  std::string name;  // "symbol_summary.parquet", ..., "metadata.json"
  std::string bytes;
};

struct EncodedResult {
  model::Manifest manifest;
  std::vector<EncodedFile> files;  // the three Parquet files in table order, then metadata.json
};

// Encodes the three tables and metadata.json in memory.
Result<EncodedResult> encode_result(const model::BacktestResult& result,
                                    const ConvertOptions& options);

// Gives the bytes of one file of a result directory, refusing more than max_bytes.
using FileSource = std::function<Result<std::string>(std::string_view name, uint64_t max_bytes)>;

// Reads metadata.json and the three Parquet files, checks schemas, row counts
// against metadata.json and row order. `manifest` may be null. `on_file`, when
// set, sees each file's bytes as they are read (verify hashes them there).
// `threads` threads (0 = one per core) decode the columns of each file side by side.
Result<model::BacktestResult> read_result(
    const FileSource& source, model::Manifest* manifest,
    const std::function<void(std::string_view name, std::string_view bytes)>& on_file = {},
    size_t threads = 1);

// read_result() of a local directory.
Result<model::BacktestResult> read_result_dir(const std::filesystem::path& dir,
                                              model::Manifest* manifest, size_t threads = 1);

}  // namespace btstore::convert
