#include "json/result_parser.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "common/time.h"
#include "common/uuid.h"
#include "json/depth_scan.h"
#include "json/document_reader.h"
#include "json/input_limits.h"
#include "json/section_readers.h"
#include "json/split_parse.h"
#include "json/symbols_layout.h"
#include "json/utf8.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

using simdjson::error_code;

// Brackets the split keeps while looking for the symbols: two per symbol and a few more; a
// document with more at its outer levels (a huge metadata object) is parsed whole.
constexpr size_t kMaxOutlineBrackets = size_t{1} << 20;

constexpr std::string_view kRootFields[] = {"task_id",  "strategy", "timeframe", "start_date",
                                            "end_date", "status",   "metadata",  "symbols"};
enum RootField {
  kTaskId,
  kStrategy,
  kTimeframe,
  kStartDate,
  kEndDate,
  kStatus,
  kMetadata,
  kSymbols
};
constexpr RootField kRequiredRootFields[] = {kStrategy, kStartDate, kEndDate, kSymbols};
constexpr size_t kMaxStrategyChars = 100;
constexpr size_t kMaxTimeframeChars = 10;

bool is_catalog_field(std::string_view key) {
  return std::find(std::begin(kCatalogFields), std::end(kCatalogFields), key) !=
         std::end(kCatalogFields);
}

size_t find_root_field(std::string_view key) {
  for (size_t i = 0; i < std::size(kRootFields); ++i) {
    if (kRootFields[i] == key) return i;
  }
  return std::size(kRootFields);
}

// The offset of the first control character inside a string, or npos.
size_t find_unescaped_control(std::string_view json) {
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const auto c = static_cast<unsigned char>(json[i]);
    if (!in_string) {
      in_string = c == '"';
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (c < 0x20) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Errors of simdjson's first pass over the whole document (before any value is read).
std::string describe_first_pass_error(error_code error, std::string_view json, DocumentReader& r) {
  const auto at = [&](size_t offset) { return r.location(json.data() + offset); };
  switch (error) {
    case simdjson::EMPTY: return "the document is empty; expected a JSON object";
    case simdjson::UTF8_ERROR: {
      const size_t offset = first_invalid_utf8(json);
      if (offset == std::string_view::npos) return "the document is not valid UTF-8";
      return "invalid UTF-8 at " + at(offset) + "; the document must be UTF-8 encoded";
    }
    case simdjson::UNESCAPED_CHARS: {
      const size_t offset = find_unescaped_control(json);
      if (offset == std::string_view::npos)
        return "a string contains an unescaped control character";
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto c = static_cast<unsigned char>(json[offset]);
      const std::string code = {'U', '+', '0', '0', kHex[c >> 4], kHex[c & 15]};
      return "a string contains the control character " + code + " at " + at(offset) +
             "; control characters must be escaped (\\n, \\t, \\u00XX)";
    }
    case simdjson::UNCLOSED_STRING: return "a string is not closed (a '\"' is missing)";
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
      return "the document (" + std::to_string(json.size()) + " bytes) is too large to parse";
    default: return "invalid JSON: " + std::string(simdjson::error_message(error));
  }
}

// simdjson refuses a root object whose last token is not its '}' without saying
// why; a bracket count tells a truncated document from trailing content.
std::string describe_unbalanced_root(std::string_view json, DocumentReader& r) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth <= 0) {
      const size_t rest = json.find_first_not_of(" \t\r\n", i + 1);
      if (depth < 0 || rest == std::string_view::npos) break;
      return "unexpected content after the document at " + r.location(json.data() + rest);
    }
  }
  if (depth > 0) {
    return "the document ends inside an object or array at " +
           r.location(json.data() + json.size()) + "; is it truncated? (a '}' or ']' is missing)";
  }
  return "the brackets of the document do not match";
}

class RootReader {
 public:
  RootReader(DocumentReader& r, model::BacktestResult& result) : r_(r), result_(result) {}

