// Decoders of the page headers (PageHeader and the per-type headers it carries).
#include "parquet/format_decode_util.h"

namespace btstore::parquet {

using namespace detail;  // NOLINT(google-build-using-namespace): decoder helpers

Status decode(CompactReader& r, DataPageHeader* v) {
  StructReader s(r, "DataPageHeader");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("num_values", &v->num_values)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(read_encoding(s, "encoding", &v->encoding)); break;
      case 3:
        BTSTORE_RETURN_IF_ERROR(
            read_encoding(s, "definition_level_encoding", &v->definition_level_encoding));
        break;
      case 4:
        BTSTORE_RETURN_IF_ERROR(
            read_encoding(s, "repetition_level_encoding", &v->repetition_level_encoding));
        break;
      case 5: BTSTORE_RETURN_IF_ERROR(read_optional_struct(s, "statistics", &v->statistics)); break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "num_values"));
  BTSTORE_RETURN_IF_ERROR(s.require(2, "encoding"));
  BTSTORE_RETURN_IF_ERROR(s.require(3, "definition_level_encoding"));
  return s.require(4, "repetition_level_encoding");
}

Status decode(CompactReader& r, DictionaryPageHeader* v) {
  StructReader s(r, "DictionaryPageHeader");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("num_values", &v->num_values)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(read_encoding(s, "encoding", &v->encoding)); break;
      case 3: BTSTORE_RETURN_IF_ERROR(s.read("is_sorted", &v->is_sorted.emplace())); break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "num_values"));
  return s.require(2, "encoding");
}

Status decode(CompactReader& r, DataPageHeaderV2* v) {
  StructReader s(r, "DataPageHeaderV2");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1: BTSTORE_RETURN_IF_ERROR(s.read("num_values", &v->num_values)); break;
      case 2: BTSTORE_RETURN_IF_ERROR(s.read("num_nulls", &v->num_nulls)); break;
      case 3: BTSTORE_RETURN_IF_ERROR(s.read("num_rows", &v->num_rows)); break;
      case 4: BTSTORE_RETURN_IF_ERROR(read_encoding(s, "encoding", &v->encoding)); break;
      case 5:
        BTSTORE_RETURN_IF_ERROR(
            s.read("definition_levels_byte_length", &v->definition_levels_byte_length));
        break;
      case 6:
        BTSTORE_RETURN_IF_ERROR(
            s.read("repetition_levels_byte_length", &v->repetition_levels_byte_length));
        break;
      case 7: BTSTORE_RETURN_IF_ERROR(s.read("is_compressed", &v->is_compressed)); break;
      case 8: BTSTORE_RETURN_IF_ERROR(read_optional_struct(s, "statistics", &v->statistics)); break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  constexpr std::pair<int16_t, std::string_view> kRequired[] = {
      {1, "num_values"},
      {2, "num_nulls"},
      {3, "num_rows"},
      {4, "encoding"},
      {5, "definition_levels_byte_length"},
      {6, "repetition_levels_byte_length"}};
  for (const auto& [id, name] : kRequired) BTSTORE_RETURN_IF_ERROR(s.require(id, name));
  return Status::OK();
}

Status decode(CompactReader& r, PageHeader* v) {
  StructReader s(r, "PageHeader");
  BTSTORE_RETURN_IF_ERROR(s.begin());
  for (bool more = true;;) {
    BTSTORE_RETURN_IF_ERROR(s.next(&more));
    if (!more) break;
    switch (s.id()) {
      case 1:
        BTSTORE_RETURN_IF_ERROR(read_enum(s, "type", kMaxPageType, "PageType", &v->type));
        break;
      case 2:
        BTSTORE_RETURN_IF_ERROR(s.read("uncompressed_page_size", &v->uncompressed_page_size));
        break;
      case 3:
        BTSTORE_RETURN_IF_ERROR(s.read("compressed_page_size", &v->compressed_page_size));
        break;
      case 4: BTSTORE_RETURN_IF_ERROR(s.read("crc", &v->crc.emplace())); break;
      case 5:
        BTSTORE_RETURN_IF_ERROR(read_optional_struct(s, "data_page_header", &v->data_page_header));
        break;
      case 7:
        BTSTORE_RETURN_IF_ERROR(
            read_optional_struct(s, "dictionary_page_header", &v->dictionary_page_header));
        break;
      case 8:
        BTSTORE_RETURN_IF_ERROR(
            read_optional_struct(s, "data_page_header_v2", &v->data_page_header_v2));
        break;
      default: BTSTORE_RETURN_IF_ERROR(s.skip());
    }
  }
  BTSTORE_RETURN_IF_ERROR(s.require(1, "type"));
  BTSTORE_RETURN_IF_ERROR(s.require(2, "uncompressed_page_size"));
  return s.require(3, "compressed_page_size");
}

Status parse_page_header(std::string_view in, PageHeader* v, size_t* header_size) {
  CompactReader r(in);
  *v = PageHeader{};
  BTSTORE_RETURN_IF_ERROR(decode(r, v));
  *header_size = r.position();
  return Status::OK();
}

}  // namespace btstore::parquet
