// What a footer may claim compared with the size of its file, checked before any page is
// decoded. A few bytes of footer can claim millions of rows whose values (all nulls, or one
// RLE run) take almost no space in the file; decoded, every row costs a value slot and a null
// flag per column, so an unchecked claim turns a tiny file into gigabytes of allocation.
#pragma once

#include <cstdint>

#include "btstore/status.h"
#include "parquet/format.h"

namespace btstore::parquet {

// Every file may decode to this many bytes of value slots ...
inline constexpr int64_t kMinDecodedBytes = int64_t{256} << 20;
// ... and a larger file to this many per byte of the file. btstore's own files hold at least
// a few bytes per row and column (timestamps and prices barely compress), so they stay an
// order of magnitude below.
inline constexpr int64_t kDecodedBytesPerFileByte = 64;

// Memory one row of `leaf` takes once decoded: its value slot and its null flag.
int64_t decoded_row_bytes(const SchemaElement& leaf);

// NotSupported when the rows the footer claims would decode to more than
// max(kMinDecodedBytes, kDecodedBytesPerFileByte * file_bytes). `md` has passed the schema
// checks of FileReader::open (every leaf has a type).
Status check_decoded_size(const FileMetaData& md, uint64_t file_bytes);

}  // namespace btstore::parquet
