// DELTA_BINARY_PACKED (Encodings.md "DELTA_BINARY_PACKED = 5") and the byte array encodings
// built on it, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY.
//
// Stream shape: header <block size> <miniblocks per block> <total value count> <first value>,
// then blocks of <min delta> <one width byte per miniblock> <bit-packed miniblocks>.
#include <algorithm>
#include <limits>
#include <type_traits>

#include "common/coding.h"
#include "parquet/bit_util.h"
#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

constexpr size_t kBlockSize = 128;
constexpr size_t kMiniblocksPerBlock = 4;
constexpr size_t kValuesPerMiniblock = kBlockSize / kMiniblocksPerBlock;
// Other writers choose their block size; larger headers are treated as damage.
constexpr uint64_t kMaxBlockSize = uint64_t{1} << 31;

Status delta_error(const std::string& what) {
  return Status::Corruption("DELTA_BINARY_PACKED: " + what);
}

// Packs one miniblock of kValuesPerMiniblock values at `width` bits.
template <typename U>
void put_miniblock(const U* values, int width, std::string& out) {
  const size_t pos = out.size();
  out.resize(pos + kValuesPerMiniblock / kBitPackGroup * width);
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + pos);
  for (size_t g = 0; g < kValuesPerMiniblock / kBitPackGroup; ++g) {
    if constexpr (sizeof(U) == 4) {
      pack32_fn(width)(values + g * kBitPackGroup, dst + g * width);
    } else {
      pack64_fn(width)(values + g * kBitPackGroup, dst + g * width);
    }
  }
}

// Writes the block of deltas[0..n); the relative deltas of padding slots are zero.
template <typename T>
void put_block(std::make_unsigned_t<T>* deltas, size_t n, std::string& out) {
  using U = std::make_unsigned_t<T>;
  T min_delta = std::numeric_limits<T>::max();
  for (size_t j = 0; j < n; ++j) min_delta = std::min(min_delta, static_cast<T>(deltas[j]));
  for (size_t j = 0; j < n; ++j) deltas[j] -= static_cast<U>(min_delta);
  std::fill(deltas + n, deltas + kBlockSize, U{0});
  put_uleb128(zigzag_encode(min_delta), out);
  const size_t used = (n + kValuesPerMiniblock - 1) / kValuesPerMiniblock;
  int widths[kMiniblocksPerBlock] = {};
  for (size_t m = 0; m < used; ++m) {
    U all = 0;
    for (size_t j = 0; j < kValuesPerMiniblock; ++j) all |= deltas[m * kValuesPerMiniblock + j];
    widths[m] = bit_width_for(all);
  }
  for (int w : widths) out.push_back(static_cast<char>(w));
  for (size_t m = 0; m < used; ++m) {
    put_miniblock<U>(deltas + m * kValuesPerMiniblock, widths[m], out);
  }
}

template <typename T>
void encode_delta(std::span<const T> values, std::string& out) {
  using U = std::make_unsigned_t<T>;
  put_uleb128(kBlockSize, out);
  put_uleb128(kMiniblocksPerBlock, out);
  put_uleb128(values.size(), out);
  put_uleb128(zigzag_encode(values.empty() ? 0 : values[0]), out);
  U deltas[kBlockSize];
  for (size_t start = 1; start < values.size(); start += kBlockSize) {
    const size_t n = std::min(kBlockSize, values.size() - start);
    for (size_t j = 0; j < n; ++j) {
      // Unsigned subtraction: the difference wraps, as the spec asks.
      deltas[j] = static_cast<U>(values[start + j]) - static_cast<U>(values[start + j - 1]);
    }
    put_block<T>(deltas, n, out);
  }
}

struct DeltaHeader {
  uint64_t block_size = 0;
  uint64_t miniblocks = 0;
  uint64_t total = 0;
  uint64_t first_zigzag = 0;
};

