// Compares btstore's reading of any Parquet file (`btstore parquet-cat`) with
// DuckDB's (dump_duckdb_any.mjs), column by column, for the type pairs whose
// values both can express exactly. Every column that is not compared is listed
// with the reason, so the test log says what the conformance run did not prove.
#pragma once

#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "canonical_doc.h"

namespace btstore::interop {

__extension__ using Int128 = __int128;

struct Comparison {
  std::vector<std::string> problems;    // values or shape that differ: a failure
  std::vector<std::string> exclusions;  // columns or cells not compared, with the reason
  size_t compared_columns = 0;
};

// How two non-null cells relate.
enum class CellMatch { kEqual, kDiffer, kOutOfRange };

namespace internal {

inline std::optional<Int128> parse_int128(const Cell& c) {
  const auto* s = std::get_if<std::string>(&c);
  if (s == nullptr || s->empty()) return std::nullopt;
  Int128 v = 0;
  size_t i = (*s)[0] == '-' ? 1 : 0;
  if (i == s->size() || s->size() > 40) return std::nullopt;
  for (; i < s->size(); ++i) {
    if ((*s)[i] < '0' || (*s)[i] > '9') return std::nullopt;
    v = v * 10 + ((*s)[i] - '0');
  }
  return (*s)[0] == '-' ? -v : v;
}

inline bool same_double(const Cell& a, const Cell& b) {
  const auto* sa = std::get_if<std::string>(&a);
  const auto* sb = std::get_if<std::string>(&b);
  double x, y;
  if (sa == nullptr || sb == nullptr || !parse_double_text(*sa, &x) ||
      !parse_double_text(*sb, &y)) {
    return false;
  }
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(y);
}

// "timestamp[ms, tz=UTC]" -> unit "ms", tz ", tz=UTC"; false when not a timestamp.
inline bool split_timestamp(const std::string& type, std::string* unit, std::string* tz) {
  if (type.rfind("timestamp[", 0) != 0 || type.back() != ']') return false;
  std::string inner = type.substr(10, type.size() - 11);
  size_t comma = inner.find(',');
  *unit = inner.substr(0, comma);
  *tz = comma == std::string::npos ? "" : inner.substr(comma);
  return true;
}

inline Int128 unit_factor(const std::string& unit) {
  if (unit == "s") return 1'000'000'000;
  if (unit == "ms") return 1'000'000;
  if (unit == "us") return 1'000;
  return 1;  // ns
}

using CellEqual = std::function<CellMatch(const Cell& btstore, const Cell& duckdb)>;

inline CellMatch match(bool equal) { return equal ? CellMatch::kEqual : CellMatch::kDiffer; }

constexpr Int128 kInt64Min = static_cast<Int128>(INT64_MIN);
constexpr Int128 kInt64Max = static_cast<Int128>(INT64_MAX);

// How cells of a (btstore type, DuckDB type) pair compare, or why they do not.
inline std::optional<CellEqual> cell_comparator(const std::string& bt, const std::string& dk,
                                                std::string* why_not) {
  static const char* kExact[] = {"string", "binary", "bool",   "int8",   "int16",  "int32", "int64",
                                 "uint8",  "uint16", "uint32", "uint64", "date32", "uuid"};
  for (const char* t : kExact) {
    if (bt == t && dk == t)
      return CellEqual([](const Cell& a, const Cell& b) { return match(a == b); });
  }
  if (bt.rfind("decimal(", 0) == 0 && bt == dk) {
    return CellEqual([](const Cell& a, const Cell& b) { return match(a == b); });
  }
  bool bt_float = bt == "double" || bt == "float" || bt == "halffloat";
  if (bt_float && (dk == bt || (bt == "halffloat" && dk == "float"))) {
    return CellEqual([](const Cell& a, const Cell& b) { return match(same_double(a, b)); });
  }
  std::string bt_unit, bt_tz, dk_unit, dk_tz;
  if (split_timestamp(bt, &bt_unit, &bt_tz) && split_timestamp(dk, &dk_unit, &dk_tz)) {
    if (bt_tz != dk_tz) {
      *why_not = "time zones differ";
      return std::nullopt;
    }
    // Both to nanoseconds; a finer unit on btstore's side is floored to
    // DuckDB's (DuckDB reads INT96 into microseconds). btstore prints INT96
    // exactly in 128 bits; a value DuckDB's int64 cannot hold is not compared
    // (DuckDB wraps it, other readers wrap it differently).
    Int128 bf = unit_factor(bt_unit), df = unit_factor(dk_unit);
    return CellEqual([bf, df](const Cell& a, const Cell& b) {
      auto x = parse_int128(a), y = parse_int128(b);
      if (!x || !y) return CellMatch::kDiffer;
      Int128 xn = *x * bf, yn = *y * df;
      if (bf >= df) return match(xn == yn);
      Int128 floor_x = xn - (((xn % df) + df) % df);
      if (floor_x / df < kInt64Min || floor_x / df > kInt64Max) return CellMatch::kOutOfRange;
      return match(floor_x == yn);
    });
  }
  *why_not = "no exact mapping between the two types";
  return std::nullopt;
}

inline CellMatch cell_or_null_match(const CellEqual& eq, const Cell& a, const Cell& b) {
  bool an = std::holds_alternative<std::monostate>(a),
       bn = std::holds_alternative<std::monostate>(b);
  if (an || bn) return match(an == bn);
  return eq(a, b);
}

}  // namespace internal

// btstore's document against DuckDB's; `max_problems` caps the list.
inline Comparison compare_documents(const Document& bt, const Document& dk,
                                    size_t max_problems = 10) {
  Comparison out;
  if (bt.schema.size() != dk.schema.size()) {
    out.problems.push_back("btstore has " + std::to_string(bt.schema.size()) + " columns, DuckDB " +
                           std::to_string(dk.schema.size()));
    return out;
  }
  if (bt.rows.size() != dk.rows.size()) {
    out.problems.push_back("btstore has " + std::to_string(bt.rows.size()) + " rows, DuckDB " +
                           std::to_string(dk.rows.size()));
    return out;
  }
  for (size_t c = 0; c < bt.schema.size(); ++c) {
    const std::string& name = bt.schema[c].name;
    if (name != dk.schema[c].name) {
      out.problems.push_back("column " + std::to_string(c) + " is '" + name + "' in btstore, '" +
                             dk.schema[c].name + "' in DuckDB");
      continue;
    }
    std::string why;
    auto eq = internal::cell_comparator(bt.schema[c].type, dk.schema[c].type, &why);
    if (!eq) {
      out.exclusions.push_back(name + " (btstore " + bt.schema[c].type + ", DuckDB " +
                               dk.schema[c].type + "): " + why);
      continue;
    }
    ++out.compared_columns;
    for (size_t r = 0; r < bt.rows.size() && out.problems.size() < max_problems; ++r) {
      if (bt.rows[r].size() != bt.schema.size() || dk.rows[r].size() != dk.schema.size()) {
        out.problems.push_back("row " + std::to_string(r) + " has the wrong number of cells");
        break;
      }
      const Cell& a = bt.rows[r][c];
      const Cell& b = dk.rows[r][c];
      switch (internal::cell_or_null_match(*eq, a, b)) {
        case CellMatch::kEqual: break;
        case CellMatch::kDiffer:
          out.problems.push_back(name + " row " + std::to_string(r) + ": btstore " + cell_text(a) +
                                 ", DuckDB " + cell_text(b));
          break;
        case CellMatch::kOutOfRange:
          out.exclusions.push_back(
              name + " row " + std::to_string(r) + ": btstore " + cell_text(a) +
              " is outside DuckDB's int64 range (DuckDB: " + cell_text(b) + ")");
          break;
      }
    }
  }
  return out;
}

}  // namespace btstore::interop
