// A human-readable description of a Parquet file for `btstore parquet-schema`.
#pragma once

#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::parquet {

// Schema with physical, repetition, logical and converted types; file metadata; per row group
// its rows and sizes; per column chunk its codec, encodings, sizes, page offsets and statistics
// (min, max decoded by type, null count). Errors as FileReader::open.
Result<std::string> describe_file(std::string_view bytes, std::string_view file_name);

}  // namespace btstore::parquet
