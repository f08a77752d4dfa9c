#include "parquet/column_reader.h"

#include <zlib.h>

#include <optional>

#include "common/coding.h"
#include "parquet/compression.h"
#include "parquet/encoding.h"

namespace btstore::parquet {
namespace {

std::string hex32(uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
  return out;
}

// State of one chunk being read: the dictionary, reused buffers and the rows produced so far.
template <typename V>
class ChunkReader {
 public:
  ChunkReader(const ChunkSpec& chunk, std::vector<V>& values, std::vector<uint8_t>& defined)
      : chunk_(chunk), values_(values), defined_(defined) {}

  Status run() {
    size_t pos = 0;
    for (int page = 0; rows_done_ < chunk_.num_rows; ++page) {
      if (pos >= chunk_.bytes.size()) {
        return Status::Corruption("column chunk ends after " + std::to_string(rows_done_) + " of " +
                                  std::to_string(chunk_.num_rows) + " values");
      }
      const size_t start = pos;
      Status st = read_page(pos);
      if (!st.ok()) {
        return st.with_context("page " + std::to_string(page) + " at chunk byte " +
                               std::to_string(start));
      }
    }
    return Status::OK();
  }

 private:
  // Reads the page at chunk_.bytes[pos] and advances pos past it (at least its header).
  Status read_page(size_t& pos) {
    PageHeader header;
    size_t header_size = 0;
    BTSTORE_RETURN_IF_ERROR(parse_page_header(chunk_.bytes.substr(pos), &header, &header_size));
    pos += header_size;
    BTSTORE_RETURN_IF_ERROR(check_sizes(header, chunk_.bytes.size() - pos));
    const std::string_view stored = chunk_.bytes.substr(pos, header.compressed_page_size);
    pos += stored.size();
    BTSTORE_RETURN_IF_ERROR(check_crc(header, stored));
    switch (header.type) {
      case PageType::kDictionaryPage: return read_dictionary_page(header, stored);
      case PageType::kDataPage: return read_data_page_v1(header, stored);
      case PageType::kDataPageV2: return read_data_page_v2(header, stored);
      case PageType::kIndexPage: return Status::OK();
    }
    return Status::Corruption("unknown page type");
  }

  Status check_sizes(const PageHeader& h, size_t left) const {
    if (h.compressed_page_size < 0 || static_cast<uint64_t>(h.compressed_page_size) > left) {
      return Status::Corruption("page header claims " + std::to_string(h.compressed_page_size) +
                                " bytes, the column chunk has " + std::to_string(left) + " left");
    }
    if (h.uncompressed_page_size < 0 || h.uncompressed_page_size > kMaxPageBytes) {
      return Status::Corruption("page header claims " + std::to_string(h.uncompressed_page_size) +
                                " uncompressed bytes (a page may hold at most " +
                                std::to_string(kMaxPageBytes) + ")");
    }
    const int64_t total = chunk_.meta_data->total_uncompressed_size;
    if (h.uncompressed_page_size > total) {
      return Status::Corruption("page header claims " + std::to_string(h.uncompressed_page_size) +
                                " uncompressed bytes, more than the whole column chunk (" +
                                std::to_string(total) + ")");
    }
    return Status::OK();
  }

  static Status check_crc(const PageHeader& h, std::string_view stored) {
    if (!h.crc) return Status::OK();
    const auto computed = static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                                      reinterpret_cast<const Bytef*>(stored.data()),
                                                      static_cast<uInt>(stored.size())));
    const auto expected = static_cast<uint32_t>(*h.crc);
    if (computed == expected) return Status::OK();
    return Status::Corruption("page CRC mismatch: header says " + hex32(expected) +
                              ", page bytes give " + hex32(computed));
  }

  // The page's bytes after decompression of `stored` to `size` bytes.
  Result<std::string_view> decompressed(std::string_view stored, int64_t size, bool compressed) {
    const CompressionCodec codec = chunk_.meta_data->codec;
    // PyArrow < 3 wrote compressed v2 pages with is_compressed = false (ARROW-10353): a size
    // mismatch on a compressed column means the flag is wrong, so decompress anyway.
    const bool flag_lies = !compressed && static_cast<int64_t>(stored.size()) != size;
    if (codec == CompressionCodec::kUncompressed || (!compressed && !flag_lies)) {
      if (static_cast<int64_t>(stored.size()) != size) {
        return Status::Corruption("uncompressed page of " + std::to_string(stored.size()) +
                                  " bytes, the header says " + std::to_string(size));
      }
      return stored;
    }
    if (size == 0) return std::string_view();
    BTSTORE_RETURN_IF_ERROR(decompress(codec, stored, static_cast<size_t>(size), buffer_));
    return std::string_view(buffer_);
  }

