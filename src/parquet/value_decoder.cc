#include "parquet/value_decoder.h"

#include <type_traits>

#include "common/coding.h"
#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

Status unsupported(const ValueSpec& spec, Encoding encoding) {
  return Status::NotSupported("encoding " + encoding_name(encoding) + " is not supported for " +
                              type_name(spec.type) + " values");
}

Status too_short(std::string_view what, size_t count, size_t width, size_t size) {
  return Status::Corruption(std::string(what) + ": " + std::to_string(count) + " values of " +
                            std::to_string(width) + " bytes need more than the " +
                            std::to_string(size) + " bytes in the page");
}

// Width in bytes of a fixed-size value stored as std::string (INT96, FIXED_LEN_BYTE_ARRAY).
Result<size_t> fixed_width(const ValueSpec& spec) {
  if (spec.type == Type::kInt96) return size_t{12};
  if (spec.type_length <= 0) {
    return Status::Corruption("FIXED_LEN_BYTE_ARRAY column has type_length " +
                              std::to_string(spec.type_length));
  }
  return static_cast<size_t>(spec.type_length);
}

Status split_fixed(std::string_view data, size_t count, size_t width,
                   std::vector<std::string>& out) {
  if (count > data.size() / width) return too_short("PLAIN", count, width, data.size());
  out.clear();
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out.emplace_back(data.substr(i * width, width));
  return Status::OK();
}

template <typename V>
Status decode_plain(const ValueSpec& spec, std::string_view data, size_t count,
                    std::vector<V>& out) {
  if constexpr (std::is_same_v<V, uint8_t>) {
    if (count > data.size() * 8) return too_short("PLAIN BOOLEAN", count, 0, data.size());
    return decode_plain_booleans(data, count, out);
  } else if constexpr (std::is_same_v<V, std::string>) {
    if (spec.type == Type::kByteArray) {
      size_t consumed = 0;
      return decode_plain_byte_arrays(data, count, out, &consumed);
    }
    BTSTORE_ASSIGN_OR_RETURN(size_t width, fixed_width(spec));
    return split_fixed(data, count, width, out);
  } else {
    if (count > data.size() / sizeof(V)) return too_short("PLAIN", count, sizeof(V), data.size());
    out.resize(count);
    return decode_plain_fixed<V>(data, count, out.data());
  }
}

template <typename V>
Status decode_dictionary(std::string_view data, size_t count, const std::vector<V>* dictionary,
                         std::vector<V>& out) {
  if (dictionary == nullptr) {
    return Status::Corruption(
        "dictionary-encoded page but the column chunk has no dictionary page");
  }
  std::vector<uint32_t> indices(count);
  BTSTORE_RETURN_IF_ERROR(decode_dictionary_indices(data, count, indices.data()));
  out.clear();
  out.reserve(count);
  for (uint32_t index : indices) {
    if (index >= dictionary->size()) {
      return Status::Corruption("dictionary index " + std::to_string(index) +
                                " out of range (dictionary has " +
                                std::to_string(dictionary->size()) + " values)");
    }
    out.push_back((*dictionary)[index]);
  }
  return Status::OK();
}

// RLE booleans: 4-byte length, then the RLE/bit-packed hybrid at bit width 1.
Status decode_rle_booleans(std::string_view data, size_t count, std::vector<uint8_t>& out) {
  if (data.size() < 4) return Status::Corruption("RLE BOOLEAN: page ends inside the length");
  const uint32_t length = decode_fixed32(data.data());
  if (length > data.size() - 4) {
    return Status::Corruption("RLE BOOLEAN: length " + std::to_string(length) + " exceeds the " +
                              std::to_string(data.size() - 4) + " bytes left");
  }
  std::vector<uint32_t> bits(count);
  BTSTORE_RETURN_IF_ERROR(decode_rle_hybrid(data.substr(4, length), 1, count, bits.data()));
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    if (bits[i] > 1) return Status::Corruption("RLE BOOLEAN: value " + std::to_string(bits[i]));
    out[i] = static_cast<uint8_t>(bits[i]);
  }
  return Status::OK();
}

