#include "parquet/column_writer.h"

#include <algorithm>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/coding.h"
#include "parquet/encoding.h"
#include "parquet/page_writer.h"
#include "parquet/statistics.h"
#include "parquet/value_encoding.h"

namespace btstore::parquet {
namespace {

// A dictionary stays in one page, so it is also bounded by the target page size.
constexpr size_t kMaxDictionaryEntries = size_t{1} << 16;

template <typename T>
constexpr Type physical_type() {
  if constexpr (std::is_same_v<T, double>) return Type::kDouble;
  if constexpr (std::is_same_v<T, int32_t>) return Type::kInt32;
  if constexpr (std::is_same_v<T, int64_t>) return Type::kInt64;
  return Type::kByteArray;
}

// Rows [first, last) of the chunk that go into one data page.
struct PageRange {
  size_t first, last;
};

// Splits the chunk's rows into pages whose estimated value bytes stay near `target`.
template <typename Cost>
std::vector<PageRange> split_pages(size_t rows, size_t target, Cost&& cost) {
  std::vector<PageRange> pages;
  size_t first = 0, bytes = 0;
  for (size_t i = 0; i < rows; ++i) {
    bytes += cost(i);
    if (bytes >= target && i + 1 < rows) {
      pages.push_back({first, i + 1});
      first = i + 1;
      bytes = 0;
    }
  }
  pages.push_back({first, rows});
  return pages;
}

// The pages of one chunk: writes data pages (levels + values) and tracks offsets/encodings.
class ChunkPages {
 public:
  ChunkPages(std::span<const uint8_t> defined, const ColumnWriteOptions& options, std::string& file)
      : defined_(defined), pages_(file, options.codec, options.write_crc) {}

  Status write_dictionary_page(int32_t num_values, std::string_view plain_values) {
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    header.dictionary_page_header = DictionaryPageHeader{num_values, Encoding::kPlain, {}};
    BTSTORE_ASSIGN_OR_RETURN(int64_t offset, pages_.write_page(std::move(header), plain_values));
    dictionary_page_offset_ = offset;
    return Status::OK();
  }

  // Body of a v1 data page: 4-byte length + RLE definition levels, then the values.
  Status write_data_page(PageRange rows, Encoding encoding, std::string_view values) {
    body_.clear();
    body_.append(4, '\0');
    levels_.assign(defined_.begin() + rows.first, defined_.begin() + rows.last);
    encode_rle_hybrid(levels_, 1, body_);
    const auto levels_size = static_cast<uint32_t>(body_.size() - 4);
    for (int i = 0; i < 4; ++i) body_[i] = static_cast<char>(levels_size >> (8 * i));
    body_.append(values);
    PageHeader header;
    header.type = PageType::kDataPage;
    header.data_page_header = DataPageHeader{
        static_cast<int32_t>(rows.last - rows.first), encoding, Encoding::kRle, Encoding::kRle, {}};
    BTSTORE_ASSIGN_OR_RETURN(int64_t offset, pages_.write_page(std::move(header), body_));
    if (!data_page_offset_) data_page_offset_ = offset;
    return Status::OK();
  }

  void fill(ColumnMetaData& md) const {
    md.total_uncompressed_size = pages_.total_uncompressed_size();
    md.total_compressed_size = pages_.total_compressed_size();
    md.data_page_offset = data_page_offset_.value_or(0);
    md.dictionary_page_offset = dictionary_page_offset_;
  }