Status read_header(std::string_view& in, DeltaHeader* h) {
  if (!get_uleb128(in, &h->block_size) || !get_uleb128(in, &h->miniblocks) ||
      !get_uleb128(in, &h->total) || !get_uleb128(in, &h->first_zigzag)) {
    return delta_error("truncated or overlong header");
  }
  if (h->block_size == 0 || h->block_size % 128 != 0 || h->block_size > kMaxBlockSize) {
    return delta_error("block size " + std::to_string(h->block_size) +
                       " is not a multiple of 128 up to 2^31");
  }
  if (h->miniblocks == 0 || h->block_size % h->miniblocks != 0 ||
      (h->block_size / h->miniblocks) % 32 != 0) {
    return delta_error(std::to_string(h->miniblocks) + " miniblocks do not split a block of " +
                       std::to_string(h->block_size) + " into multiples of 32 values");
  }
  return Status::OK();
}

// Unpacks n values of one miniblock and turns them back into values, continuing from `last`.
template <typename U>
void unpack_miniblock(const uint8_t* src, int width, size_t n, U min_delta, U& last, U* dst) {
  void (*const unpack)(const uint8_t*, U*) = [width] {
    if constexpr (sizeof(U) == 4) {
      return unpack32_fn(width);
    } else {
      return unpack64_fn(width);
    }
  }();
  U group[kBitPackGroup];
  U value = last;  // a local: `last` could alias dst, which would force a reload per value
  for (size_t done = 0; done < n; done += kBitPackGroup) {
    unpack(src + done / kBitPackGroup * width, group);
    const size_t k = std::min<size_t>(kBitPackGroup, n - done);
    for (size_t j = 0; j < k; ++j) {
      value += min_delta + group[j];
      dst[done + j] = value;
    }
  }
  last = value;
}

template <typename T>
Status decode_delta(std::string_view in, size_t count, std::vector<T>& out, size_t* consumed) {
  using U = std::make_unsigned_t<T>;
  constexpr int kMaxWidth = 8 * sizeof(T);
  const size_t size = in.size();
  out.clear();
  *consumed = 0;
  if (in.empty() && count == 0) return Status::OK();
  DeltaHeader h;
  BTSTORE_RETURN_IF_ERROR(read_header(in, &h));
  if (h.total != count) {
    return delta_error("the header holds " + std::to_string(h.total) + " values, the page " +
                       std::to_string(count));
  }
  // Zero-width miniblocks hold many values in few bytes: size by the input, grow if needed.
  out.resize(std::min(count, size * 8 + 1024));
  const size_t per_miniblock = h.block_size / h.miniblocks;
  U last = static_cast<U>(zigzag_decode(h.first_zigzag));
  size_t produced = 0;
  if (count > 0) out[produced++] = static_cast<T>(last);
  while (produced < count) {
    uint64_t min_zigzag = 0;
    if (!get_uleb128(in, &min_zigzag)) {
      return delta_error("truncated min delta at value " + std::to_string(produced));
    }
    const U min_delta = static_cast<U>(zigzag_decode(min_zigzag));
    if (in.size() < h.miniblocks) {
      return delta_error("truncated miniblock widths at value " + std::to_string(produced));
    }
    const auto* widths = reinterpret_cast<const uint8_t*>(in.data());
    in.remove_prefix(h.miniblocks);
    for (size_t m = 0; m < h.miniblocks && produced < count; ++m) {
      const int width = widths[m];
      if (width > kMaxWidth) {
        return delta_error("miniblock width " + std::to_string(width) + " exceeds " +
                           std::to_string(kMaxWidth) + " bits");
      }
      const size_t bytes = per_miniblock / kBitPackGroup * width;
      if (in.size() < bytes) {
        return delta_error("truncated miniblock at value " + std::to_string(produced));
      }
      const size_t n = std::min(per_miniblock, count - produced);
      if (out.size() < produced + n) {
        out.resize(std::min(count, std::max(out.size() * 2, produced + n)));
      }
      unpack_miniblock<U>(reinterpret_cast<const uint8_t*>(in.data()), width, n, min_delta, last,
                          reinterpret_cast<U*>(out.data() + produced));
      produced += n;
      in.remove_prefix(bytes);
    }
  }
  *consumed = size - in.size();
  return Status::OK();
}

// Lengths must be non-negative and fit in the bytes that follow them.
Status check_lengths(const std::vector<int64_t>& lengths, size_t available, const char* what) {
  uint64_t total = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] < 0 || static_cast<uint64_t>(lengths[i]) > available - total) {
      return Status::Corruption(std::string(what) + ": length " + std::to_string(lengths[i]) +
                                " of value " + std::to_string(i) + " does not fit in the " +
                                std::to_string(available - total) + " bytes left");
    }
    total += static_cast<uint64_t>(lengths[i]);
  }
  return Status::OK();
}