  void read(ondemand::object& root) {
    for (auto member : root) {
      if (r_.stopped()) return;
      ondemand::field field;
      std::string_view key;
      if (!r_.check(std::move(member).get(field)) || !r_.check(field.unescaped_key().get(key)))
        return;
      if (is_catalog_field(key)) continue;  // what `btstore get` adds: not part of the result
      PathScope scope(r_.path(), key);
      const size_t which = find_root_field(key);
      if (which == std::size(kRootFields)) {
        r_.report(
            "unknown field; the fields are task_id, strategy, timeframe, start_date, "
            "end_date, status, metadata, symbols");
      } else if (seen_ & (1u << which)) {
        r_.report("duplicate key; each field may appear only once");
      } else {
        seen_ |= 1u << which;
        read_field(static_cast<RootField>(which), field.value());
      }
    }
  }

  void finish();

 private:
  void read_field(RootField which, ondemand::value& v);
  void read_task_id(ondemand::value& v);
  bool read_text(ondemand::value& v, bool nullable, size_t min_chars, size_t max_chars,
                 std::string& out);
  void read_date(ondemand::value& v, std::string& text, std::optional<int32_t>& days);
  void read_status(ondemand::value& v);

  DocumentReader& r_;
  model::BacktestResult& result_;
  uint32_t seen_ = 0;
  std::optional<int32_t> start_days_, end_days_;
};

void RootReader::read_field(RootField which, ondemand::value& v) {
  model::ResultHeader& h = result_.header;
  switch (which) {
    case kTaskId: return read_task_id(v);
    case kStrategy: read_text(v, false, 1, kMaxStrategyChars, h.strategy); return;
    case kTimeframe: {
      std::string text;
      if (read_text(v, true, 0, kMaxTimeframeChars, text)) h.timeframe = std::move(text);
      return;
    }
    case kStartDate: return read_date(v, h.start_date, start_days_);
    case kEndDate: return read_date(v, h.end_date, end_days_);
    case kStatus: return read_status(v);
    case kMetadata: return read_metadata(r_, v, h.metadata_json);
    case kSymbols: return read_symbols(r_, v, result_);
  }
}

void RootReader::read_task_id(ondemand::value& v) {
  std::string_view s;
  if (r_.read_string(v, false, s) != ReadOutcome::kValue) return;
  if (!is_uuid(s)) {
    r_.report(quote_for_message(s) +
              " is not a UUID (8-4-4-4-12 hex digits, e.g. 550e8400-e29b-41d4-a716-446655440000);"
              " omit task_id to have one generated");
    return;
  }
  result_.header.task_id = canonical_uuid(s);
}

// A string of min..max code points without U+0000; false when null or a problem.
bool RootReader::read_text(ondemand::value& v, bool nullable, size_t min_chars, size_t max_chars,
                           std::string& out) {
  std::string_view s;
  if (r_.read_string(v, nullable, s) != ReadOutcome::kValue) return false;
  const size_t chars = count_code_points(s);
  if (chars < min_chars || chars > max_chars) {
    r_.report("must be " + (min_chars > 0 ? std::to_string(min_chars) + "-" : "at most ") +
              std::to_string(max_chars) + " characters, got " + std::to_string(chars));
    return false;
  }
  if (s.find('\0') != std::string_view::npos) {
    r_.report("contains U+0000, which PostgreSQL text cannot store");
    return false;
  }
  out = s;
  return true;
}

void RootReader::read_date(ondemand::value& v, std::string& text, std::optional<int32_t>& days) {
  std::string_view s;
  if (r_.read_string(v, false, s) != ReadOutcome::kValue) return;
  Result<int32_t> parsed = parse_date(s);
  if (!parsed.ok()) {
    r_.report(parsed.status().message());
    return;
  }
  text = s;
  days = *parsed;
}

void RootReader::read_status(ondemand::value& v) {
  std::string_view s;
  if (r_.read_string(v, false, s) != ReadOutcome::kValue) return;
  if (s != "completed" && s != "failed" && s != "running") {
    r_.report(quote_for_message(s) + " is not a status; use completed, failed or running");
    return;
  }
  result_.header.status = s;
}