  Status check_num_values(int64_t n) const {
    const int64_t left = chunk_.num_rows - rows_done_;
    if (n < 0 || n > left) {
      return Status::Corruption("page holds " + std::to_string(n) + " values but " +
                                std::to_string(left) + " rows of the row group are left");
    }
    if (n > kMaxPageValues) {
      return Status::NotSupported("page holds " + std::to_string(n) +
                                  " values, more than btstore reads per page (" +
                                  std::to_string(kMaxPageValues) + ")");
    }
    return Status::OK();
  }

  Status read_dictionary_page(const PageHeader& h, std::string_view stored) {
    if (!h.dictionary_page_header) return Status::Corruption("DICTIONARY_PAGE without its header");
    if (dictionary_ || rows_done_ > 0 || seen_data_page_) {
      return Status::Corruption("dictionary page after the first page of the column chunk");
    }
    const DictionaryPageHeader& d = *h.dictionary_page_header;
    if (d.encoding != Encoding::kPlain && d.encoding != Encoding::kPlainDictionary) {
      return Status::NotSupported("dictionary page encoding " + encoding_name(d.encoding));
    }
    if (d.num_values < 0 || d.num_values > kMaxPageValues) {
      return Status::Corruption("dictionary page claims " + std::to_string(d.num_values) +
                                " values");
    }
    BTSTORE_ASSIGN_OR_RETURN(std::string_view data,
                             decompressed(stored, h.uncompressed_page_size, true));
    dictionary_.emplace();
    Status st =
        decode_dictionary_page(chunk_.value, data, static_cast<size_t>(d.num_values), *dictionary_);
    return st.ok() ? st : st.with_context("dictionary page");
  }

  // v1: everything after the header is compressed together: [4-byte length + RLE def levels]
  // (OPTIONAL columns only), then the values.
  Status read_data_page_v1(const PageHeader& h, std::string_view stored) {
    if (!h.data_page_header) return Status::Corruption("DATA_PAGE without data_page_header");
    const DataPageHeader& d = *h.data_page_header;
    BTSTORE_RETURN_IF_ERROR(check_num_values(d.num_values));
    BTSTORE_ASSIGN_OR_RETURN(std::string_view data,
                             decompressed(stored, h.uncompressed_page_size, true));
    const auto n = static_cast<size_t>(d.num_values);
    if (chunk_.optional && d.definition_level_encoding == Encoding::kBitPacked) {
      BTSTORE_RETURN_IF_ERROR(decode_bit_packed_levels(data, n));
      data.remove_prefix((n + 7) / 8);
    } else if (chunk_.optional) {
      if (d.definition_level_encoding != Encoding::kRle) {
        return Status::NotSupported("definition levels in " +
                                    encoding_name(d.definition_level_encoding));
      }
      if (data.size() < 4) return Status::Corruption("page ends inside the definition levels");
      const uint32_t length = decode_fixed32(data.data());
      if (length > data.size() - 4) {
        return Status::Corruption("definition levels claim " + std::to_string(length) +
                                  " bytes, the page has " + std::to_string(data.size() - 4));
      }
      BTSTORE_RETURN_IF_ERROR(decode_levels(data.substr(4, length), n));
      data.remove_prefix(4 + length);
    }
    return decode_and_append(d.encoding, data, n);
  }

  // v2: levels stay uncompressed in front; only the values section may be compressed.
  Status read_data_page_v2(const PageHeader& h, std::string_view stored) {
    if (!h.data_page_header_v2) return Status::Corruption("DATA_PAGE_V2 without its header");
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    BTSTORE_RETURN_IF_ERROR(check_num_values(d.num_values));
    if (d.num_rows != d.num_values || d.num_nulls < 0 || d.num_nulls > d.num_values) {
      return Status::Corruption("DATA_PAGE_V2 of a flat column with num_values " +
                                std::to_string(d.num_values) + ", num_rows " +
                                std::to_string(d.num_rows) + ", num_nulls " +
                                std::to_string(d.num_nulls));
    }
    const int64_t rep = d.repetition_levels_byte_length, def = d.definition_levels_byte_length;
    if (rep < 0 || def < 0 || rep + def > static_cast<int64_t>(stored.size()) ||
        rep + def > h.uncompressed_page_size) {
      return Status::Corruption("level lengths " + std::to_string(rep) + " + " +
                                std::to_string(def) + " exceed the page");
    }
    const auto n = static_cast<size_t>(d.num_values);
    if (chunk_.optional) {
      BTSTORE_RETURN_IF_ERROR(decode_levels(stored.substr(rep, def), n));
      const auto nulls = static_cast<int64_t>(n - non_null_);
      if (nulls != d.num_nulls) {
        return Status::Corruption("definition levels give " + std::to_string(nulls) +
                                  " nulls, the page header says " + std::to_string(d.num_nulls));
      }
    } else if (d.num_nulls != 0) {
      return Status::Corruption("REQUIRED column page with " + std::to_string(d.num_nulls) +
                                " nulls");
    }
    BTSTORE_ASSIGN_OR_RETURN(std::string_view data,
                             decompressed(stored.substr(rep + def),
                                          h.uncompressed_page_size - rep - def, d.is_compressed));
    return decode_and_append(d.encoding, data, n);
  }

