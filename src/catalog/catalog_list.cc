// Catalog::list and Catalog::count: the list filters as SQL. A page is one index range scan in
// keyset order (created_at DESC, task_id DESC) that stops after limit + 1 rows, whatever the
// filter (the indexes and the symbol table are in sql/0003_list_filter_indexes.sql).
#include <limits>
#include <tuple>

#include "catalog/catalog.h"
#include "catalog/catalog_rows.h"
#include "catalog/values.h"
#include "common/time.h"

namespace btstore::catalog {
namespace {

// Index entries read per symbol to find the rarest of several symbols: enough to tell a rare
// symbol from a common one, cheap (an index-only range) either way.
constexpr int kSymbolProbeRows = 1000;

// WHERE clauses with their parameters; add() returns the placeholder of the value it binds.
struct Where {
  std::string sql = " WHERE TRUE";
  std::vector<Param> params;
  std::string add(Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
};

Status check_symbols(const ListFilter& f) {
  for (const std::string& s : f.symbols) BTSTORE_RETURN_IF_ERROR(check_text("symbol filter", s));
  return Status::OK();
}

// Status, strategy, since and until on the columns of `alias` ("" for backtest_results itself).
Status add_filters(const ListFilter& f, std::string_view alias, Where& w) {
  std::string a(alias);
  if (f.status) {
    BTSTORE_RETURN_IF_ERROR(detail::check_status("status filter", *f.status));
    w.sql += " AND " + a + "status = " + w.add(*f.status);
  }
  if (f.strategy) {
    BTSTORE_RETURN_IF_ERROR(check_text("strategy filter", *f.strategy));
    w.sql += " AND " + a + "strategy = " + w.add(*f.strategy);
  }
  for (auto [bound, op, name] : {std::tuple{f.since, ">=", "since"}, {f.until, "<", "until"}}) {
    if (!bound) continue;
    if (!timestamp_in_range(*bound)) {
      return Status::InvalidArgument(std::string(name) + " lies outside the years 0001-9999");
    }
    w.sql +=
        " AND " + a + "created_at " + op + " " + w.add(format_timestamp(*bound)) + "::timestamptz";
  }
  return Status::OK();
}

// The keyset condition and ORDER BY ... LIMIT of one page.
Result<std::string> add_page(const ListFilter& f, std::string_view alias, Where& w) {
  std::string a(alias);
  if (!f.after.empty()) {
    BTSTORE_ASSIGN_OR_RETURN(Cursor after, parse_cursor(f.after));
    std::string ts = w.add(format_timestamp(after.created_at));
    std::string id = w.add(after.task_id);
    w.sql += " AND (" + a + "created_at, " + a + "task_id) < (" + ts + "::timestamptz, " + id +
             "::uuid)";
  }
  // Qualified: a bare task_id would name the task_id::text output column and sort as text.
  std::string tail = " ORDER BY " + a + "created_at DESC, " + a + "task_id DESC";
  if (f.limit) {
    if (*f.limit < 1 || *f.limit == std::numeric_limits<int64_t>::max()) {
      return Status::InvalidArgument("list limit must be a positive number, not " +
                                     std::to_string(*f.limit));
    }
    // One row more than asked tells whether another page follows.
    tail += " LIMIT " + w.add(std::to_string(*f.limit + 1)) + "::bigint";
  }
  return tail;
}

// The position in f.symbols of the symbol held by the fewest results (of f.strategy, when
// set), counting at most kSymbolProbeRows of each: the page scans that symbol's range.
Result<size_t> rarest_symbol(Connection& conn, const ListFilter& f) {
  if (f.symbols.size() < 2) return 0;
  std::vector<Param> params = {encode_string_array(f.symbols)};
  std::string strategy;
  if (f.strategy) {
    params.push_back(*f.strategy);
    strategy = " AND s.strategy = $2";
  }
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult r,
      conn.exec("SELECT u.i - 1 FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY "
                "AS u(symbol, i) ORDER BY (SELECT count(*) FROM (SELECT 1 FROM "
                "backtest_result_symbols s WHERE s.symbol = u.symbol" +
                    strategy + " LIMIT " + std::to_string(kSymbolProbeRows) + ") c), u.i LIMIT 1",
                params));
  std::optional<int64_t> i = r.rows.empty() ? std::nullopt : parse_int64(r.rows[0][0].value_or(""));
  if (!i || *i < 0 || static_cast<size_t>(*i) >= f.symbols.size()) {
    return Status::Internal("choosing the rarest list symbol returned no position");
  }
  return static_cast<size_t>(*i);
}

// Symbols: the keyset range of the rarest symbol in backtest_result_symbols, the other symbols
// probed by primary key, status and strategy read from the index; then the page's rows by id.
Result<std::pair<std::string, std::vector<Param>>> symbol_query(Connection& conn,
                                                                const ListFilter& f) {
  BTSTORE_ASSIGN_OR_RETURN(size_t lead, rarest_symbol(conn, f));
  Where w;
  w.sql += " AND s.symbol = " + w.add(f.symbols[lead]);
  for (size_t i = 0; i < f.symbols.size(); ++i) {
    if (i == lead || f.symbols[i] == f.symbols[lead]) continue;
    w.sql +=
        " AND (SELECT TRUE FROM backtest_result_symbols p WHERE p.symbol = " + w.add(f.symbols[i]) +
        " AND p.created_at = s.created_at AND p.task_id = s.task_id)";
  }
  BTSTORE_RETURN_IF_ERROR(add_filters(f, "s.", w));
  BTSTORE_ASSIGN_OR_RETURN(std::string tail, add_page(f, "s.", w));
  std::string sql = "SELECT " + std::string(detail::kColumns) +
                    " FROM (SELECT s.created_at AS k_created_at, s.task_id AS k_task_id "
                    "FROM backtest_result_symbols s" +
                    w.sql + tail +
                    ") k JOIN backtest_results r ON r.task_id = k.k_task_id "
                    "ORDER BY k.k_created_at DESC, k.k_task_id DESC";
  return std::pair{std::move(sql), std::move(w.params)};
}

Result<std::pair<std::string, std::vector<Param>>> plain_query(const ListFilter& f) {
  Where w;
  BTSTORE_RETURN_IF_ERROR(add_filters(f, "", w));
  BTSTORE_ASSIGN_OR_RETURN(std::string tail, add_page(f, "backtest_results.", w));
  return std::pair{
      "SELECT " + std::string(detail::kColumns) + " FROM backtest_results" + w.sql + tail,
      std::move(w.params)};
}

}  // namespace

Result<ListPage> Catalog::list(const ListFilter& filter) {
  BTSTORE_RETURN_IF_ERROR(check_symbols(filter));
  auto query = filter.symbols.empty() ? plain_query(filter) : symbol_query(conn_, filter);
  if (!query.ok()) return query.status();
  BTSTORE_ASSIGN_OR_RETURN(QueryResult result, conn_.exec(query->first, query->second));
  ListPage page;
  BTSTORE_ASSIGN_OR_RETURN(page.records, detail::decode_rows(result));
  if (filter.limit && static_cast<int64_t>(page.records.size()) > *filter.limit) {
    page.records.pop_back();
    const CatalogRecord& last = page.records.back();
    page.next_cursor = format_cursor({last.created_at, last.task_id});
  }
  return page;
}

Result<int64_t> Catalog::count(const ListFilter& filter) {
  BTSTORE_RETURN_IF_ERROR(check_symbols(filter));
  Where w;
  BTSTORE_RETURN_IF_ERROR(add_filters(filter, "", w));
  if (!filter.symbols.empty()) {
    w.sql += " AND symbols @> " + w.add(encode_string_array(filter.symbols)) + "::jsonb";
  }
  BTSTORE_ASSIGN_OR_RETURN(QueryResult result,
                           conn_.exec("SELECT count(*) FROM backtest_results" + w.sql, w.params));
  return parse_int64(result.rows.at(0).at(0).value_or("")).value_or(0);
}

}  // namespace btstore::catalog