void RootReader::finish() {
  if (r_.stopped()) return;
  for (RootField f : kRequiredRootFields) {
    if (!(seen_ & (1u << f))) {
      PathScope scope(r_.path(), kRootFields[f]);
      r_.report("required field is missing");
    }
  }
  if (start_days_ && end_days_ && *start_days_ > *end_days_) {
    PathScope scope(r_.path(), "end_date");
    r_.report("\"" + result_.header.end_date + "\" is before start_date \"" +
              result_.header.start_date + "\"; start_date must not be after end_date");
  }
  if (!(seen_ & (1u << kTaskId))) result_.header.task_id = generate_uuid_v4();
}

// Reads the root object and checks nothing follows it.
void read_document(DocumentReader& r, ondemand::document& doc, std::string_view json,
                   model::BacktestResult& result) {
  ondemand::json_type type;
  if (doc.type().get(type) != simdjson::SUCCESS) {
    r.report("the document does not start with a JSON value; expected an object");
    return;
  }
  if (type != ondemand::json_type::object) {
    r.report("the document must be a JSON object, got " + std::string(json_type_name(type)));
    return;
  }
  ondemand::object root;
  if (const error_code e = doc.get_object().get(root)) {
    if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      r.report(describe_unbalanced_root(json, r));
    } else {
      r.check(e);
    }
    return;
  }
  RootReader reader(r, result);
  reader.read(root);
  if (r.stopped()) return;
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    r.report("unexpected content after the document at " + r.location(rest));
    return;
  }
  reader.finish();
}

// The document as one: simdjson's index of all of it, the symbols read in order. Every
// problem is reported with its path and place.
Result<model::BacktestResult> parse_whole(std::string_view json,
                                          const std::function<void(size_t, size_t)>& consumed) {
  ProblemList problems;
  DocumentReader reader(json, problems);
  ondemand::parser parser;
  ondemand::document doc;
  if (const error_code e =
          parser.iterate(json.data(), json.size(), json.size() + kParsePadding).get(doc)) {
    reader.report(describe_first_pass_error(e, json, reader));
    return problems.to_status();
  }
  reader.set_document(&doc);
  size_t released = 0;
  if (consumed) {
    reader.set_consumed_hook([&](size_t end) {
      if (end > released) consumed(std::exchange(released, end), end);
    });
  }
  model::BacktestResult result;
  reserve_rows(json, result);
  read_document(reader, doc, json, result);
  if (!problems.empty()) return problems.to_status();
  return result;
}

}  // namespace

Result<model::BacktestResult> parse_result(std::string_view json, const ParseOptions& options) {
  const simdjson::padded_string buffer(json);
  if (buffer.data() == nullptr) {
    return Status::Internal("out of memory copying a " + std::to_string(json.size()) +
                            "-byte document for parsing");
  }
  return parse_result_in_place(std::string_view(buffer.data(), buffer.size()), options);
}

Result<model::BacktestResult> parse_result_in_place(std::string_view json,
                                                    const ParseOptions& options) {
  static_assert(kParsePadding >= simdjson::SIMDJSON_PADDING);
  if (options.max_depth > 0 || options.split_symbols) {
    const int max_depth =
        options.max_depth > 0 ? options.max_depth : std::numeric_limits<int>::max();
    const Outline outline =
        scan_outline(json, max_depth, kSymbolsLayoutLevels, kMaxOutlineBrackets);
    if (outline.too_deep != std::string_view::npos)
      return too_deep_error(outline.too_deep, max_depth);
    if (options.split_symbols) {
      if (const std::optional<SymbolsLayout> layout = symbols_layout(json, outline)) {
        std::optional<model::BacktestResult> result = parse_split(
            json, *layout, options.threads, options.min_bytes_per_thread, options.consumed);
        if (result) return std::move(*result);
      }
    }
  }
  return parse_whole(json, options.consumed);
}

}  // namespace btstore::json
