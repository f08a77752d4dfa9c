#include "parquet/value_encoding.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

// The dictionary sample: more distinct values than half of it means "mostly distinct".
constexpr size_t kSampleValues = 512;
// A dictionary stays in one page and its indices in at most 16 bits.
constexpr size_t kMaxDictionaryEntries = size_t{1} << 16;

template <typename T>
Encoding delta_or_plain(std::span<const T> values, std::string& out) {
  const size_t start = out.size();
  if constexpr (sizeof(T) == 4) {
    encode_delta_binary_packed_int32(values, out);
  } else {
    encode_delta_binary_packed(values, out);
  }
  if (out.size() - start <= values.size_bytes()) return Encoding::kDeltaBinaryPacked;
  out.resize(start);
  encode_plain_fixed<T>(values, out);
  return Encoding::kPlain;
}

// Linear-probing map from a double's bits to its dictionary index.
class BitsIndex {
 public:
  explicit BitsIndex(size_t max_entries)
      : mask_(std::bit_ceil(2 * max_entries + 2) - 1), slots_(mask_ + 1, kEmpty) {}

  // The index of `bits`, adding it as `next` when absent; `*added` tells which.
  uint32_t find_or_add(uint64_t bits, uint32_t next, const std::vector<double>& entries,
                       bool* added) {
    size_t i = static_cast<size_t>((bits * 0x9E3779B97F4A7C15ull) >> 40) & mask_;
    while (slots_[i] != kEmpty) {
      if (std::bit_cast<uint64_t>(entries[slots_[i]]) == bits) {
        *added = false;
        return slots_[i];
      }
      i = (i + 1) & mask_;
    }
    slots_[i] = next;
    *added = true;
    return next;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  size_t mask_;
  std::vector<uint32_t> slots_;
};

// Distinct values among the first kSampleValues defined ones, stopping early once the sample
// is known to be mostly distinct.
bool sample_repeats(std::span<const double> values, std::span<const uint8_t> defined) {
  std::vector<double> seen;
  BitsIndex index(kSampleValues);
  size_t sampled = 0;
  for (size_t i = 0; i < values.size() && sampled < kSampleValues; ++i) {
    if (!defined[i]) continue;
    ++sampled;
    bool added = false;
    index.find_or_add(std::bit_cast<uint64_t>(values[i]), static_cast<uint32_t>(seen.size()), seen,
                      &added);
    if (added) seen.push_back(values[i]);
    if (seen.size() > kSampleValues / 2) return false;
  }
  return seen.size() * 2 <= sampled;
}

std::string_view as_bytes(std::span<const double> values) {
  return {reinterpret_cast<const char*>(values.data()), values.size_bytes()};
}

// Compressed size of `bytes`, or its own size if the codec fails (it then decides nothing).
size_t compressed_size(CompressionCodec codec, std::string_view bytes) {
  thread_local std::string scratch;
  return compress(codec, bytes, scratch).ok() ? scratch.size() : bytes.size();
}

}  // namespace

Encoding encode_int32_values(std::span<const int32_t> values, std::string& out) {
  return delta_or_plain(values, out);
}

Encoding encode_int64_values(std::span<const int64_t> values, std::string& out) {
  return delta_or_plain(values, out);
}

Encoding encode_double_values(std::span<const double> values, CompressionCodec codec,
                              std::string& out) {
  if (codec == CompressionCodec::kUncompressed) {
    encode_plain_fixed<double>(values, out);
    return Encoding::kPlain;
  }
  // Samples mislead here (PLAIN wins by repeats anywhere in the page), so both are tried whole.
  thread_local std::string split;
  split.clear();
  encode_byte_stream_split(as_bytes(values), sizeof(double), split);
  if (compressed_size(codec, as_bytes(values)) <= compressed_size(codec, split)) {
    encode_plain_fixed<double>(values, out);
    return Encoding::kPlain;
  }
  out.append(split);
  return Encoding::kByteStreamSplit;
}

bool build_double_dictionary(std::span<const double> values, std::span<const uint8_t> defined,
                             DoubleDictionary& dict) {
  if (!sample_repeats(values, defined)) return false;
  size_t non_null = 0;
  for (uint8_t d : defined) non_null += d;
  // Worth it only when the entries take at most half the values' bytes.
  const size_t max_entries = std::min(kMaxDictionaryEntries, non_null / 2);
  BitsIndex index(max_entries);
  dict.entries.clear();
  dict.row_index.assign(values.size(), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!defined[i]) continue;
    bool added = false;
    const uint32_t id =
        index.find_or_add(std::bit_cast<uint64_t>(values[i]),
                          static_cast<uint32_t>(dict.entries.size()), dict.entries, &added);
    if (added) {
      if (dict.entries.size() >= max_entries) return false;
      dict.entries.push_back(values[i]);
    }
    dict.row_index[i] = id;
  }
  return !dict.entries.empty();
}

}  // namespace btstore::parquet
