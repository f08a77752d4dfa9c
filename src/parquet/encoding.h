// Parquet value encodings (apache/parquet-format Encodings.md): PLAIN, the RLE/bit-packing
// hybrid, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT and
// dictionary indices. Encoders append to `out`; decoders read untrusted bytes, bounds-check
// everything and return Corruption instead of reading past the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

namespace btstore::parquet {

// Number of bits needed to store max_value; 0 for 0.
int bit_width_for(uint64_t max_value);

// ---- RLE / bit-packing hybrid (RLE = 3) ----
// Without the 4-byte length prefix; callers add it where the spec wants it (v1 levels, booleans).
// Repeats of 8 or more become RLE runs, everything else bit-packed groups of 8 (the last group
// padded with zeros). REQUIRES: 0 <= bit_width <= 32 and every value < 2^bit_width.
void encode_rle_hybrid(std::span<const uint32_t> values, int bit_width, std::string& out);
// Decodes exactly `count` values into out[0..count). Bytes after the last needed run are ignored,
// as is the padding of the last bit-packed group (which may also be cut short).
Status decode_rle_hybrid(std::string_view in, int bit_width, size_t count, uint32_t* out);

// ---- Dictionary indices in a data page (RLE_DICTIONARY = 8) ----
// 1 byte bit width (<= 32), then the RLE hybrid. An empty input is accepted when count == 0.
void encode_dictionary_indices(std::span<const uint32_t> indices, int bit_width, std::string& out);
Status decode_dictionary_indices(std::string_view in, size_t count, uint32_t* out);

// ---- PLAIN (PLAIN = 0) ----
// BYTE_ARRAY: 4-byte little-endian length, then the bytes. Only the non-null values are passed.
void encode_plain_byte_arrays(std::span<const std::string> values, std::string& out);
// Replaces `out` with `count` values; *consumed = bytes read.
Status decode_plain_byte_arrays(std::string_view in, size_t count, std::vector<std::string>& out,
                                size_t* consumed);
// BOOLEAN: bit-packed, LSB first. Replaces `out` with `count` values of 0 or 1.
Status decode_plain_booleans(std::string_view in, size_t count, std::vector<uint8_t>& out);

// INT32/INT64/FLOAT/DOUBLE/FIXED_LEN_BYTE_ARRAY: values back to back, little endian, so PLAIN is
// a memcpy on a little-endian host (bit_util.h asserts that). Needs in.size() >= count *
// sizeof(T); the caller checks whether trailing bytes are allowed where it uses this.
template <class T>
void encode_plain_fixed(std::span<const T> values, std::string& out) {
  out.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
}
template <class T>
Status decode_plain_fixed(std::string_view in, size_t count, T* out) {
  if (count > in.size() / sizeof(T)) {
    return Status::Corruption("PLAIN: " + std::to_string(count) + " values of " +
                              std::to_string(sizeof(T)) + " bytes need more than the " +
                              std::to_string(in.size()) + " bytes in the page");
  }
  if (count != 0) std::memcpy(out, in.data(), count * sizeof(T));
  return Status::OK();
}

// ---- DELTA_BINARY_PACKED (DELTA_BINARY_PACKED = 5) ----
// Block size 128, 4 miniblocks of 32. The header's total value count must equal `count`;
// *consumed = bytes up to the end of the last miniblock holding a value (other encodings embed
// this stream and continue after it). Arithmetic wraps in two's complement, as the spec says.
void encode_delta_binary_packed(std::span<const int64_t> values, std::string& out);
Status decode_delta_binary_packed(std::string_view in, size_t count, std::vector<int64_t>& out,
                                  size_t* consumed);
// INT32 columns: deltas wrap modulo 2^32 and miniblock widths stay <= 32, as the spec requires
// of INT32 writers (the int64 encoder may need 33 bits for int32 data, which readers reject) and
// as other writers produce (decoding their int32 pages in 64 bits can leave the int32 range).
void encode_delta_binary_packed_int32(std::span<const int32_t> values, std::string& out);
Status decode_delta_binary_packed_int32(std::string_view in, size_t count,
                                        std::vector<int32_t>& out, size_t* consumed);

// ---- Byte array decoders (written by other Parquet writers) ----
// DELTA_LENGTH_BYTE_ARRAY = 6: DELTA_BINARY_PACKED lengths, then the bytes back to back.
Status decode_delta_length_byte_array(std::string_view in, size_t count,
                                      std::vector<std::string>& out);
// DELTA_BYTE_ARRAY = 7: delta-packed prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
// Prefixes can make the output much larger than the page, so it is capped at this many bytes.
inline constexpr size_t kMaxDeltaByteArrayOutput = size_t{1} << 30;
Status decode_delta_byte_array(std::string_view in, size_t count, std::vector<std::string>& out);
// BYTE_STREAM_SPLIT = 9: `values` holds values of `width` bytes back to back (REQUIRES: its size
// is a multiple of width > 0); appends byte 0 of every value, then byte 1, ...
void encode_byte_stream_split(std::string_view values, size_t width, std::string& out);
// Decodes `width` byte streams of `count` bytes. in.size() must be count * width;
// out receives count * width bytes, value after value.
Status decode_byte_stream_split(std::string_view in, size_t count, size_t width, uint8_t* out);

}  // namespace btstore::parquet
