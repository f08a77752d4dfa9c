// MD5 digests, used as the etag of each Parquet file (the value S3 reports
// for a single-part upload, so a later object store can compare directly).
#pragma once

#include <string>
#include <string_view>

namespace btstore {

// Lower-case hex MD5 of `data`.
std::string md5_hex(std::string_view data);

}  // namespace btstore
