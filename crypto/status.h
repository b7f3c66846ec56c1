// Status: the error value every carbonledger library returns. No exception crosses a
// library boundary; a failed operation says what was wrong through a Status.
//
// A Status carries a code (the kind of failure, which the API maps to an HTTP status),
// a stable reason slug (e.g. "nonce.replayed", which the API publishes as the problem
// type and which tests assert on) and a human message naming the field or rule broken.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace carbonledger {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // malformed input: bad JSON, missing field, wrong type
  kUnprocessable,      // well-formed but breaks a rule: insufficient holdings, over cap
  kNotFound,           // unknown account, entry, block
  kConflict,           // nonce reuse, double spend raced and lost
  kUnauthenticated,    // bad or missing signature
  kPermissionDenied,   // wrong role
  kTooLarge,           // over a documented size limit
  kCorruption,         // stored data fails verification
  kIOError,            // the store or a file could not be read or written
  kUnavailable,        // the service cannot take writes now (store failed, shutting down)
  kResourceExhausted,  // too much queued: retry later
  kTimeout,            // the client did not send its request within the time allowed
  kInternal,           // a bug: an operation failed in a way its code did not foresee
};

const char* CodeName(Code code);

class Status {
 public:
  Status() = default;
  Status(Code code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string reason, std::string message) {
    return Status(Code::kInvalidArgument, std::move(reason), std::move(message));
  }
  static Status Unprocessable(std::string reason, std::string message) {
    return Status(Code::kUnprocessable, std::move(reason), std::move(message));
  }
  static Status NotFound(std::string reason, std::string message) {
    return Status(Code::kNotFound, std::move(reason), std::move(message));
  }
  static Status Conflict(std::string reason, std::string message) {
    return Status(Code::kConflict, std::move(reason), std::move(message));
  }
  static Status Unauthenticated(std::string reason, std::string message) {
    return Status(Code::kUnauthenticated, std::move(reason), std::move(message));
  }
  static Status PermissionDenied(std::string reason, std::string message) {
    return Status(Code::kPermissionDenied, std::move(reason), std::move(message));
  }
  static Status TooLarge(std::string reason, std::string message) {
    return Status(Code::kTooLarge, std::move(reason), std::move(message));
  }
  static Status Corruption(std::string reason, std::string message) {
    return Status(Code::kCorruption, std::move(reason), std::move(message));
  }
  static Status IOError(std::string reason, std::string message) {
    return Status(Code::kIOError, std::move(reason), std::move(message));
  }
  static Status Unavailable(std::string reason, std::string message) {
    return Status(Code::kUnavailable, std::move(reason), std::move(message));
  }
  static Status Internal(std::string reason, std::string message) {
    return Status(Code::kInternal, std::move(reason), std::move(message));
  }
  static Status ResourceExhausted(std::string reason, std::string message) {
    return Status(Code::kResourceExhausted, std::move(reason), std::move(message));
  }
  static Status Timeout(std::string reason, std::string message) {
    return Status(Code::kTimeout, std::move(reason), std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  // "Corruption (entry.chain): entry 17: chain value does not match"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
};

// Result<T>: a value or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace carbonledger
