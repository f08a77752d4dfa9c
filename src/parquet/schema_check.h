// Checks that a file's flat schema is the one btstore expects for a table, accepting what other
// writers of the same schema produce: REQUIRED or OPTIONAL fields, STRING as logical type or as
// ConvertedType UTF8, int32 with or without an INTEGER(32, signed) / INT_32 annotation,
// TIMESTAMP in MILLIS, MICROS or NANOS with isAdjustedToUTC true or false (also the
// TIMESTAMP_MILLIS / TIMESTAMP_MICROS converted types), and a root of any name.
#pragma once

#include <string>

#include "btstore/status.h"
#include "model/schema.h"
#include "parquet/format.h"

namespace btstore::parquet {

// The column's type in pyarrow's spelling, for messages: "string", "double", "int32",
// "timestamp[us]", "timestamp[ms, tz=UTC]", "int64 (no logical type)", "binary (no logical
// type)", "date32", "decimal(10, 2)", ...
std::string arrow_type_name(const SchemaElement& leaf);

// OK when `leaf` can be read as `expected`; otherwise Corruption
// "field 'timestamp' is int64 (no logical type), expected timestamp[us]".
Status check_field(const SchemaElement& leaf, const model::FieldSpec& expected);

// Same field names in the same order, each passing check_field. The message does not name
// the file; the caller adds it.
Status check_table_schema(const FileMetaData& metadata, model::TableKind kind);

// The unit of a timestamp column accepted by check_field.
TimeUnit timestamp_unit(const SchemaElement& leaf);

}  // namespace btstore::parquet
