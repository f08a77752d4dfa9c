// Where a problem is (a JSON path such as `symbols[2].signals[17].timestamp`)
// and the list of problems found in one document.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

namespace btstore::json {

class JsonPath {
 public:
  // Keys must stay valid until popped (static names or the parser's string buffer).
  void push_key(std::string_view key) { segments_.push_back({key, 0, false}); }
  void push_index(size_t index) { segments_.push_back({{}, index, true}); }
  void pop() { segments_.pop_back(); }

  // `a.b[3].c`; keys that are not identifiers as `["odd key"]`; "$" for the root.
  std::string to_string() const;

 private:
  struct Segment {
    std::string_view key;
    size_t index;
    bool is_index;
  };
  std::vector<Segment> segments_;
};

// Pushes a path segment for the lifetime of the scope.
class PathScope {
 public:
  PathScope(JsonPath& path, std::string_view key) : path_(path) { path_.push_key(key); }
  PathScope(JsonPath& path, size_t index) : path_(path) { path_.push_index(index); }
  ~PathScope() { path_.pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  JsonPath& path_;
};

// `text` as a JSON string for a message, cut to about 60 bytes ("...").
std::string quote_for_message(std::string_view text);
// A raw token (a number, a typo) for a message, cut to about 60 bytes.
std::string token_for_message(std::string_view token);

// Collects "path: message" lines up to a cap.
class ProblemList {
 public:
  static constexpr size_t kDefaultCap = 100;
  explicit ProblemList(size_t cap = kDefaultCap) : cap_(cap) {}

  void add(const JsonPath& path, std::string_view message);
  bool empty() const { return lines_.empty(); }
  bool full() const { return lines_.size() >= cap_; }
  const std::vector<std::string>& lines() const { return lines_; }

  // InvalidArgument with one line per problem (and a last line when the cap was
  // reached). REQUIRES: !empty().
  Status to_status() const;

 private:
  size_t cap_;
  std::vector<std::string> lines_;
};

}  // namespace btstore::json
