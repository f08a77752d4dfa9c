#include "json/json_writer.h"

#include <cmath>

#include "json/json_text.h"

namespace btstore::json {

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(static_cast<size_t>(indent_) * static_cast<size_t>(depth_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_elements_) out_ += ',';
  if (indent_ > 0 && depth_ > 0) newline();
  has_elements_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  ++depth_;
  has_elements_ = false;
}

void JsonWriter::close(char bracket) {
  --depth_;
  if (indent_ > 0 && has_elements_) newline();
  out_ += bracket;
  has_elements_ = true;  // the closed container is a member of its parent
}

void JsonWriter::begin_object() { open('{'); }
void JsonWriter::end_object() { close('}'); }
void JsonWriter::begin_array() { open('['); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(std::string_view k) {
  before_value();
  append_escaped(k);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::string(std::string_view s) {
  before_value();
  append_escaped(s);
}

void JsonWriter::append_escaped(std::string_view s) {
  const size_t old = out_.size();
  out_.resize(old + quoted_bound(s.size()));
  out_.resize(static_cast<size_t>(put_quoted(out_.data() + old, s) - out_.data()));
}

void JsonWriter::number(double v) {
  if (!std::isfinite(v)) {
    null();
    return;
  }
  before_value();
  char buf[kMaxNumberChars];
  out_.append(buf, put_double(buf, v));
}

void JsonWriter::number(int64_t v) {
  before_value();
  char buf[kMaxNumberChars];
  out_.append(buf, put_int64(buf, v));
}

void JsonWriter::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
}

}  // namespace btstore::json
