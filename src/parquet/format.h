// The subset of the Parquet file format (parquet-format, src/main/thrift/parquet.thrift) that
// btstore reads and writes, as plain structs with compact-protocol encoders and decoders.
// Names follow the spec's spelling so they can be searched. Optional spec fields are
// std::optional; decoders range-check enums and report missing required fields as Corruption.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "parquet/compression.h"
#include "thrift/compact_reader.h"
#include "thrift/compact_writer.h"

namespace btstore::parquet {

// "PAR1" opens and closes a file; the 4 bytes before the closing magic are the footer length.
inline constexpr std::string_view kMagic = "PAR1";
inline constexpr std::string_view kEncryptedMagic = "PARE";  // encrypted footer
inline constexpr size_t kFooterTailBytes = 8;                // footer length + magic

enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class FieldRepetitionType : int32_t {
  kRequired = 0,
  kOptional = 1,
  kRepeated = 2,
  kVector = 3
};

enum class Encoding : int32_t {
  kPlain = 0,
  kGroupVarInt = 1,  // reserved, never used by writers
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3
};

enum class TimeUnit : int16_t { kMillis = 1, kMicros = 2, kNanos = 3 };  // TimeUnit union ids

// The LogicalType union. Only the annotations btstore interprets carry parameters; every other
// member decodes to its kind so that the reader can name it when it refuses a column.
struct LogicalType {
  enum class Kind : int16_t {
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kUnknown = 11,
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
    kVariant = 16,
    kGeometry = 17,
    kGeography = 18,
    kVector = 19,
  };
  Kind kind = Kind::kString;          // may also hold a union id newer than this list
  bool is_adjusted_to_utc = false;    // kTime, kTimestamp
  TimeUnit unit = TimeUnit::kMicros;  // kTime, kTimestamp
  int8_t bit_width = 0;               // kInteger
  bool is_signed = true;              // kInteger
  int32_t scale = 0, precision = 0;   // kDecimal

  static LogicalType string() { return {}; }
  static LogicalType timestamp(bool is_adjusted_to_utc, TimeUnit unit) {
    LogicalType t;
    t.kind = Kind::kTimestamp;
    t.is_adjusted_to_utc = is_adjusted_to_utc;
    t.unit = unit;
    return t;
  }
  bool operator==(const LogicalType&) const = default;
};

struct SchemaElement {
  std::optional<Type> type;  // absent for groups (the root)
  std::optional<int32_t> type_length;
  std::optional<FieldRepetitionType> repetition_type;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::optional<LogicalType> logical_type;
  bool operator==(const SchemaElement&) const = default;
};

// min/max (legacy, signed order) and min_value/max_value (column order) hold PLAIN-encoded
// values; byte arrays without their length prefix.
struct Statistics {
  std::optional<std::string> max;
  std::optional<std::string> min;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;
  bool operator==(const Statistics&) const = default;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
  bool operator==(const KeyValue&) const = default;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;  // pages including their headers
  int64_t total_compressed_size = 0;    // pages including their headers
  std::vector<KeyValue> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;  // data in another file: not supported
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
  bool encrypted = false;  // crypto_metadata or encrypted_column_metadata present
  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
  bool operator==(const RowGroup&) const = default;
};

// The ColumnOrder union, by member id; TYPE_ORDER is the only one btstore writes.
enum class ColumnOrder : int16_t {
  kTypeDefinedOrder = 1,
  kIeee754TotalOrder = 2,
  kInt96TimestampOrder = 3
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first; schema[0] is the root
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  std::vector<ColumnOrder> column_orders;
  bool encrypted = false;  // encryption_algorithm present (plaintext-footer encryption)
  bool operator==(const FileMetaData&) const = default;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  std::optional<Statistics> statistics;
  bool operator==(const DataPageHeader&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::optional<bool> is_sorted;
  bool operator==(const DictionaryPageHeader&) const = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
  std::optional<Statistics> statistics;
  bool operator==(const DataPageHeaderV2&) const = default;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;  // excluding this header
  int32_t compressed_page_size = 0;    // excluding this header
  std::optional<int32_t> crc;          // zlib crc32 of the page bytes as stored
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
  bool operator==(const PageHeader&) const = default;
};

// Encoders: append one struct (begin ... stop) to the writer.
void encode(thrift::CompactWriter& w, const LogicalType& v);
void encode(thrift::CompactWriter& w, const SchemaElement& v);
void encode(thrift::CompactWriter& w, const Statistics& v);
void encode(thrift::CompactWriter& w, const KeyValue& v);
void encode(thrift::CompactWriter& w, const ColumnMetaData& v);
void encode(thrift::CompactWriter& w, const ColumnChunk& v);
void encode(thrift::CompactWriter& w, const RowGroup& v);
void encode(thrift::CompactWriter& w, const FileMetaData& v);
void encode(thrift::CompactWriter& w, const DataPageHeader& v);
void encode(thrift::CompactWriter& w, const DictionaryPageHeader& v);
void encode(thrift::CompactWriter& w, const DataPageHeaderV2& v);
void encode(thrift::CompactWriter& w, const PageHeader& v);

// Decoders: read one struct from the reader's position. Errors are Corruption (or NotSupported
// for a valid but unsupported construct) and name the struct and field.
Status decode(thrift::CompactReader& r, LogicalType* v);
Status decode(thrift::CompactReader& r, SchemaElement* v);
Status decode(thrift::CompactReader& r, Statistics* v);
Status decode(thrift::CompactReader& r, KeyValue* v);
Status decode(thrift::CompactReader& r, ColumnMetaData* v);
Status decode(thrift::CompactReader& r, ColumnChunk* v);
Status decode(thrift::CompactReader& r, RowGroup* v);
Status decode(thrift::CompactReader& r, FileMetaData* v);
Status decode(thrift::CompactReader& r, DataPageHeader* v);
Status decode(thrift::CompactReader& r, DictionaryPageHeader* v);
Status decode(thrift::CompactReader& r, DataPageHeaderV2* v);
Status decode(thrift::CompactReader& r, PageHeader* v);

// Convenience wrappers over whole byte strings.
std::string serialize_file_metadata(const FileMetaData& v);
std::string serialize_page_header(const PageHeader& v);
// Decodes a page header from the front of `in`; *header_size = the bytes it took.
Status parse_page_header(std::string_view in, PageHeader* v, size_t* header_size);
// Decodes a footer; every byte of `in` must belong to it.
Status parse_file_metadata(std::string_view in, FileMetaData* v);

// Spec spellings for messages and `btstore parquet-schema`: "INT64", "RLE_DICTIONARY", ...
// Values outside the enum print as "UNKNOWN(<n>)".
std::string type_name(Type v);
std::string converted_type_name(ConvertedType v);
std::string repetition_name(FieldRepetitionType v);
std::string encoding_name(Encoding v);
std::string page_type_name(PageType v);
std::string time_unit_name(TimeUnit v);
// "STRING", "TIMESTAMP(isAdjustedToUTC=false, unit=MICROS)", "INTEGER(bitWidth=8, isSigned=true)"
std::string logical_type_name(const LogicalType& v);

}  // namespace btstore::parquet
