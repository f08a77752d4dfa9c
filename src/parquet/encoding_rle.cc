// RLE/bit-packing hybrid (Encodings.md "RLE = 3"), dictionary indices and PLAIN booleans.
#include <algorithm>
#include <bit>

#include "common/coding.h"
#include "parquet/bit_util.h"
#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

// The spec bounds every run length to [1, 2^31 - 1] so readers can hold it in an int32.
constexpr uint64_t kMaxRunLength = (uint64_t{1} << 31) - 1;
constexpr uint64_t kMaxBitPackedGroups = kMaxRunLength / kBitPackGroup;
// Long bit-packed stretches are split into runs of this many groups (any size is valid).
constexpr size_t kGroupsPerEncodedRun = size_t{1} << 16;

void put_rle_run(uint32_t value, uint64_t length, int bit_width, std::string& out) {
  const int value_bytes = (bit_width + 7) / 8;
  while (length > 0) {
    const uint64_t n = std::min(length, kMaxRunLength);
    put_uleb128(n << 1, out);
    for (int b = 0; b < value_bytes; ++b) out.push_back(static_cast<char>(value >> (8 * b)));
    length -= n;
  }
}

// Bit-packs `values`; only the last group may be partial, it is padded with zeros.
void put_bit_packed(std::span<const uint32_t> values, int bit_width, std::string& out) {
  const Pack32Fn pack = pack32_fn(bit_width);
  while (!values.empty()) {
    const size_t groups = std::min((values.size() + 7) / 8, kGroupsPerEncodedRun);
    put_uleb128((uint64_t{groups} << 1) | 1, out);
    const size_t pos = out.size();
    out.resize(pos + groups * bit_width);
    auto* dst = reinterpret_cast<uint8_t*>(out.data() + pos);
    const size_t n = std::min(values.size(), groups * kBitPackGroup);
    const size_t full = n / kBitPackGroup;
    for (size_t g = 0; g < full; ++g) pack(values.data() + g * kBitPackGroup, dst + g * bit_width);
    if (n % kBitPackGroup != 0) {
      uint32_t last[kBitPackGroup] = {};
      std::copy(values.begin() + full * kBitPackGroup, values.begin() + n, last);
      pack(last, dst + full * bit_width);
    }
    values = values.subspan(n);
  }
}

Status rle_error(const std::string& what, size_t done, size_t count) {
  return Status::Corruption("RLE/bit-packed data: " + what + " after " + std::to_string(done) +
                            " of " + std::to_string(count) + " values");
}

}  // namespace

int bit_width_for(uint64_t max_value) { return 64 - std::countl_zero(max_value); }

void encode_rle_hybrid(std::span<const uint32_t> values, int bit_width, std::string& out) {
  size_t pending = 0;  // first value not yet written; [pending, i) will be bit-packed
  size_t i = 0;
  while (i < values.size()) {
    size_t run = 1;
    while (i + run < values.size() && values[i + run] == values[i]) ++run;
    if (run >= 8) {
      // A bit-packed run must hold whole groups, so the open group borrows from this repeat.
      const size_t borrow = (kBitPackGroup - (i - pending) % kBitPackGroup) % kBitPackGroup;
      if (run - borrow >= 8) {
        put_bit_packed(values.subspan(pending, i + borrow - pending), bit_width, out);
        put_rle_run(values[i], run - borrow, bit_width, out);
        pending = i + run;
      }
    }
    i += run;
  }
  put_bit_packed(values.subspan(pending), bit_width, out);
}

Status decode_rle_hybrid(std::string_view in, int bit_width, size_t count, uint32_t* out) {
  if (bit_width < 0 || bit_width > 32) {
    return Status::Corruption("RLE/bit-packed data: bit width " + std::to_string(bit_width) +
                              " is outside 0..32");
  }
  const size_t value_bytes = (bit_width + 7) / 8;
  const Unpack32Fn unpack = unpack32_fn(bit_width);
  size_t done = 0;
  while (done < count) {
    uint64_t header = 0;
    if (!get_uleb128(in, &header))
      return rle_error("truncated or overlong run header", done, count);
    const uint64_t scaled = header >> 1;
    if ((header & 1) == 0) {  // RLE run: one value, repeated
      if (scaled == 0 || scaled > kMaxRunLength)
        return rle_error("bad RLE run length", done, count);
      if (in.size() < value_bytes) return rle_error("truncated RLE value", done, count);
      uint32_t value = 0;
      for (size_t b = 0; b < value_bytes; ++b) {
        value |= static_cast<uint32_t>(static_cast<uint8_t>(in[b])) << (8 * b);
      }
      if (bit_width < 32 && (value >> bit_width) != 0) {
        return rle_error("RLE value wider than the bit width", done, count);
      }
      in.remove_prefix(value_bytes);
      const size_t n = static_cast<size_t>(std::min<uint64_t>(scaled, count - done));
      std::fill_n(out + done, n, value);
      done += n;
      continue;
    }
    if (scaled == 0 || scaled > kMaxBitPackedGroups) {
      return rle_error("bad bit-packed run length", done, count);
    }
    const uint64_t run_values = scaled * kBitPackGroup;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(run_values, count - done));
    const size_t full = n / kBitPackGroup;
    const size_t tail = n % kBitPackGroup;
    // Values past `count` are padding: their bytes may be missing.
    const size_t needed = full * bit_width + (tail * bit_width + 7) / 8;
    if (in.size() < needed) return rle_error("truncated bit-packed run", done, count);
    const auto* src = reinterpret_cast<const uint8_t*>(in.data());
    for (size_t g = 0; g < full; ++g) unpack(src + g * bit_width, out + done + g * kBitPackGroup);
    if (tail != 0) {
      uint8_t group[32] = {};
      std::copy_n(src + full * bit_width, std::min<size_t>(bit_width, in.size() - full * bit_width),
                  group);
      uint32_t values[kBitPackGroup];
      unpack(group, values);
      std::copy_n(values, tail, out + done + full * kBitPackGroup);
    }
    done += n;
    in.remove_prefix(std::min<uint64_t>(in.size(), scaled * bit_width));
  }
  return Status::OK();
}

void encode_dictionary_indices(std::span<const uint32_t> indices, int bit_width, std::string& out) {
  out.push_back(static_cast<char>(bit_width));
  encode_rle_hybrid(indices, bit_width, out);
}

Status decode_dictionary_indices(std::string_view in, size_t count, uint32_t* out) {
  if (in.empty()) {
    if (count == 0) return Status::OK();
    return Status::Corruption("dictionary indices: the page has no bit width byte");
  }
  const int bit_width = static_cast<uint8_t>(in[0]);
  if (bit_width > 32) {
    return Status::Corruption("dictionary indices: bit width " + std::to_string(bit_width) +
                              " is larger than 32");
  }
  return decode_rle_hybrid(in.substr(1), bit_width, count, out).with_context("dictionary indices");
}

Status decode_plain_booleans(std::string_view in, size_t count, std::vector<uint8_t>& out) {
  if (count / 8 + (count % 8 != 0) > in.size()) {
    return Status::Corruption("PLAIN booleans: " + std::to_string(count) + " values need " +
                              std::to_string((count + 7) / 8) + " bytes, the page has " +
                              std::to_string(in.size()));
  }
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    out[i] = (static_cast<uint8_t>(in[i / 8]) >> (i % 8)) & 1;
  }
  return Status::OK();
}

}  // namespace btstore::parquet
