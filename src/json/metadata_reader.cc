#include <unordered_set>

#include "json/json_writer.h"
#include "json/section_readers.h"

namespace btstore::json {
namespace {

using simdjson::SUCCESS;

void copy_value(DocumentReader& r, ondemand::value& v, JsonWriter& w, int depth);

void report_nul(DocumentReader& r, std::string_view what) {
  r.report(std::string(what) + " contains U+0000, which PostgreSQL jsonb cannot store");
}

void copy_object(DocumentReader& r, ondemand::object& object, JsonWriter& w, int depth) {
  std::unordered_set<std::string_view> keys;
  w.begin_object();
  for (auto member : object) {
    if (r.stopped()) return;
    ondemand::field field;
    std::string_view key;
    if (!r.check(std::move(member).get(field)) || !r.check(field.unescaped_key().get(key))) return;
    PathScope scope(r.path(), key);
    if (!keys.insert(key).second) {
      r.report("duplicate key; each key may appear only once in an object");
      continue;
    }
    if (key.find('\0') != std::string_view::npos) report_nul(r, "the key");
    w.key(key);
    copy_value(r, field.value(), w, depth + 1);
  }
  w.end_object();
}

void copy_array(DocumentReader& r, ondemand::array& array, JsonWriter& w, int depth) {
  size_t index = 0;
  w.begin_array();
  for (auto element : array) {
    if (r.stopped()) return;
    ondemand::value v;
    if (!r.check(std::move(element).get(v))) return;
    PathScope scope(r.path(), index++);
    copy_value(r, v, w, depth + 1);
  }
  w.end_array();
}

void copy_scalar(DocumentReader& r, ondemand::value& v, ondemand::json_type type, JsonWriter& w) {
  switch (type) {
    case ondemand::json_type::string: {
      std::string_view s;
      if (r.read_string(v, false, s) != ReadOutcome::kValue) return;
      if (s.find('\0') != std::string_view::npos) report_nul(r, "the string");
      w.string(s);
      return;
    }
    case ondemand::json_type::number: {
      // Kept as written: metadata numbers may exceed a double (ids, decimals).
      const std::string_view token = trimmed_token(v);
      if (!is_json_number(token)) {
        r.report(token_for_message(token) + " at " + r.location(token.data()) +
                 " is not a valid JSON number");
      }
      w.raw(token);
      return;
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b) != SUCCESS) return r.report_bad_token(trimmed_token(v));
      w.boolean(b);
      return;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (v.is_null().get(is_null) != SUCCESS || !is_null) {
        return r.report_bad_token(trimmed_token(v));
      }
      w.null();
      return;
    }
    default: return;
  }
}

void copy_value(DocumentReader& r, ondemand::value& v, JsonWriter& w, int depth) {
  ondemand::json_type type;
  if (!r.peek_type(v, type)) return;
  const bool container = type == ondemand::json_type::object || type == ondemand::json_type::array;
  if (container && depth > kMaxMetadataDepth) {
    r.report("metadata is nested deeper than " + std::to_string(kMaxMetadataDepth) + " levels");
    return;
  }
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    if (r.check(v.get_object().get(object))) copy_object(r, object, w, depth);
  } else if (type == ondemand::json_type::array) {
    ondemand::array array;
    if (r.check(v.get_array().get(array))) copy_array(r, array, w, depth);
  } else {
    copy_scalar(r, v, type, w);
  }
}

}  // namespace

void read_metadata(DocumentReader& reader, ondemand::value& value, std::string& out) {
  ondemand::object object;
  if (reader.read_object(value, false, object) != ReadOutcome::kValue) return;
  JsonWriter w;
  copy_object(reader, object, w, 1);
  out = w.take();
}

}  // namespace btstore::json
