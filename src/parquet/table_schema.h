// How btstore's table schemas (model/schema.h) appear in Parquet: one OPTIONAL leaf per field
// under a root group named "schema".
//   string        -> BYTE_ARRAY, LogicalType STRING, ConvertedType UTF8
//   double        -> DOUBLE
//   int32         -> INT32
//   timestamp[us] -> INT64, LogicalType TIMESTAMP(isAdjustedToUTC=false, MICROS), no
//                    ConvertedType (TIMESTAMP_MICROS would claim UTC adjustment)
#pragma once

#include <vector>

#include "model/schema.h"
#include "parquet/format.h"

namespace btstore::parquet {

inline constexpr char kRootName[] = "schema";

SchemaElement schema_element_for(const model::FieldSpec& field);

// Root element followed by the leaves of `kind`, in schema order.
std::vector<SchemaElement> schema_for(model::TableKind kind);

}  // namespace btstore::parquet
