// Catalog::list and Catalog::count: the list filters as SQL. A page is one index range scan in
// keyset order (created_at DESC, task_id DESC) that stops after limit + 1 rows, whatever the
// filter (the indexes and the symbol table are in sql/0003_list_filter_indexes.sql).
#include <algorithm>
#include <limits>
#include <tuple>

#include "catalog/catalog.h"
#include "catalog/catalog_rows.h"
#include "catalog/values.h"
#include "common/time.h"

namespace btstore::catalog {
namespace {

// Of several symbols the page scans the one whose results lie sparsest from the page's start:
// the one whose kSymbolProbeDepth-th index entry in range is oldest (or that has fewer entries
// in range). Each other symbol is then probed once per scanned entry, so the sparsest one means
// the fewest probes; a short index-only read of each symbol is enough to tell them apart.
constexpr int kSymbolProbeDepth = 100;

// WHERE clauses with their parameters; add() returns the placeholder of the value it binds.
struct Where {
  std::string sql = " WHERE TRUE";
  std::vector<Param> params;
  std::string add(Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
};

// The placeholders of a filter's bound values, so the same values can be named on any table.
struct Bound {
  std::string status, strategy, since, until, after_created_at, after_task_id, limit;
};

Status check_symbols(const ListFilter& f) {
  for (const std::string& s : f.symbols) BTSTORE_RETURN_IF_ERROR(check_text("symbol filter", s));
  return Status::OK();
}

// Checks the filter's status, strategy, since, until, cursor and limit and binds those given.
Result<Bound> bind(const ListFilter& f, Where& w) {
  Bound b;
  if (f.status) {
    BTSTORE_RETURN_IF_ERROR(detail::check_status("status filter", *f.status));
    b.status = w.add(*f.status);
  }
  if (f.strategy) {
    BTSTORE_RETURN_IF_ERROR(check_text("strategy filter", *f.strategy));
    b.strategy = w.add(*f.strategy);
  }
  for (auto [bound, out, name] :
       {std::tuple{f.since, &b.since, "since"}, std::tuple{f.until, &b.until, "until"}}) {
    if (!bound) continue;
    if (!timestamp_in_range(*bound)) {
      return Status::InvalidArgument(std::string(name) + " lies outside the years 0001-9999");
    }
    *out = w.add(format_timestamp(*bound)) + "::timestamptz";
  }
  if (!f.after.empty()) {
    BTSTORE_ASSIGN_OR_RETURN(Cursor after, parse_cursor(f.after));
    b.after_created_at = w.add(format_timestamp(after.created_at)) + "::timestamptz";
    b.after_task_id = w.add(after.task_id) + "::uuid";
  }
  if (f.limit) {
    if (*f.limit < 1 || *f.limit == std::numeric_limits<int64_t>::max()) {
      return Status::InvalidArgument("list limit must be a positive number, not " +
                                     std::to_string(*f.limit));
    }
    // One row more than asked tells whether another page follows.
    b.limit = w.add(std::to_string(*f.limit + 1)) + "::bigint";
  }
  return b;
}

// " AND ..." for the bound strategy, since, until and cursor (and status when `with_status`)
// on the columns of `alias` ("" for backtest_results itself).
std::string conditions(const Bound& b, std::string_view alias, bool with_status) {
  std::string a(alias), sql;
  if (with_status && !b.status.empty()) sql += " AND " + a + "status = " + b.status;
  if (!b.strategy.empty()) sql += " AND " + a + "strategy = " + b.strategy;
  if (!b.since.empty()) sql += " AND " + a + "created_at >= " + b.since;
  if (!b.until.empty()) sql += " AND " + a + "created_at < " + b.until;
  if (!b.after_created_at.empty()) {
    sql += " AND (" + a + "created_at, " + a + "task_id) < (" + b.after_created_at + ", " +
           b.after_task_id + ")";
  }
  return sql;
}

// ORDER BY the keyset, newest first, and the LIMIT when there is one.
std::string order_limit(const Bound& b, std::string_view alias) {
  std::string a(alias);
  // Qualified: a bare task_id would name the task_id::text output column and sort as text.
  std::string tail = " ORDER BY " + a + "created_at DESC, " + a + "task_id DESC";
  if (!b.limit.empty()) tail += " LIMIT " + b.limit;
  return tail;
}

// The symbol the page scans (its placeholder when there is one symbol): of several, the
// sparsest in the page's range (kSymbolProbeDepth), ties to the first given. Part of the page's
// statement, so choosing costs no round trip and follows the cursor page by page.
std::string lead_symbol(const std::vector<std::string>& symbols, const Bound& b) {
  if (symbols.size() == 1) return symbols[0];
  std::string values;
  for (size_t i = 0; i < symbols.size(); ++i) {
    values += (i == 0 ? "(" : ", (") + std::to_string(i) + ", " + symbols[i] + "::text)";
  }
  return "(SELECT u.symbol FROM (VALUES " + values +
         ") AS u(i, symbol) ORDER BY (SELECT x.created_at FROM backtest_result_symbols x "
         "WHERE x.symbol = u.symbol" +
         conditions(b, "x.", false) + order_limit({}, "x.") + " OFFSET " +
         std::to_string(kSymbolProbeDepth - 1) + " LIMIT 1) NULLS FIRST, u.i LIMIT 1)";
}

// Symbols: the keyset range of one symbol in backtest_result_symbols, every other symbol probed
// by primary key, status and strategy read from the index; then the page's rows by id. The
// probes are scalar subqueries so that no plan swaps them for a hash of a symbol's every entry.
Result<std::pair<std::string, std::vector<Param>>> symbol_query(const ListFilter& f) {
  Where w;
  std::vector<std::string> distinct;
  for (const std::string& s : f.symbols) {
    if (std::find(distinct.begin(), distinct.end(), s) == distinct.end()) distinct.push_back(s);
  }
  std::vector<std::string> symbols;  // their placeholders
  for (const std::string& s : distinct) symbols.push_back(w.add(s));
  BTSTORE_ASSIGN_OR_RETURN(Bound b, bind(f, w));
  w.sql += " AND s.symbol = " + lead_symbol(symbols, b);
  for (size_t i = 0; symbols.size() > 1 && i < symbols.size(); ++i) {
    w.sql += " AND (s.symbol = " + symbols[i] +
             " OR (SELECT TRUE FROM backtest_result_symbols p WHERE p.symbol = " + symbols[i] +
             " AND p.created_at = s.created_at AND p.task_id = s.task_id))";
  }
  w.sql += conditions(b, "s.", true);
  std::string sql = "SELECT " + std::string(detail::kColumns) +
                    " FROM (SELECT s.created_at AS k_created_at, s.task_id AS k_task_id "
                    "FROM backtest_result_symbols s" +
                    w.sql + order_limit(b, "s.") +
                    ") k JOIN backtest_results r ON r.task_id = k.k_task_id "
                    "ORDER BY k.k_created_at DESC, k.k_task_id DESC";
  return std::pair{std::move(sql), std::move(w.params)};
}

Result<std::pair<std::string, std::vector<Param>>> plain_query(const ListFilter& f) {
  Where w;
  BTSTORE_ASSIGN_OR_RETURN(Bound b, bind(f, w));
  w.sql += conditions(b, "backtest_results.", true);
  return std::pair{"SELECT " + std::string(detail::kColumns) + " FROM backtest_results" + w.sql +
                       order_limit(b, "backtest_results."),
                   std::move(w.params)};
}

}  // namespace

Result<ListPage> Catalog::list(const ListFilter& filter) {
  BTSTORE_RETURN_IF_ERROR(check_symbols(filter));
  auto query = filter.symbols.empty() ? plain_query(filter) : symbol_query(filter);
  if (!query.ok()) return query.status();
  BTSTORE_ASSIGN_OR_RETURN(QueryResult result, conn_.exec_prepared(query->first, query->second));
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
  ListFilter f = filter;  // every row: no cursor or limit
  f.after.clear();
  f.limit.reset();
  BTSTORE_ASSIGN_OR_RETURN(Bound b, bind(f, w));
  w.sql += conditions(b, "", true);
  if (!filter.symbols.empty()) {
    w.sql += " AND symbols @> " + w.add(encode_string_array(filter.symbols)) + "::jsonb";
  }
  BTSTORE_ASSIGN_OR_RETURN(QueryResult result,
                           conn_.exec("SELECT count(*) FROM backtest_results" + w.sql, w.params));
  return parse_int64(result.rows.at(0).at(0).value_or("")).value_or(0);
}

}  // namespace btstore::catalog
