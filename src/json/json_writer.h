// A streaming JSON text writer (RFC 8259). Compact by default; pretty (one
// member per line, `indent` spaces per level) when constructed with indent > 0.
//
// Numbers: doubles are written with the fewest significant digits that read
// back to the same bits (put_double), laid out like Python's repr(float):
// fixed notation for 1e-4 <= |v| < 1e16, always with a fraction ("42000.0",
// "-0.0", "0.0001"); otherwise an exponent ("1e+16", "1.2345678901234568e+20",
// "5e-324", "1e-05"). NaN and infinities have no JSON form and are written as null. Strings are
// escaped per RFC 8259 (\" \\ \b \f \n \r \t, other control characters as \u00XX); invalid UTF-8
// bytes are replaced by U+FFFD so the output is always valid JSON.
//
// The caller is responsible for a well-formed sequence of calls (a key before
// each object member, matched begin/end); the writer does not check it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace btstore::json {

class JsonWriter {
 public:
  explicit JsonWriter(int indent = 0) : indent_(indent) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);

  void string(std::string_view s);
  void number(double v);
  void number(int64_t v);
  void number(int32_t v) { number(static_cast<int64_t>(v)); }
  void boolean(bool v);
  void null();
  void raw(std::string_view json);  // a pre-serialized JSON value, copied as is

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  void before_value();
  void newline();
  void open(char bracket);
  void close(char bracket);
  void append_escaped(std::string_view s);

  std::string out_;
  int indent_;
  int depth_ = 0;
  bool has_elements_ = false;  // the innermost open container has a member already
  bool after_key_ = false;     // the next value completes a "key": pair
};

}  // namespace btstore::json
