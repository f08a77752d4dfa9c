// The three table schemas of the design (field names, order and types), and
// type-erased views of a table's columns for the Parquet writer and reader.
#pragma once

#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "model/result.h"

namespace btstore::model {

enum class FieldType {
  kString,     // pa.string():        BYTE_ARRAY, STRING logical type
  kDouble,     // pa.float64():       DOUBLE
  kInt32,      // pa.int32():         INT32
  kTimestamp,  // pa.timestamp('us'): INT64, TIMESTAMP(isAdjustedToUTC=false, MICROS)
};

std::string_view field_type_name(FieldType type);  // the pyarrow spelling, e.g. "timestamp[us]"

struct FieldSpec {
  std::string_view name;
  FieldType type;
};

enum class TableKind { kSummary, kSignals, kCurve };
inline constexpr TableKind kAllTables[] = {TableKind::kSummary, TableKind::kSignals,
                                           TableKind::kCurve};

std::string_view table_name(
    TableKind kind);  // "symbol_summary", "symbol_signals", "performance_curve"
std::span<const FieldSpec> table_fields(TableKind kind);

using ConstColumnPtr = std::variant<const StringColumn*, const DoubleColumn*, const Int32Column*,
                                    const TimestampColumn*>;
using ColumnPtr = std::variant<StringColumn*, DoubleColumn*, Int32Column*, TimestampColumn*>;

// Columns in schema order; columns[i] has the type of table_fields(kind)[i].
struct ConstTableView {
  TableKind kind;
  std::vector<ConstColumnPtr> columns;
  size_t num_rows = 0;
};
struct TableView {
  TableKind kind;
  std::vector<ColumnPtr> columns;
};

ConstTableView view(const BacktestResult& result, TableKind kind);
TableView mutable_view(BacktestResult& result, TableKind kind);

}  // namespace btstore::model