 private:
  std::span<const uint8_t> defined_;
  PageWriter pages_;
  std::string body_;
  std::vector<uint32_t> levels_;
  std::optional<int64_t> data_page_offset_, dictionary_page_offset_;
};

// Non-null values of rows [first, last) of the chunk.
template <typename T>
void gather_into(std::span<const T> values, std::span<const uint8_t> defined, PageRange r,
                 std::vector<T>& out) {
  out.clear();
  out.reserve(r.last - r.first);
  for (size_t i = r.first; i < r.last; ++i) {
    if (defined[i]) out.push_back(values[i]);
  }
}

template <typename T>
std::vector<T> gather(std::span<const T> values, std::span<const uint8_t> defined, PageRange r) {
  std::vector<T> out;
  gather_into(values, defined, r, out);
  return out;
}

Status write_plain_strings(std::span<const std::string> values, std::span<const uint8_t> defined,
                           const ColumnWriteOptions& options, ChunkPages& pages) {
  std::string encoded;
  for (PageRange r : split_pages(values.size(), options.target_page_bytes,
                                 [&](size_t i) { return 4 + values[i].size(); })) {
    encoded.clear();
    encode_plain_byte_arrays(gather(values, defined, r), encoded);
    BTSTORE_RETURN_IF_ERROR(pages.write_data_page(r, Encoding::kPlain, encoded));
  }
  return Status::OK();
}

// A string dictionary: distinct values in order of first appearance and, per row, its index.
struct StringDictionary {
  std::vector<std::string> entries;
  std::vector<uint32_t> row_index;  // one slot per row; 0 for nulls (never written)
  size_t entry_bytes = 0;           // PLAIN size of the dictionary page
  size_t plain_bytes = 0;           // PLAIN size of all non-null values
  int64_t null_count = 0;
};

// a == b, inline: the values are short, and a call of memcmp per row costs more.
bool same_bytes(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Builds the dictionary, or returns false when it would not make the chunk smaller.
bool build_dictionary(std::span<const std::string> values, std::span<const uint8_t> defined,
                      const ColumnWriteOptions& options, StringDictionary& dict) {
  std::unordered_map<std::string_view, uint32_t> ids;
  dict.row_index.assign(values.size(), 0);
  size_t non_null = 0;
  const std::string* previous = nullptr;  // the last defined value, and its index
  uint32_t previous_id = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!defined[i]) {
      ++dict.null_count;
      continue;
    }
    ++non_null;
    dict.plain_bytes += 4 + values[i].size();
    // Values come in runs (a symbol's rows): a repeat of the last one needs no lookup.
    if (previous != nullptr && same_bytes(values[i], *previous)) {
      dict.row_index[i] = previous_id;
      continue;
    }
    previous = &values[i];
    auto [it, added] = ids.try_emplace(values[i], static_cast<uint32_t>(ids.size()));
    if (added) {
      dict.entry_bytes += 4 + values[i].size();
      if (ids.size() > kMaxDictionaryEntries || dict.entry_bytes > options.target_page_bytes) {
        return false;
      }
    }
    dict.row_index[i] = previous_id = it->second;
  }
  const int width = std::max(1, bit_width_for(ids.size() > 0 ? ids.size() - 1 : 0));
  const size_t index_bytes = 1 + (non_null * width + 7) / 8;
  if (ids.empty() || dict.entry_bytes + index_bytes >= dict.plain_bytes) return false;
  dict.entries.resize(ids.size());
  for (const auto& [value, id] : ids) dict.entries[id] = std::string(value);
  return true;
}

// A dictionary page of `entry_count` PLAIN entries, then RLE_DICTIONARY data pages of the
// rows' indices.
Status write_dictionary_pages(size_t entry_count, std::string_view plain_entries,
                              std::span<const uint32_t> row_index, std::span<const uint8_t> defined,
                              const ColumnWriteOptions& options, ChunkPages& pages) {
  BTSTORE_RETURN_IF_ERROR(
      pages.write_dictionary_page(static_cast<int32_t>(entry_count), plain_entries));
  const int width = std::max(1, bit_width_for(entry_count - 1));
  std::vector<uint32_t> indices;
  std::string encoded;
  for (PageRange r : split_pages(defined.size(), options.target_page_bytes,
                                 [&](size_t) { return static_cast<size_t>(width); })) {
    indices.clear();
    for (size_t i = r.first; i < r.last; ++i) {
      if (defined[i]) indices.push_back(row_index[i]);
    }
    encoded.clear();
    encode_dictionary_indices(indices, width, encoded);
    BTSTORE_RETURN_IF_ERROR(pages.write_data_page(r, Encoding::kRleDictionary, encoded));
  }
  return Status::OK();
}

// Numeric pages in the encoding value_encoding.h chooses per page.
template <typename T>
Status write_numeric(std::span<const T> values, std::span<const uint8_t> defined,
                     const ColumnWriteOptions& options, ChunkPages& pages,
                     std::vector<Encoding>& used) {
  std::string encoded;
  std::vector<T> gathered;
  for (PageRange r :
       split_pages(values.size(), options.target_page_bytes, [](size_t) { return sizeof(T); })) {
    encoded.clear();
    gather_into(values, defined, r, gathered);
    Encoding e;
    if constexpr (std::is_same_v<T, double>) {
      e = encode_double_values(gathered, options.codec, encoded);
    } else if constexpr (std::is_same_v<T, int32_t>) {
      e = encode_int32_values(gathered, encoded);
    } else {
      e = encode_int64_values(gathered, encoded);
    }
    if (std::find(used.begin(), used.end(), e) == used.end()) used.push_back(e);
    BTSTORE_RETURN_IF_ERROR(pages.write_data_page(r, e, encoded));
  }
  return Status::OK();
}

// Writes the pages of one typed column slice and returns the encodings it used. A string
// dictionary also gives the statistics (`stats`): its distinct values are fewer than the rows.
template <typename T>
Result<std::vector<Encoding>> write_values(std::span<const T> values,
                                           std::span<const uint8_t> defined,
                                           const ColumnWriteOptions& options, ChunkPages& pages,
                                           std::optional<Statistics>& stats) {
  const std::vector<Encoding> dictionary_encodings = {Encoding::kPlain, Encoding::kRle,
                                                      Encoding::kRleDictionary};
  if constexpr (std::is_same_v<T, std::string>) {
    StringDictionary dict;
    if (options.allow_dictionary && build_dictionary(values, defined, options, dict)) {
      std::string plain;
      encode_plain_byte_arrays(dict.entries, plain);
      BTSTORE_RETURN_IF_ERROR(write_dictionary_pages(dict.entries.size(), plain, dict.row_index,
                                                     defined, options, pages));
      stats = make_dictionary_statistics(dict.entries, dict.null_count);
      return dictionary_encodings;
    }
    BTSTORE_RETURN_IF_ERROR(write_plain_strings(values, defined, options, pages));
    return std::vector<Encoding>{Encoding::kPlain, Encoding::kRle};
  } else {
    if constexpr (std::is_same_v<T, double>) {
      DoubleDictionary dict;
      if (options.allow_dictionary && build_double_dictionary(values, defined, dict)) {
        std::string plain;
        encode_plain_fixed<double>(dict.entries, plain);
        BTSTORE_RETURN_IF_ERROR(write_dictionary_pages(dict.entries.size(), plain, dict.row_index,
                                                       defined, options, pages));
        return dictionary_encodings;
      }
    }
    std::vector<Encoding> used = {Encoding::kRle};
    BTSTORE_RETURN_IF_ERROR(write_numeric(values, defined, options, pages, used));
    return used;
  }
}

template <typename T>
Result<ColumnMetaData> write_chunk(const model::Column<T>& column, std::string_view name,
                                   size_t begin, size_t end, const ColumnWriteOptions& options,
                                   std::string& file) {
  if (column.values.size() != column.defined.size() || end > column.values.size() || begin >= end) {
    return Status::Internal("column '" + std::string(name) + "': rows [" + std::to_string(begin) +
                            ", " + std::to_string(end) + ") do not fit a column of " +
                            std::to_string(column.values.size()) + " values and " +
                            std::to_string(column.defined.size()) + " flags");
  }
  const std::span<const T> values = std::span(column.values).subspan(begin, end - begin);
  const std::span<const uint8_t> defined = std::span(column.defined).subspan(begin, end - begin);
  ChunkPages pages(defined, options, file);
  ColumnMetaData md;
  std::optional<Statistics> stats;
  BTSTORE_ASSIGN_OR_RETURN(md.encodings, write_values(values, defined, options, pages, stats));
  md.type = physical_type<T>();
  md.path_in_schema = {std::string(name)};
  md.codec = options.codec;
  md.num_values = static_cast<int64_t>(end - begin);
  md.statistics = stats ? std::move(*stats) : make_statistics(values, defined);
  pages.fill(md);
  return md;
}

}  // namespace

Result<ColumnMetaData> write_column_chunk(const model::ConstColumnPtr& column,
                                          std::string_view name, size_t begin, size_t end,
                                          const ColumnWriteOptions& options, std::string& file) {
  return std::visit(
      [&](const auto* typed) { return write_chunk(*typed, name, begin, end, options, file); },
      column);
}

}  // namespace btstore::parquet
