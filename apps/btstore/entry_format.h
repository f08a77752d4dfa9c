// How catalog entries look: a JSON object for scripts, table cells for people.
#pragma once

#include <string>

#include "btstore/storage.h"
#include "json/json_writer.h"

namespace btstore::cli {

void write_entry_json(json::JsonWriter& w, const ResultEntry& e);
std::string entry_json(const ResultEntry& e);
std::string symbols_cell(const std::vector<std::string>& symbols, size_t max_width);
std::string optional_cell(const std::optional<double>& v);

}  // namespace btstore::cli
