#include "entry_format.h"

#include <fmt/core.h>

namespace btstore::cli {

void write_entry_json(json::JsonWriter& w, const ResultEntry& e) {
  w.begin_object();
  w.key("task_id");
  w.string(e.task_id);
  w.key("strategy");
  w.string(e.strategy);
  w.key("symbols");
  w.begin_array();
  for (const auto& s : e.symbols) w.string(s);
  w.end_array();
  w.key("start_date");
  w.string(e.start_date);
  w.key("end_date");
  w.string(e.end_date);
  w.key("timeframe");
  e.timeframe ? w.string(*e.timeframe) : w.null();
  w.key("status");
  w.string(e.status);
  w.key("parquet_path");
  w.string(e.parquet_path);
  w.key("file_size");
  e.file_size ? w.number(*e.file_size) : w.null();
  w.key("record_count");
  e.record_count ? w.number(*e.record_count) : w.null();
  w.key("metadata");
  w.raw(e.metadata_json);
  w.key("created_at");
  w.string(e.created_at);
  w.key("updated_at");
  w.string(e.updated_at);
  w.end_object();
}

std::string entry_json(const ResultEntry& e) {
  json::JsonWriter w;
  write_entry_json(w, e);
  return w.take();
}

std::string symbols_cell(const std::vector<std::string>& symbols, size_t max_width) {
  std::string out;
  for (size_t i = 0; i < symbols.size(); ++i) {
    std::string next = (i ? "," : "") + symbols[i];
    if (out.size() + next.size() > max_width) {
      return out + fmt::format(" +{}", symbols.size() - i);
    }
    out += next;
  }
  return out;
}

std::string optional_cell(const std::optional<double>& v) {
  return v ? fmt::format("{:.4g}", *v) : "-";
}

}  // namespace btstore::cli
