// Test helper: assembles Parquet files from hand-made pages, so tests control every byte that
// btstore's own writer would not produce (v2 pages, REQUIRED columns, other encodings, damage).
#pragma once

#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

#include "common/coding.h"
#include "parquet/compression.h"
#include "parquet/encoding.h"
#include "parquet/format.h"

namespace btstore::parquet::testing {

inline SchemaElement leaf(std::string name, Type type,
                          FieldRepetitionType rep = FieldRepetitionType::kOptional) {
  SchemaElement e;
  e.name = std::move(name);
  e.type = type;
  e.repetition_type = rep;
  return e;
}

// 4-byte length + RLE definition levels (bit width 1), as data page v1 wants them.
inline std::string v1_levels(const std::vector<uint32_t>& levels) {
  std::string rle;
  encode_rle_hybrid(levels, 1, rle);
  std::string out;
  put_fixed32(static_cast<uint32_t>(rle.size()), out);
  return out + rle;
}

inline std::string rle_levels(const std::vector<uint32_t>& levels) {
  std::string rle;
  encode_rle_hybrid(levels, 1, rle);
  return rle;
}

template <typename T>
std::string plain(const std::vector<T>& values) {
  std::string out;
  encode_plain_fixed<T>(values, out);
  return out;
}

class FileBuilder {
 public:
  explicit FileBuilder(std::vector<SchemaElement> leaves) {
    SchemaElement root;
    root.name = "root";
    root.num_children = static_cast<int32_t>(leaves.size());
    md_.schema.push_back(root);
    for (auto& l : leaves) md_.schema.push_back(std::move(l));
  }

  void begin_row_group(int64_t rows) {
    md_.row_groups.emplace_back();
    md_.row_groups.back().num_rows = rows;
    md_.num_rows += rows;
  }

  void begin_column(CompressionCodec codec = CompressionCodec::kUncompressed) {
    codec_ = codec;
    ColumnMetaData md;
    const SchemaElement& e = md_.schema[md_.row_groups.back().columns.size() + 1];
    md.type = *e.type;
    md.path_in_schema = {e.name};
    md.codec = codec;
    md.num_values = md_.row_groups.back().num_rows;
    md.data_page_offset = -1;
    chunk_ = ColumnChunk{};
    chunk_.meta_data = md;
  }

  // Appends a page. `body` is uncompressed; for v2 pages `levels` are the uncompressed
  // repetition + definition level bytes in front of the (compressed) body.
  void add_page(PageHeader h, const std::string& body, const std::string& levels = "",
                bool with_crc = false) {
    std::string stored = body;
    if (codec_ != CompressionCodec::kUncompressed) {
      (void)compress(codec_, body, stored);
    }
    stored = levels + stored;
    h.uncompressed_page_size = static_cast<int32_t>(levels.size() + body.size());
    h.compressed_page_size = static_cast<int32_t>(stored.size());
    if (with_crc) {
      h.crc = static_cast<int32_t>(crc32(0, reinterpret_cast<const Bytef*>(stored.data()),
                                         static_cast<uInt>(stored.size())));
    }
    add_raw_page(h, stored, static_cast<int64_t>(levels.size() + body.size()));
  }

  // Appends a header and bytes exactly as given.
  void add_raw_page(const PageHeader& h, const std::string& stored, int64_t uncompressed) {
    ColumnMetaData& md = *chunk_.meta_data;
    const auto offset = static_cast<int64_t>(file_.size());
    if (h.type == PageType::kDictionaryPage) {
      md.dictionary_page_offset = offset;
    } else if (md.data_page_offset < 0) {
      md.data_page_offset = offset;
    }
    const std::string header = serialize_page_header(h);
    file_ += header + stored;
    md.total_compressed_size += static_cast<int64_t>(header.size() + stored.size());
    md.total_uncompressed_size += static_cast<int64_t>(header.size()) + uncompressed;
    md.encodings.push_back(h.data_page_header      ? h.data_page_header->encoding
                           : h.data_page_header_v2 ? h.data_page_header_v2->encoding
                                                   : Encoding::kPlain);
  }

  void end_column() {
    if (chunk_.meta_data->data_page_offset < 0) {
      chunk_.meta_data->data_page_offset = static_cast<int64_t>(file_.size());
    }
    md_.row_groups.back().columns.push_back(chunk_);
  }

  FileMetaData& metadata() { return md_; }

  std::string finish() const {
    std::string out = file_;
    const std::string footer = serialize_file_metadata(md_);
    out += footer;
    put_fixed32(static_cast<uint32_t>(footer.size()), out);
    return out + "PAR1";
  }

 private:
  FileMetaData md_;
  std::string file_ = "PAR1";
  ColumnChunk chunk_;
  CompressionCodec codec_ = CompressionCodec::kUncompressed;
};

inline PageHeader data_page_v1(int32_t num_values, Encoding encoding) {
  PageHeader h;
  h.type = PageType::kDataPage;
  h.data_page_header = DataPageHeader{num_values, encoding, Encoding::kRle, Encoding::kRle, {}};
  return h;
}

inline PageHeader data_page_v2(int32_t num_values, int32_t num_nulls, Encoding encoding,
                               int32_t def_length, bool is_compressed = true) {
  PageHeader h;
  h.type = PageType::kDataPageV2;
  DataPageHeaderV2 v2;
  v2.num_values = num_values;
  v2.num_nulls = num_nulls;
  v2.num_rows = num_values;
  v2.encoding = encoding;
  v2.definition_levels_byte_length = def_length;
  v2.repetition_levels_byte_length = 0;
  v2.is_compressed = is_compressed;
  h.data_page_header_v2 = v2;
  return h;
}

inline PageHeader dictionary_page(int32_t num_values) {
  PageHeader h;
  h.type = PageType::kDictionaryPage;
  h.dictionary_page_header = DictionaryPageHeader{num_values, Encoding::kPlain, {}};
  return h;
}

}  // namespace btstore::parquet::testing
