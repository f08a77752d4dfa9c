// Byte helpers of the legacy store: gzip (the `.json.gz` files) and SHA-256
// (the archive manifest).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::legacy {

// True when `data` starts with the gzip magic bytes 1f 8b.
bool looks_gzipped(std::string_view data);

// Decompresses a gzip stream (several members are concatenated), refusing an
// output larger than `max_bytes`. `what` names the input in errors.
Result<std::string> gunzip(std::string_view data, uint64_t max_bytes, std::string_view what);

// A gzip stream of `data` (for tests and tools that write .json.gz files).
Result<std::string> gzip(std::string_view data);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace btstore::legacy
