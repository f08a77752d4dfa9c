#include "model/schema.h"

namespace btstore::model {
namespace {

constexpr FieldSpec kSummaryFields[] = {
    {"symbol", FieldType::kString},         {"win_rate", FieldType::kDouble},
    {"avg_return", FieldType::kDouble},     {"max_return", FieldType::kDouble},
    {"min_return", FieldType::kDouble},     {"max_drawdown", FieldType::kDouble},
    {"avg_hold_bars", FieldType::kDouble},  {"total_signals", FieldType::kInt32},
    {"winning_signals", FieldType::kInt32}, {"losing_signals", FieldType::kInt32},
    {"total_pnl", FieldType::kDouble},      {"total_pnl_pct", FieldType::kDouble},
};

constexpr FieldSpec kSignalsFields[] = {
    {"symbol", FieldType::kString},          {"signal_index", FieldType::kInt32},
    {"timestamp", FieldType::kTimestamp},    {"type", FieldType::kString},
    {"entry_price", FieldType::kDouble},     {"exit_price", FieldType::kDouble},
    {"quantity", FieldType::kDouble},        {"return_pct", FieldType::kDouble},
    {"hold_bars", FieldType::kInt32},        {"fee_amount", FieldType::kDouble},
    {"slippage_amount", FieldType::kDouble}, {"status", FieldType::kString},
};

constexpr FieldSpec kCurveFields[] = {
    {"symbol", FieldType::kString},
    {"idx", FieldType::kInt32},
    {"timestamp", FieldType::kTimestamp},
    {"equity", FieldType::kDouble},
    {"drawdown", FieldType::kDouble},
    {"cumulative_pnl", FieldType::kDouble},
    {"cumulative_pnl_pct", FieldType::kDouble},
};

// Lists a table's members in schema order; Fn receives a pointer to each column.
template <typename Table, typename Fn>
void for_each_column(Table& t, TableKind kind, Fn&& fn) {
  if constexpr (requires { t.win_rate; }) {
    (void)kind;
    fn(&t.symbol), fn(&t.win_rate), fn(&t.avg_return), fn(&t.max_return), fn(&t.min_return),
        fn(&t.max_drawdown), fn(&t.avg_hold_bars), fn(&t.total_signals), fn(&t.winning_signals),
        fn(&t.losing_signals), fn(&t.total_pnl), fn(&t.total_pnl_pct);
  } else if constexpr (requires { t.signal_index; }) {
    fn(&t.symbol), fn(&t.signal_index), fn(&t.timestamp), fn(&t.type), fn(&t.entry_price),
        fn(&t.exit_price), fn(&t.quantity), fn(&t.return_pct), fn(&t.hold_bars), fn(&t.fee_amount),
        fn(&t.slippage_amount), fn(&t.status);
  } else {
    fn(&t.symbol), fn(&t.idx), fn(&t.timestamp), fn(&t.equity), fn(&t.drawdown),
        fn(&t.cumulative_pnl), fn(&t.cumulative_pnl_pct);
  }
}

template <typename Result, typename View>
void fill(Result& result, TableKind kind, View& view) {
  auto add = [&](auto* column) { view.columns.push_back(column); };
  switch (kind) {
    case TableKind::kSummary: for_each_column(result.summary, kind, add); break;
    case TableKind::kSignals: for_each_column(result.signals, kind, add); break;
    case TableKind::kCurve: for_each_column(result.curve, kind, add); break;
  }
}

}  // namespace

std::string_view field_type_name(FieldType type) {
  switch (type) {
    case FieldType::kString: return "string";
    case FieldType::kDouble: return "double";
    case FieldType::kInt32: return "int32";
    case FieldType::kTimestamp: return "timestamp[us]";
  }
  return "?";
}

std::string_view table_name(TableKind kind) {
  switch (kind) {
    case TableKind::kSummary: return "symbol_summary";
    case TableKind::kSignals: return "symbol_signals";
    case TableKind::kCurve: return "performance_curve";
  }
  return "?";
}

std::span<const FieldSpec> table_fields(TableKind kind) {
  switch (kind) {
    case TableKind::kSummary: return kSummaryFields;
    case TableKind::kSignals: return kSignalsFields;
    case TableKind::kCurve: return kCurveFields;
  }
  return {};
}

ConstTableView view(const BacktestResult& result, TableKind kind) {
  ConstTableView out{kind, {}, 0};
  fill(result, kind, out);
  switch (kind) {
    case TableKind::kSummary: out.num_rows = result.summary.num_rows(); break;
    case TableKind::kSignals: out.num_rows = result.signals.num_rows(); break;
    case TableKind::kCurve: out.num_rows = result.curve.num_rows(); break;
  }
  return out;
}

TableView mutable_view(BacktestResult& result, TableKind kind) {
  TableView out{kind, {}};
  fill(result, kind, out);
  return out;
}

}  // namespace btstore::model