  // Fills levels_ with n flags (0 = null, 1 = value) and counts the values in non_null_.
  Status decode_levels(std::string_view rle, size_t n) {
    level_buffer_.resize(n);
    Status st = decode_rle_hybrid(rle, 1, n, level_buffer_.data());
    if (!st.ok()) return st.with_context("definition levels");
    levels_.resize(n);
    non_null_ = 0;
    for (size_t i = 0; i < n; ++i) {
      if (level_buffer_[i] > 1) {
        return Status::Corruption("definition level " + std::to_string(level_buffer_[i]) +
                                  " exceeds the column's maximum 1");
      }
      levels_[i] = static_cast<uint8_t>(level_buffer_[i]);
      non_null_ += levels_[i];
    }
    return Status::OK();
  }

  // The deprecated BIT_PACKED level encoding (old parquet-mr): no length prefix, bits packed
  // from the most significant bit of each byte; at max level 1 one bit per value.
  Status decode_bit_packed_levels(std::string_view data, size_t n) {
    if (data.size() < (n + 7) / 8) {
      return Status::Corruption("page ends inside the BIT_PACKED definition levels");
    }
    levels_.resize(n);
    non_null_ = 0;
    for (size_t i = 0; i < n; ++i) {
      levels_[i] = (static_cast<uint8_t>(data[i / 8]) >> (7 - i % 8)) & 1;
      non_null_ += levels_[i];
    }
    return Status::OK();
  }

  Status decode_and_append(Encoding encoding, std::string_view data, size_t n) {
    seen_data_page_ = true;
    const size_t count = chunk_.optional ? non_null_ : n;
    const std::vector<V>* dict = dictionary_ ? &*dictionary_ : nullptr;
    Status st = decode_values<V>(chunk_.value, encoding, data, count, dict, page_values_);
    if (!st.ok()) return st.with_context(encoding_name(encoding) + " values");
    if (!chunk_.optional) {
      values_.insert(values_.end(), std::make_move_iterator(page_values_.begin()),
                     std::make_move_iterator(page_values_.end()));
      defined_.insert(defined_.end(), n, 1);
    } else {
      size_t k = 0;
      for (size_t i = 0; i < n; ++i) {
        defined_.push_back(levels_[i]);
        values_.push_back(levels_[i] ? std::move(page_values_[k++]) : V{});
      }
    }
    rows_done_ += static_cast<int64_t>(n);
    return Status::OK();
  }

  const ChunkSpec& chunk_;
  std::vector<V>& values_;
  std::vector<uint8_t>& defined_;
  std::optional<std::vector<V>> dictionary_;
  std::vector<V> page_values_;
  std::vector<uint32_t> level_buffer_;
  std::vector<uint8_t> levels_;
  size_t non_null_ = 0;
  std::string buffer_;
  int64_t rows_done_ = 0;
  bool seen_data_page_ = false;
};

}  // namespace

template <typename V>
Status read_column_chunk(const ChunkSpec& chunk, std::vector<V>& values,
                         std::vector<uint8_t>& defined) {
  return ChunkReader<V>(chunk, values, defined).run();
}

template Status read_column_chunk(const ChunkSpec&, std::vector<uint8_t>&, std::vector<uint8_t>&);
template Status read_column_chunk(const ChunkSpec&, std::vector<int32_t>&, std::vector<uint8_t>&);
template Status read_column_chunk(const ChunkSpec&, std::vector<int64_t>&, std::vector<uint8_t>&);
template Status read_column_chunk(const ChunkSpec&, std::vector<float>&, std::vector<uint8_t>&);
template Status read_column_chunk(const ChunkSpec&, std::vector<double>&, std::vector<uint8_t>&);
template Status read_column_chunk(const ChunkSpec&, std::vector<std::string>&,
                                  std::vector<uint8_t>&);

}  // namespace btstore::parquet
