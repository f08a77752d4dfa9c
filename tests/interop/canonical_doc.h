// The canonical document of tests/interop/canonical.mjs, parsed in C++:
//   {"schema":[{"name":..,"type":..},..],"rows":[[..],..]}  or  {"error":".."}
// and compared with a table of the model. Doubles are JSON strings holding
// shortest round-trip text, parsed back bit-exactly; int64 and timestamps are
// integer strings; int32 are numbers.
#pragma once

#include <simdjson.h>

#include <bit>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "model/schema.h"

namespace btstore::interop {

using Cell = std::variant<std::monostate, std::string, int64_t, bool>;

struct DocField {
  std::string name, type;
};

struct Document {
  std::string error;  // set for {"error":..} and for a line that is not a document
  std::vector<DocField> schema;
  std::vector<std::vector<Cell>> rows;
};

inline std::string cell_text(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "null";
  if (const auto* s = std::get_if<std::string>(&c)) return "\"" + *s + "\"";
  if (const auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  return std::get<bool>(c) ? "true" : "false";
}

inline bool parse_double_text(std::string_view text, double* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

inline bool parse_int64_text(std::string_view text, int64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

namespace internal {

inline simdjson::error_code parse_cell(simdjson::ondemand::value v, Cell* out) {
  simdjson::ondemand::json_type type;
  if (auto err = v.type().get(type)) return err;
  switch (type) {
    case simdjson::ondemand::json_type::null: *out = std::monostate{}; return simdjson::SUCCESS;
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto err = v.get_string().get(s)) return err;
      *out = std::string(s);
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b;
      if (auto err = v.get_bool().get(b)) return err;
      *out = b;
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::number: {
      int64_t i;
      if (auto err = v.get_int64().get(i)) return err;
      *out = i;
      return simdjson::SUCCESS;
    }
    default: return simdjson::INCORRECT_TYPE;
  }
}

inline simdjson::error_code parse_document(simdjson::ondemand::document& doc, Document* out) {
  simdjson::ondemand::object obj;
  if (auto err = doc.get_object().get(obj)) return err;
  for (auto member : obj) {
    std::string_view key;
    if (auto err = member.unescaped_key().get(key)) return err;
    if (key == "error") {
      std::string_view e;
      if (auto err = member.value().get_string().get(e)) return err;
      out->error = std::string(e);
    } else if (key == "schema") {
      simdjson::ondemand::array fields;
      if (auto err = member.value().get_array().get(fields)) return err;
      for (auto f : fields) {
        std::string_view name, type;
        if (auto err = f["name"].get_string().get(name)) return err;
        if (auto err = f["type"].get_string().get(type)) return err;
        out->schema.push_back({std::string(name), std::string(type)});
      }
    } else if (key == "rows") {
      simdjson::ondemand::array rows;
      if (auto err = member.value().get_array().get(rows)) return err;
      for (auto row : rows) {
        simdjson::ondemand::array cells;
        if (auto err = row.get_array().get(cells)) return err;
        auto& r = out->rows.emplace_back();
        for (auto c : cells) {
          simdjson::ondemand::value v;
          if (auto err = c.get(v)) return err;
          if (auto err = parse_cell(v, &r.emplace_back())) return err;
        }
      }
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace internal

// Parses one document per non-empty line (a single document is one line).
inline std::vector<Document> parse_documents(std::string_view text) {
  std::vector<Document> docs;
  simdjson::ondemand::parser parser;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    Document& d = docs.emplace_back();
    simdjson::ondemand::document doc;
    auto err = parser.iterate(padded).get(doc);
    if (!err) err = internal::parse_document(doc, &d);
    if (err) d.error = std::string("unparsable document: ") + simdjson::error_message(err);
  }
  return docs;
}

// Compares one model value with its cell; returns "" when equal, else why not.
inline std::string compare_cell(const model::ConstColumnPtr& column, size_t row, const Cell& cell) {
  return std::visit(
      [&](const auto* col) -> std::string {
        if (col->is_null(row)) {
          return std::holds_alternative<std::monostate>(cell) ? "" : "expected null";
        }
        using T = std::decay_t<decltype(col->values[0])>;
        const T& want = col->values[row];
        if constexpr (std::is_same_v<T, std::string>) {
          const auto* s = std::get_if<std::string>(&cell);
          return s != nullptr && *s == want ? "" : "expected \"" + want + "\"";
        } else if constexpr (std::is_same_v<T, double>) {
          const auto* s = std::get_if<std::string>(&cell);
          double got;
          if (s == nullptr || !parse_double_text(*s, &got)) return "expected a double string";
          if (std::bit_cast<uint64_t>(got) == std::bit_cast<uint64_t>(want)) return "";
          char buf[64];
          auto r = std::to_chars(buf, buf + sizeof buf, want);
          return "expected " + std::string(buf, r.ptr) + " (bit-exact)";
        } else if constexpr (std::is_same_v<T, int32_t>) {
          const auto* i = std::get_if<int64_t>(&cell);
          return i != nullptr && *i == want ? "" : "expected " + std::to_string(want);
        } else {
          const auto* s = std::get_if<std::string>(&cell);
          int64_t got;
          return s != nullptr && parse_int64_text(*s, &got) && got == want
                     ? ""
                     : "expected " + std::to_string(want) + " us";
        }
      },
      column);
}

// Every difference between a table of the model and a reader's document (at
// most `limit`), each naming the column and row; empty when they are equal.
inline std::vector<std::string> compare_with_table(const Document& doc,
                                                   const model::ConstTableView& table,
                                                   size_t limit = 20) {
  std::vector<std::string> problems;
  if (!doc.error.empty()) return {"reader failed: " + doc.error};
  auto fields = model::table_fields(table.kind);
  if (doc.schema.size() != fields.size()) {
    return {"schema has " + std::to_string(doc.schema.size()) + " fields, expected " +
            std::to_string(fields.size())};
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string want_type(model::field_type_name(fields[i].type));
    if (doc.schema[i].name != fields[i].name || doc.schema[i].type != want_type) {
      problems.push_back("field " + std::to_string(i) + ": got " + doc.schema[i].name + " " +
                         doc.schema[i].type + ", expected " + std::string(fields[i].name) + " " +
                         want_type);
    }
  }
  if (doc.rows.size() != table.num_rows) {
    problems.push_back("got " + std::to_string(doc.rows.size()) + " rows, expected " +
                       std::to_string(table.num_rows));
  }
  if (!problems.empty()) return problems;
  for (size_t r = 0; r < doc.rows.size() && problems.size() < limit; ++r) {
    if (doc.rows[r].size() != fields.size()) {
      problems.push_back("row " + std::to_string(r) + " has " + std::to_string(doc.rows[r].size()) +
                         " cells");
      continue;
    }
    for (size_t c = 0; c < fields.size() && problems.size() < limit; ++c) {
      std::string why = compare_cell(table.columns[c], r, doc.rows[r][c]);
      if (!why.empty()) {
        problems.push_back("row " + std::to_string(r) + " " + std::string(fields[c].name) +
                           ": got " + cell_text(doc.rows[r][c]) + ", " + why);
      }
    }
  }
  return problems;
}

}  // namespace btstore::interop
