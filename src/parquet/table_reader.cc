// read_table(): a file of one of btstore's schemas into the model's columns.
#include <limits>

#include "common/parallel.h"
#include "parquet/file_reader.h"
#include "parquet/schema_check.h"

namespace btstore::parquet {
namespace {

// Rewrites MILLIS or NANOS values as micros; NANOS must be whole micros.
Status to_micros(TimeUnit unit, GenericColumn& column) {
  auto& values = std::get<std::vector<int64_t>>(column.values);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000;
  for (size_t row = 0; row < values.size(); ++row) {
    if (!column.defined[row]) continue;
    int64_t& v = values[row];
    if (unit == TimeUnit::kMillis) {
      if (v > kMax || v < -kMax) {
        return Status::Corruption("field '" + column.name + "' row " + std::to_string(row) + ": " +
                                  std::to_string(v) + " ms is out of range in microseconds");
      }
      v *= 1000;
    } else if (unit == TimeUnit::kNanos) {
      if (v % 1000 != 0) {
        return Status::NotSupported("field '" + column.name + "' row " + std::to_string(row) +
                                    ": " + std::to_string(v) +
                                    " ns is not a whole number of microseconds");
      }
      v /= 1000;
    }
  }
  return Status::OK();
}

template <typename T>
void append(model::Column<T>& target, std::vector<T>&& values, std::vector<uint8_t>&& defined) {
  if (target.values.empty() && target.defined.empty()) {
    target.values = std::move(values);
    target.defined = std::move(defined);
    return;
  }
  target.values.insert(target.values.end(), std::make_move_iterator(values.begin()),
                       std::make_move_iterator(values.end()));
  target.defined.insert(target.defined.end(), defined.begin(), defined.end());
}

// check_table_schema() guarantees the physical type, hence the variant alternative.
void append_column(const model::ColumnPtr& target, GenericColumn&& column) {
  std::visit(
      [&](auto* typed) {
        using Values = decltype(typed->values);
        append(*typed, std::get<Values>(std::move(column.values)), std::move(column.defined));
      },
      target);
}

}  // namespace

Status read_table(std::string_view bytes, std::string_view file_name, model::TableKind kind,
                  model::BacktestResult& out, size_t threads) {
  BTSTORE_ASSIGN_OR_RETURN(FileReader reader, FileReader::open(bytes, std::string(file_name)));
  if (Status st = check_table_schema(reader.metadata(), kind); !st.ok()) {
    return st.with_context(file_name);
  }
  // Decode every column before touching `out`, so that a failure leaves it unchanged. The
  // columns are independent: `threads` threads decode them side by side.
  const auto fields = model::table_fields(kind);
  std::vector<GenericColumn> columns(static_cast<size_t>(reader.num_columns()));
  BTSTORE_RETURN_IF_ERROR(
      run_parallel(columns.size(), threads_for(threads, columns.size()), [&](size_t i) -> Status {
        const int index = static_cast<int>(i);
        BTSTORE_ASSIGN_OR_RETURN(columns[i], reader.read_column(index));
        if (fields[i].type == model::FieldType::kTimestamp) {
          Status st = to_micros(timestamp_unit(reader.column_schema(index)), columns[i]);
          if (!st.ok()) return st.with_context(file_name);
        }
        return Status::OK();
      }));
  const model::TableView view = model::mutable_view(out, kind);
  for (size_t i = 0; i < columns.size(); ++i) append_column(view.columns[i], std::move(columns[i]));
  return Status::OK();
}

}  // namespace btstore::parquet
