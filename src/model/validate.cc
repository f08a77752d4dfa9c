#include "model/validate.h"

#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/time.h"
#include "model/schema.h"

namespace btstore::model {
namespace {

template <typename T>
void permute(Column<T>& column, const std::vector<size_t>& order) {
  Column<T> out;
  out.reserve(order.size());
  for (size_t row : order) {
    if (column.is_null(row)) {
      out.push_null();
    } else {
      out.push(std::move(column.values[row]));
    }
  }
  column = std::move(out);
}

// Stable order of `symbols` rows by the position of their symbol in the summary.
Result<std::vector<size_t>> order_rows(const StringColumn& symbols,
                                       const std::unordered_map<std::string, size_t>& rank,
                                       std::string_view table, bool* already_ordered) {
  std::vector<std::vector<size_t>> buckets(rank.size());
  for (size_t row = 0; row < symbols.size(); ++row) {
    if (symbols.is_null(row)) {
      return Status::Corruption(std::string(table) + ": row " + std::to_string(row) +
                                " has a null symbol");
    }
    auto it = rank.find(symbols.values[row]);
    if (it == rank.end()) {
      return Status::Corruption(std::string(table) + ": row " + std::to_string(row) +
                                " names symbol '" + symbols.values[row] +
                                "', which symbol_summary does not list");
    }
    buckets[it->second].push_back(row);
  }
  std::vector<size_t> order;
  order.reserve(symbols.size());
  for (const auto& bucket : buckets) order.insert(order.end(), bucket.begin(), bucket.end());
  *already_ordered = true;
  for (size_t i = 0; i < order.size(); ++i) *already_ordered &= order[i] == i;
  return order;
}

Status group_table(BacktestResult& result, TableKind kind,
                   const std::unordered_map<std::string, size_t>& rank) {
  TableView view = mutable_view(result, kind);
  const StringColumn& symbols = *std::get<StringColumn*>(view.columns[0]);
  bool ordered = false;
  BTSTORE_ASSIGN_OR_RETURN(std::vector<size_t> order,
                           order_rows(symbols, rank, table_name(kind), &ordered));
  if (ordered) return Status::OK();
  for (ColumnPtr column : view.columns) {
    std::visit([&](auto* c) { permute(*c, order); }, column);
  }
  return Status::OK();
}

std::string row_context(TableKind kind, size_t row, const StringColumn& symbol) {
  return std::string(table_name(kind)) + ": row " + std::to_string(row) + " (symbol '" +
         symbol.values[row] + "')";
}

Status check_required(TableKind kind, const StringColumn& symbol, const Int32Column& index,
                      std::string_view index_name, const TimestampColumn& timestamp) {
  for (size_t row = 0; row < symbol.size(); ++row) {
    if (index.is_null(row) || timestamp.is_null(row)) {
      return Status::Corruption(row_context(kind, row, symbol) + ": " +
                                std::string(index.is_null(row) ? index_name : "timestamp") +
                                " is null");
    }
    if (row == 0 || symbol.values[row] != symbol.values[row - 1]) continue;
    if (timestamp.values[row] < timestamp.values[row - 1]) {
      return Status::Corruption(row_context(kind, row, symbol) +
                                ": timestamp is earlier than the previous row's");
    }
    if (kind == TableKind::kCurve && index.values[row] <= index.values[row - 1]) {
      return Status::Corruption(row_context(kind, row, symbol) +
                                ": idx does not increase strictly");
    }
  }
  return Status::OK();
}

// JSON has no NaN or infinity, and parse_result takes years 0001-9999 only:
// values outside these (possible in files of other writers) cannot come back.
Status check_representable(const BacktestResult& result) {
  for (TableKind kind : kAllTables) {
    ConstTableView v = view(result, kind);
    auto fields = table_fields(kind);
    for (size_t c = 0; c < v.columns.size(); ++c) {
      auto problem = [&](size_t row, std::string_view what) {
        return Status::NotSupported(std::string(table_name(kind)) + ": row " + std::to_string(row) +
                                    ": " + std::string(fields[c].name) + " is " +
                                    std::string(what) + ", which a BacktestResult cannot hold");
      };
      if (auto* d = std::get_if<const DoubleColumn*>(&v.columns[c])) {
        for (size_t row = 0; row < (*d)->size(); ++row) {
          if ((*d)->defined[row] && !std::isfinite((*d)->values[row])) {
            return problem(row, "NaN or infinite");
          }
        }
      } else if (auto* t = std::get_if<const TimestampColumn*>(&v.columns[c])) {
        for (size_t row = 0; row < (*t)->size(); ++row) {
          if ((*t)->defined[row] && !timestamp_in_range((*t)->values[row])) {
            return problem(row, "a time outside years 0001-9999");
          }
        }
      }
    }
  }
  return Status::OK();
}

}  // namespace

Status group_by_symbol(BacktestResult& result) {
  std::unordered_map<std::string, size_t> rank;
  const StringColumn& names = result.summary.symbol;
  for (size_t row = 0; row < names.size(); ++row) {
    if (names.is_null(row) || names.values[row].empty()) {
      return Status::Corruption("symbol_summary: row " + std::to_string(row) +
                                " has a null or empty symbol");
    }
    if (!rank.emplace(names.values[row], row).second) {
      return Status::Corruption("symbol_summary: symbol '" + names.values[row] +
                                "' appears more than once");
    }
  }
  BTSTORE_RETURN_IF_ERROR(group_table(result, TableKind::kSignals, rank));
  return group_table(result, TableKind::kCurve, rank);
}

Status check_tables(const BacktestResult& result) {
  BTSTORE_RETURN_IF_ERROR(check_representable(result));
  const SignalsTable& s = result.signals;
  BTSTORE_RETURN_IF_ERROR(
      check_required(TableKind::kSignals, s.symbol, s.signal_index, "signal_index", s.timestamp));
  const CurveTable& c = result.curve;
  return check_required(TableKind::kCurve, c.symbol, c.idx, "idx", c.timestamp);
}

}  // namespace btstore::model
