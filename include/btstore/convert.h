// Converting a BacktestResult JSON document to its directory of Parquet files
// (symbol_summary, symbol_signals, performance_curve + metadata.json) and back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

namespace btstore {

enum class Compression { kUncompressed, kSnappy, kZstd };

std::string_view compression_name(Compression c);  // "uncompressed", "snappy", "zstd"
Result<Compression> parse_compression(std::string_view name);

struct ConvertOptions {
  Compression compression = Compression::kSnappy;
  int64_t row_group_size = 10'000;
  // A result JSON beyond these limits is refused before it is parsed (docs/reliability.md):
  // its size in bytes (2 GiB), and how deeply objects and arrays nest, the root being level 1
  // (64: the schema uses five levels, the rest is room for metadata; at most 1024).
  uint64_t max_json_bytes = uint64_t{2} << 30;
  int max_json_depth = 64;
  // Threads that parse the symbols and encode the three tables; 0 = one per core.
  int threads = 0;
};

struct ParquetFileInfo {
  std::string table;  // "symbol_summary", ...
  int64_t row_count = 0;
  int64_t file_size_bytes = 0;
  std::string etag;  // MD5 of the file, lower-case hex
};

// The wall time of one stage of a conversion.
struct StageTime {
  std::string stage;  // "read", "parse", "encode" or "write"
  double seconds = 0;
};

struct ConvertSummary {
  std::string task_id;
  size_t symbol_count = 0;
  std::vector<ParquetFileInfo> files;  // in table order
  // In order; together they are the whole conversion. "read" (opening and mapping the file)
  // only when the conversion read the file itself.
  std::vector<StageTime> stages;
  int64_t total_parquet_bytes() const;
};

// Validates `json` and writes the four files into `dir` (created if missing;
// existing files of the same names are replaced, other entries are kept). Nothing is
// written when the document has any problem; the error lists every problem with its
// JSON path. The files are replaced all together or not at all: they are written into a
// hidden directory beside `dir` which then takes its place in one rename (so `dir` becomes
// a new directory with the old one's mode). Only when `dir` also holds other entries
// (or cannot be renamed) are they moved in one by one after all were written, and a
// failing rename or a crash between them can leave a mix (docs/reliability.md).
Result<ConvertSummary> json_to_parquet(std::string_view json, const std::filesystem::path& dir,
                                       const ConvertOptions& options = {});

// json_to_parquet() of a file, which is mapped rather than read: no copy of the document.
// NotFound "cannot open 'PATH'" when the file cannot be opened.
Result<ConvertSummary> json_file_to_parquet(const std::filesystem::path& json_file,
                                            const std::filesystem::path& dir,
                                            const ConvertOptions& options = {});

// Reads a directory written by json_to_parquet (or files of the same schemas by
// another writer) back into the BacktestResult JSON document.
Result<std::string> parquet_to_json(const std::filesystem::path& dir);

// parquet_to_json() handed to `write` in consecutive pieces as it is produced, so that the
// document is never held whole in memory. `threads` threads (0 = one per core) read the three
// files and write the text of different symbols side by side; `write` is called by one thread at
// a time, in document order. The first error of `write` stops the conversion and is returned.
Status parquet_to_json(const std::filesystem::path& dir,
                       const std::function<Status(std::string_view piece)>& write, int threads = 0);

}  // namespace btstore
