#include "json/task_id_probe.h"

#include <simdjson.h>

namespace btstore::json {

std::optional<std::string> probe_task_id(std::string_view document) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(document);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) return std::nullopt;
  std::string_view value;
  if (root.find_field_unordered("task_id").get_string().get(value)) return std::nullopt;
  return std::string(value);
}

}  // namespace btstore::json
