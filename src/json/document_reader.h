// Typed reads of simdjson On-Demand values with error reporting by JSON path.
// Internal to src/json: the only headers that include simdjson.
//
// A problem in a value (wrong type, out of range, a NaN literal) is reported and
// reading goes on, so one pass finds every problem. A problem in the structure
// (a missing comma, an unclosed bracket) is fatal: simdjson cannot resynchronise,
// so it is reported with its byte offset and reading stops.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "json/problems.h"

namespace btstore::json {

namespace ondemand = simdjson::ondemand;

// True when `text` is a number by the RFC 8259 grammar
// (-? (0|[1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?).
bool is_json_number(std::string_view text);

// "a string", "an array", ... for messages.
std::string_view json_type_name(ondemand::json_type type);

enum class ReadOutcome {
  kValue,   // `out` holds the value
  kNull,    // JSON null where null is allowed
  kFailed,  // a problem was reported
};

class DocumentReader {
 public:
  explicit DocumentReader(std::string_view buffer, ProblemList& problems)
      : buffer_(buffer), problems_(problems) {}

  void set_document(ondemand::document* doc) { doc_ = doc; }
  // Called with the offset below which the document will not be read again (but for messages).
  void set_consumed_hook(std::function<void(size_t)> hook) { consumed_hook_ = std::move(hook); }
  // Tells the hook that everything before the current position is read.
  void mark_consumed();
  JsonPath& path() { return path_; }
  ProblemList& problems() { return problems_; }

  // Reports `message` at the current path.
  void report(std::string_view message) { problems_.add(path_, message); }
  // Reports a broken structure at the document's current position and stops reading.
  void report_fatal(simdjson::error_code error);
  // false (after report_fatal) when `error` is set.
  bool check(simdjson::error_code error) {
    if (error == simdjson::SUCCESS) return true;
    report_fatal(error);
    return false;
  }
  // Reading stops after a fatal problem or when the problem list is full.
  bool stopped() const { return fatal_ || problems_.full(); }

  // The type of `v`; false after reporting a bad token (NaN, Infinity, a typo).
  bool peek_type(ondemand::value& v, ondemand::json_type& type);

  // Scalars at the current path. A null is kNull when `nullable`, a problem otherwise.
  ReadOutcome read_double(ondemand::value& v, bool nullable, double& out);
  ReadOutcome read_int32(ondemand::value& v, bool nullable, int32_t& out);
  ReadOutcome read_string(ondemand::value& v, bool nullable, std::string_view& out);
  ReadOutcome read_timestamp(ondemand::value& v, bool nullable, int64_t& out);

  // The key of an object member. Keys without escapes are viewed in place in the document
  // (no copy into the parser's string buffer); false after a fatal problem.
  bool read_key(ondemand::field& field, std::string_view& key);

  // Containers; `null_ok` lets a null through as kNull.
  ReadOutcome read_object(ondemand::value& v, bool null_ok, ondemand::object& out);
  ReadOutcome read_array(ondemand::value& v, ondemand::array& out);

  // Reports a token that is not JSON (or a literal with a typo) with its location.
  void report_bad_token(std::string_view token);
  // "byte 120 (line 4, column 17)" for a pointer into the buffer.
  std::string location(const char* p);

 private:
  // Common start of the scalar reads: the type, or kNull / kFailed.
  bool expect(ondemand::value& v, ondemand::json_type want, std::string_view want_name,
              bool nullable, ReadOutcome& early);
  void report_number_error(std::string_view token, simdjson::error_code error);

  std::string_view buffer_;
  ProblemList& problems_;
  ondemand::document* doc_ = nullptr;
  std::function<void(size_t)> consumed_hook_;
  JsonPath path_;
  bool fatal_ = false;
  // Line counting resumes from the last location asked for (they usually increase).
  size_t line_offset_ = 0;
  size_t line_number_ = 1;
  size_t line_start_ = 0;
};

// The token text of a scalar without the trailing whitespace simdjson includes.
std::string_view trimmed_token(ondemand::value& v);

}  // namespace btstore::json