// Each prefix must fit in the previous value; prefixes repeat bytes, so the total is capped
// before anything is built.
Status check_prefixes(const std::vector<int64_t>& prefixes,
                      const std::vector<std::string>& suffixes) {
  uint64_t prev_size = 0;
  uint64_t total = 0;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > prev_size) {
      return Status::Corruption("DELTA_BYTE_ARRAY: prefix length " + std::to_string(prefixes[i]) +
                                " of value " + std::to_string(i) +
                                " exceeds the previous value's " + std::to_string(prev_size) +
                                " bytes");
    }
    prev_size = static_cast<uint64_t>(prefixes[i]) + suffixes[i].size();
    total += prev_size;
    if (total > kMaxDeltaByteArrayOutput) {
      return Status::Corruption("DELTA_BYTE_ARRAY: the values decode to more than " +
                                std::to_string(kMaxDeltaByteArrayOutput) + " bytes");
    }
  }
  return Status::OK();
}

}  // namespace

void encode_delta_binary_packed(std::span<const int64_t> values, std::string& out) {
  encode_delta<int64_t>(values, out);
}

void encode_delta_binary_packed_int32(std::span<const int32_t> values, std::string& out) {
  encode_delta<int32_t>(values, out);
}

Status decode_delta_binary_packed(std::string_view in, size_t count, std::vector<int64_t>& out,
                                  size_t* consumed) {
  return decode_delta<int64_t>(in, count, out, consumed);
}

Status decode_delta_binary_packed_int32(std::string_view in, size_t count,
                                        std::vector<int32_t>& out, size_t* consumed) {
  // Writers differ: some wrap int32 deltas in 32 bits, others (DuckDB) compute
  // them in 64 bits and need miniblocks up to 33 bits wide. Decoding in 64 bits
  // and keeping the low 32 bits gives the same values for both, since sums
  // modulo 2^64 agree with sums modulo 2^32 in their low bits.
  std::vector<int64_t> wide;
  BTSTORE_RETURN_IF_ERROR(decode_delta<int64_t>(in, count, wide, consumed));
  out.resize(wide.size());
  for (size_t i = 0; i < wide.size(); ++i) {
    out[i] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(wide[i])));
  }
  return Status::OK();
}

Status decode_delta_length_byte_array(std::string_view in, size_t count,
                                      std::vector<std::string>& out) {
  constexpr const char* kWhat = "DELTA_LENGTH_BYTE_ARRAY";
  std::vector<int64_t> lengths;
  size_t used = 0;
  BTSTORE_RETURN_IF_ERROR(decode_delta_binary_packed(in, count, lengths, &used)
                              .with_context("DELTA_LENGTH_BYTE_ARRAY"));
  in.remove_prefix(used);
  BTSTORE_RETURN_IF_ERROR(check_lengths(lengths, in.size(), kWhat));
  out.clear();
  out.reserve(count);
  for (int64_t len : lengths) {
    out.emplace_back(in.substr(0, static_cast<size_t>(len)));
    in.remove_prefix(static_cast<size_t>(len));
  }
  return Status::OK();
}

Status decode_delta_byte_array(std::string_view in, size_t count, std::vector<std::string>& out) {
  std::vector<int64_t> prefixes;
  size_t used = 0;
  BTSTORE_RETURN_IF_ERROR(decode_delta_binary_packed(in, count, prefixes, &used)
                              .with_context("DELTA_BYTE_ARRAY prefix lengths"));
  std::vector<std::string> suffixes;
  BTSTORE_RETURN_IF_ERROR(decode_delta_length_byte_array(in.substr(used), count, suffixes)
                              .with_context("DELTA_BYTE_ARRAY suffixes"));
  BTSTORE_RETURN_IF_ERROR(check_prefixes(prefixes, suffixes));
  out.clear();
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const auto prefix = static_cast<size_t>(prefixes[i]);
    std::string value;
    value.reserve(prefix + suffixes[i].size());
    if (i > 0) value.append(out.back(), 0, prefix);
    value.append(suffixes[i]);
    out.push_back(std::move(value));
  }
  return Status::OK();
}

}  // namespace btstore::parquet
