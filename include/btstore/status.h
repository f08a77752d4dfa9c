// Errors as values: every fallible btstore call returns a Status or a Result<T>.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace btstore {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input from the caller (validation, usage)
  kNotFound,         // no such task, file or row
  kAlreadyExists,    // task_id taken and --replace not given
  kCorruption,       // stored bytes do not decode or do not match what was recorded
  kNotSupported,     // valid input that btstore does not read (an encoding, a nested schema)
  kIOError,          // the file system refused
  kDatabaseError,    // PostgreSQL refused or could not be reached
  kInternal,         // a bug in btstore
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status NotSupported(std::string msg) {
    return {StatusCode::kNotSupported, std::move(msg)};
  }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status DatabaseError(std::string msg) {
    return {StatusCode::kDatabaseError, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "not found: task 550e... does not exist"
  std::string to_string() const;
  static std::string_view code_name(StatusCode code);

  // Returns a copy whose message is "context: message" (keeps the code).
  Status with_context(std::string_view context) const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace btstore

#define BTSTORE_CONCAT_INNER(a, b) a##b
#define BTSTORE_CONCAT(a, b) BTSTORE_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when it is not OK.
#define BTSTORE_RETURN_IF_ERROR(expr) \
  do {                                \
    ::btstore::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (false)

#define BTSTORE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

// BTSTORE_ASSIGN_OR_RETURN(auto x, MakeX()); returns the error Status when MakeX fails.
#define BTSTORE_ASSIGN_OR_RETURN(lhs, expr) \
  BTSTORE_ASSIGN_OR_RETURN_IMPL(BTSTORE_CONCAT(_result_, __LINE__), lhs, expr)
