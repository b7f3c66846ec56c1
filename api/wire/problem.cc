#include "api/wire/problem.h"

namespace carbonledger {

int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kTooLarge:
      return 413;
    case Code::kUnprocessable:
      return 422;
    case Code::kUnavailable:
      return 503;
    case Code::kResourceExhausted:
      return 429;
    case Code::kTimeout:
      return 408;
    case Code::kCorruption:
    case Code::kIOError:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json ProblemJson(const Status& status, const std::string& instance) {
  std::string reason = status.reason().empty() ? "internal" : status.reason();
  nlohmann::json p = {{"type", kProblemTypePrefix + reason},
                      {"title", CodeName(status.code())},
                      {"status", HttpStatus(status.code())},
                      {"detail", status.message()},
                      {"reason", reason}};
  if (!instance.empty()) p["instance"] = instance;
  return p;
}

std::optional<Status> StatusFromProblem(int http_status, std::string_view body) {
  const nlohmann::json p = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object() || !p.contains("reason") || !p["reason"].is_string()) return std::nullopt;
  const std::string title =
      p.contains("title") && p["title"].is_string() ? p["title"].get<std::string>() : "";
  std::optional<Code> code;
  for (int c = int(Code::kInvalidArgument); c <= int(Code::kInternal); ++c) {
    if (HttpStatus(Code(c)) != http_status) continue;
    if (!code || title == CodeName(Code(c))) code = Code(c);
  }
  const nlohmann::json& detail = p.contains("detail") ? p["detail"] : nlohmann::json();
  return Status(code.value_or(http_status < 500 ? Code::kInvalidArgument : Code::kUnavailable),
                p["reason"].get<std::string>(),
                detail.is_string() ? detail.get<std::string>() : "");
}

}  // namespace carbonledger
