#include "json/manifest_json.h"

#include <simdjson.h>

#include "json/json_writer.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

using simdjson::ondemand::object;

Status field_error(std::string_view path, std::string_view problem) {
  return Status::Corruption("metadata.json: " + std::string(path) + ": " + std::string(problem));
}

Status get_string(object& obj, std::string_view key, std::string& out) {
  std::string_view v;
  if (obj[key].get_string().get(v)) return field_error(key, "missing or not a string");
  out = v;
  return Status::OK();
}

Status get_int(object& obj, std::string_view path, std::string_view key, int64_t& out) {
  if (obj[key].get_int64().get(out)) {
    return field_error(std::string(path) + "." + std::string(key), "missing or not an integer");
  }
  return Status::OK();
}

Status parse_header(object result, model::ResultHeader& h) {
  BTSTORE_RETURN_IF_ERROR(get_string(result, "strategy", h.strategy));
  simdjson::ondemand::value timeframe;
  simdjson::ondemand::json_type type;
  if (result["timeframe"].get(timeframe) || timeframe.type().get(type)) {
    return field_error("result.timeframe", "missing");
  }
  if (type != simdjson::ondemand::json_type::null) {
    std::string_view tf;
    if (timeframe.get_string().get(tf)) return field_error("result.timeframe", "not a string");
    h.timeframe = std::string(tf);
  }
  BTSTORE_RETURN_IF_ERROR(get_string(result, "start_date", h.start_date));
  BTSTORE_RETURN_IF_ERROR(get_string(result, "end_date", h.end_date));
  BTSTORE_RETURN_IF_ERROR(get_string(result, "status", h.status));
  object metadata;
  if (result["metadata"].get_object().get(metadata)) {
    return field_error("result.metadata", "missing or not an object");
  }
  std::string_view raw;
  if (metadata.raw_json().get(raw)) return field_error("result.metadata", "malformed");
  // raw_json() keeps the whitespace that follows the value; metadata.json
  // stores the object minified, so trimming restores it exactly.
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t')) {
    raw.remove_suffix(1);
  }
  h.metadata_json = std::string(raw);
  return Status::OK();
}

Status parse_files(object files, model::Manifest& m) {
  for (model::TableKind kind : model::kAllTables) {
    std::string_view table = model::table_name(kind);
    object entry;
    if (files[table].get_object().get(entry)) {
      return field_error("parquet_files." + std::string(table), "missing or not an object");
    }
    model::ManifestFile f;
    f.table = table;
    std::string path = "parquet_files." + std::string(table);
    BTSTORE_RETURN_IF_ERROR(get_int(entry, path, "row_count", f.row_count));
    BTSTORE_RETURN_IF_ERROR(get_int(entry, path, "file_size_bytes", f.file_size_bytes));
    std::string_view etag;
    if (entry["etag"].get_string().get(etag)) return field_error(path + ".etag", "missing");
    f.etag = etag;
    m.parquet_files.push_back(std::move(f));
  }
  return Status::OK();
}

}  // namespace

std::string write_manifest(const model::Manifest& m) {
  JsonWriter w(2);
  w.begin_object();
  w.key("schema_version");
  w.string(m.schema_version);
  w.key("compression");
  w.string(m.compression);
  w.key("parquet_files");
  w.begin_object();
  for (const auto& f : m.parquet_files) {
    w.key(f.table);
    w.begin_object();
    w.key("row_count");
    w.number(f.row_count);
    w.key("file_size_bytes");
    w.number(f.file_size_bytes);
    w.key("etag");
    w.string(f.etag);
    w.end_object();
  }
  w.end_object();
  w.key("created_at");
  w.string(m.created_at);
  w.key("task_id");
  w.string(m.header.task_id);
  w.key("result");
  w.begin_object();
  w.key("strategy");
  w.string(m.header.strategy);
  w.key("timeframe");
  if (m.header.timeframe) {
    w.string(*m.header.timeframe);
  } else {
    w.null();
  }
  w.key("start_date");
  w.string(m.header.start_date);
  w.key("end_date");
  w.string(m.header.end_date);
  w.key("status");
  w.string(m.header.status);
  w.key("metadata");
  w.raw(m.header.metadata_json);
  w.end_object();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

Result<model::Manifest> parse_manifest(std::string_view text) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  simdjson::ondemand::document doc;
  object root;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) {
    return Status::Corruption("metadata.json: not a JSON object");
  }
  model::Manifest m;
  // On-Demand objects are read in document order; look fields up by key so
  // that files written by hand or by older versions in another order still load.
  BTSTORE_RETURN_IF_ERROR(get_string(root, "schema_version", m.schema_version));
  if (m.schema_version != model::kSchemaVersion) {
    return Status::NotSupported("metadata.json: schema_version \"" + m.schema_version +
                                "\" is not supported (this btstore reads \"" +
                                model::kSchemaVersion + "\")");
  }
  BTSTORE_RETURN_IF_ERROR(get_string(root, "compression", m.compression));
  object files;
  if (root["parquet_files"].get_object().get(files)) {
    return field_error("parquet_files", "missing or not an object");
  }
  BTSTORE_RETURN_IF_ERROR(parse_files(files, m));
  BTSTORE_RETURN_IF_ERROR(get_string(root, "created_at", m.created_at));
  BTSTORE_RETURN_IF_ERROR(get_string(root, "task_id", m.header.task_id));
  object result;
  if (root["result"].get_object().get(result))
    return field_error("result", "missing or not an object");
  BTSTORE_RETURN_IF_ERROR(parse_header(result, m.header));
  return m;
}

}  // namespace btstore::json
