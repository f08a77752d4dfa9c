// metadata.json of a result directory: the design's fields (schema_version,
// compression, parquet_files with row_count and file_size_bytes, created_at,
// task_id), each file's MD5 as `etag`, and the result header under "result"
// so that a directory alone gives back the whole BacktestResult.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/result.h"

namespace btstore::model {

inline constexpr char kSchemaVersion[] = "1.0";
inline constexpr char kManifestFileName[] = "metadata.json";

struct ManifestFile {
  std::string table;  // "symbol_summary", "symbol_signals", "performance_curve"
  int64_t row_count = 0;
  int64_t file_size_bytes = 0;
  std::string etag;  // lower-case hex MD5 of the file

  bool operator==(const ManifestFile&) const = default;
};

struct Manifest {
  std::string schema_version = kSchemaVersion;
  std::string compression;                  // "snappy", "zstd", "uncompressed"
  std::vector<ManifestFile> parquet_files;  // in table order
  std::string created_at;                   // RFC 3339, UTC
  ResultHeader header;  // task_id lives here and is written at the top level too

  bool operator==(const Manifest&) const = default;
};

}  // namespace btstore::model