template <typename V>
Status decode_byte_stream(const ValueSpec& spec, std::string_view data, size_t count,
                          std::vector<V>& out) {
  if constexpr (std::is_same_v<V, uint8_t>) {
    return unsupported(spec, Encoding::kByteStreamSplit);
  } else if constexpr (std::is_same_v<V, std::string>) {
    if (spec.type != Type::kFixedLenByteArray) return unsupported(spec, Encoding::kByteStreamSplit);
    BTSTORE_ASSIGN_OR_RETURN(size_t width, fixed_width(spec));
    if (count > data.size() / width)
      return too_short("BYTE_STREAM_SPLIT", count, width, data.size());
    std::string joined(count * width, '\0');
    BTSTORE_RETURN_IF_ERROR(
        decode_byte_stream_split(data, count, width, reinterpret_cast<uint8_t*>(joined.data())));
    return split_fixed(joined, count, width, out);
  } else {
    if (count > data.size() / sizeof(V)) {
      return too_short("BYTE_STREAM_SPLIT", count, sizeof(V), data.size());
    }
    out.resize(count);
    return decode_byte_stream_split(data, count, sizeof(V), reinterpret_cast<uint8_t*>(out.data()));
  }
}

template <typename V>
Status decode_delta(const ValueSpec& spec, Encoding encoding, std::string_view data, size_t count,
                    std::vector<V>& out) {
  size_t consumed = 0;
  if constexpr (std::is_same_v<V, int32_t>) {
    if (encoding == Encoding::kDeltaBinaryPacked) {
      return decode_delta_binary_packed_int32(data, count, out, &consumed);
    }
  } else if constexpr (std::is_same_v<V, int64_t>) {
    if (encoding == Encoding::kDeltaBinaryPacked) {
      return decode_delta_binary_packed(data, count, out, &consumed);
    }
  } else if constexpr (std::is_same_v<V, std::string>) {
    if (encoding == Encoding::kDeltaLengthByteArray && spec.type == Type::kByteArray) {
      return decode_delta_length_byte_array(data, count, out);
    }
    if (encoding == Encoding::kDeltaByteArray && spec.type != Type::kInt96) {
      BTSTORE_RETURN_IF_ERROR(decode_delta_byte_array(data, count, out));
      if (spec.type == Type::kFixedLenByteArray) {
        for (const std::string& v : out) {
          if (static_cast<int64_t>(v.size()) != spec.type_length) {
            return Status::Corruption("DELTA_BYTE_ARRAY: value of " + std::to_string(v.size()) +
                                      " bytes in a FIXED_LEN_BYTE_ARRAY(" +
                                      std::to_string(spec.type_length) + ") column");
          }
        }
      }
      return Status::OK();
    }
  }
  return unsupported(spec, encoding);
}

}  // namespace

template <typename V>
Status decode_values(const ValueSpec& spec, Encoding encoding, std::string_view data, size_t count,
                     const std::vector<V>* dictionary, std::vector<V>& out) {
  switch (encoding) {
    case Encoding::kPlain: return decode_plain(spec, data, count, out);
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: return decode_dictionary(data, count, dictionary, out);
    case Encoding::kRle:
      if constexpr (std::is_same_v<V, uint8_t>) return decode_rle_booleans(data, count, out);
      return unsupported(spec, encoding);
    case Encoding::kByteStreamSplit: return decode_byte_stream(spec, data, count, out);
    case Encoding::kDeltaBinaryPacked:
    case Encoding::kDeltaLengthByteArray:
    case Encoding::kDeltaByteArray: return decode_delta(spec, encoding, data, count, out);
    default: return unsupported(spec, encoding);
  }
}

template Status decode_values(const ValueSpec&, Encoding, std::string_view, size_t,
                              const std::vector<uint8_t>*, std::vector<uint8_t>&);
template Status decode_values(const ValueSpec&, Encoding, std::string_view, size_t,
                              const std::vector<int32_t>*, std::vector<int32_t>&);
template Status decode_values(const ValueSpec&, Encoding, std::string_view, size_t,
                              const std::vector<int64_t>*, std::vector<int64_t>&);
template Status decode_values(const ValueSpec&, Encoding, std::string_view, size_t,
                              const std::vector<float>*, std::vector<float>&);
template Status decode_values(const ValueSpec&, Encoding, std::string_view, size_t,
                              const std::vector<double>*, std::vector<double>&);
template Status decode_values(const ValueSpec&, Encoding, std::string_view, size_t,
                              const std::vector<std::string>*, std::vector<std::string>&);

}  // namespace btstore::parquet
