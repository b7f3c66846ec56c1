// Client commands of the CLI: `tx` signs and submits any transaction type, `get` reads any
// API path (signing the request when a key is given). Both talk to a running carbonledgerd
// through the client library (api/client/client.h).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/client/client.h"
#include "api/wire/problem.h"
#include "ledger/certification/confidential.h"
#include "ledger/log/transaction.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"
#include "tools/carbonledger/readable.h"

namespace carbonledger::cli {
namespace {

const ApiClientOptions kCliOptions{.nonce_prefix = "cli-"};

// GET, signed as the key's account when a key is given.
Result<Response> GetAs(ApiClient& c, const std::string& target, const NamedKey* key) {
  return key == nullptr ? c.Get(target) : c.SignedGet(target, key->name, key->key);
}

// Body from --body JSON (or @file) and name=value / name:=json pairs.
Result<nlohmann::json> BuildBody(const Flags& f) {
  nlohmann::json body = nlohmann::json::object();
  if (auto b = f.Get("body")) {
    std::string text = *b;
    if (!text.empty() && text[0] == '@') {
      auto file = ReadFile(text.substr(1));
      if (!file) return Status::InvalidArgument("cli.body", "cannot read " + text.substr(1));
      text = *file;
    }
    body = nlohmann::json::parse(text, nullptr, false);
    if (!body.is_object())
      return Status::InvalidArgument("cli.body", "--body must be a JSON object");
  }
  for (const std::string& p : f.positional()) {
    size_t raw = p.find(":=");
    size_t eq = p.find('=');
    if (raw != std::string::npos && raw < eq) {
      auto v = nlohmann::json::parse(p.substr(raw + 2), nullptr, false);
      if (v.is_discarded()) return Status::InvalidArgument("cli.body", "bad JSON in " + p);
      body[p.substr(0, raw)] = v;
    } else if (eq != std::string::npos) {
      body[p.substr(0, eq)] = p.substr(eq + 1);
    } else {
      return Status::InvalidArgument("cli.body", "expected name=value or name:=json, got " + p);
    }
  }
  return body;
}

// A problem on stderr as "error STATUS REASON: detail" (docs/errors.md).
int PrintProblem(int http_status, const Status& s) {
  std::cerr << "error " << http_status << " " << s.reason() << ": " << s.message() << "\n";
  return 1;
}

// A failed request: no answer, or the server's problem.
int PrintError(const Status& s) {
  if (IsNoAnswer(s) || s.reason() == "client.url") {
    std::cerr << "carbonledger: request failed: " << s.message() << "\n";
    return 1;
  }
  return PrintProblem(HttpStatus(s.code()), s);
}

// Prints an answer: readable (tables), compact JSON, or the body as served; problems on
// stderr. Returns the exit code.
int Print(const Result<Response>& r, Output mode,
          nlohmann::json (*view)(const nlohmann::json&) = nullptr) {
  if (!r.ok()) return PrintError(r.status());
  if (Status s = r->ToStatus(); !s.ok() && s.reason() != "client.answer") {
    return PrintProblem(r->status, s);
  }
  auto body = nlohmann::json::parse(r->body, nullptr, false);
  if (body.is_discarded() || mode == Output::kAsServed) {
    std::cout << r->body;
  } else if (mode == Output::kJson) {
    std::cout << body.dump() << "\n";
  } else {
    std::cout << Readable(view != nullptr && r->status < 300 ? view(body) : body);
  }
  return r->status < 300 ? 0 : 1;
}

}  // namespace

// carbonledger tx TYPE --key F [--server URL] [--ledger ORIGIN] [--nonce N] [--valid-for S]
// [--json]
//                      [--body JSON|@file] [name=value ...] [name:=json ...]
int TxCommand(const Args& args) {
  if (args.empty()) return Usage("usage: carbonledger tx TYPE --key F [--server URL] [fields]");
  Args rest(args.begin() + 1, args.end());
  Flags f(rest, {"key", "server", "ledger", "nonce", "body", "valid-for"}, {"json", "print"});
  auto nonce_flag = f.GetU64("nonce");
  // How long the signed transaction stays valid (its not_after), by default one hour.
  const uint64_t valid_for_ms = f.GetU64("valid-for").value_or(kDefaultTxValidityMs / 1000) * 1000;
  if (!f.ok()) return Usage(f.error());
  if (!f.Has("key")) return Usage("tx needs --key FILE (the signer's private key)");
  auto key = ReadPrivateKeyFile(*f.Get("key"));
  if (!key.ok()) return Usage(key.status().ToString());
  auto body = BuildBody(f);
  if (!body.ok()) return Usage(body.status().message());
  ApiClient client(f.GetOr("server", kDefaultServer), kCliOptions);
  std::string ledger = f.GetOr("ledger", "");
  if (ledger.empty()) {
    auto origin = client.Origin();
    if (!origin.ok()) return PrintError(origin.status());
    ledger = *origin;
  }
  uint64_t nonce = nonce_flag.value_or(0);
  if (!nonce_flag) {
    // The next nonce: one above the account's last, read with a signed request.
    auto last = client.LastNonce(key->name, key->key);
    if (!last.ok()) return PrintError(last.status());
    nonce = *last + 1;
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  // An inventory document given in the body is sealed: the body commits to it and the
  // document travels beside the signed transaction (ledger format 4, docs/cli.md §tx).
  auto sealed = certification::SealInventoryRecordBody(args[0], std::move(*body));
  if (!sealed.ok()) return Usage(sealed.status().ToString());
  auto stx = SignTransaction(args[0], ledger, key->name, nonce, sealed->body, key->key,
                             uint64_t(now) + valid_for_ms);
  if (!stx.ok()) return Usage(stx.status().ToString());
  stx->tx.confidential = std::move(sealed->attachment);
  if (f.Has("print")) {
    std::cout << EncodeSubmission(*stx) << "\n";
    return 0;
  }
  return Print(client.Send(*stx), f.Has("json") ? Output::kJson : Output::kReadable);
}

namespace {

// The key of --key, if given.
Result<std::optional<NamedKey>> OptionalKey(const Flags& f) {
  auto k = f.Get("key");
  if (!k) return std::optional<NamedKey>();
  auto read = ReadPrivateKeyFile(*k);
  if (!read.ok()) return read.status();
  return std::optional<NamedKey>(std::move(*read));
}

// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
std::string Segment(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "%" + std::string(1, "0123456789ABCDEF"[c >> 4]) + "0123456789ABCDEF"[c & 15];
    }
  }
  return out;
}

// A read command: its name, the API path with {placeholders} filled from the positional
// arguments in order, the query flags it passes on, and whether its answer is a file format
// (printed as served, not as a table).
struct QuerySpec {
  const char* name;
  const char* path;
  std::vector<std::string> query;  // flag name = query parameter name (dashes → underscores)
  bool file_format;
  const char* what;
  nlohmann::json (*view)(const nlohmann::json&) = nullptr;  // what the table shows, if not all
};

// "2026-11-21T03:04:05.678Z" for milliseconds since the epoch.
std::string IsoTime(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return text;
}

// A page of entries as one line each: who did what when (`entry SEQ` shows one whole).
nlohmann::json EntriesView(const nlohmann::json& page) {
  nlohmann::json out = page;
  out["entries"] = nlohmann::json::array();
  for (const nlohmann::json& e : page.value("entries", nlohmann::json::array())) {
    const nlohmann::json& tx = e.value("tx", nlohmann::json::object());
    out["entries"].push_back({{"seq", e.value("seq", nlohmann::json())},
                              {"accepted (UTC)", IsoTime(e.value("accepted_ms", int64_t{0}))},
                              {"type", tx.value("type", "")},
                              {"signer", tx.value("signer", "")},
                              {"nonce", tx.value("nonce", nlohmann::json())},
                              {"leaf_hash", e.value("leaf_hash", "")}});
  }
  return out;
}

const std::vector<QuerySpec>& Specs() {
  static const std::vector<QuerySpec> specs = {
      {"health", "/v1/health", {}, false, "service status and ledger size"},
      {"totals", "/v1/registry/totals", {}, false, "units by instrument and state"},
      {"entries",
       "/v1/entries",
       {"start", "limit"},
       false,
       "a page of ledger entries",
       EntriesView},
      {"entry", "/v1/entries/{seq}", {}, false, "one ledger entry"},
      {"account", "/v1/accounts/{account}", {}, false, "an account (signed)"},
      {"holdings", "/v1/accounts/{account}/holdings", {}, false, "an account's blocks (signed)"},
      {"trace",
       "/v1/serials/{instrument}/{serial}/trace",
       {},
       false,
       "a serial from issuance to its end (signed)"},
      {"park",
       "/v1/parks/{park}/years/{year}/{view}",
       {"profile"},
       false,
       "VIEW = claims, retirements, inventory, neutrality, evaluation, statements or "
       "statement-draft"},
      {"statement", "/v1/statements/{id}", {}, false, "a certification statement"},
      {"bundle",
       "/v1/statements/{id}/bundle",
       {},
       true,
       "a statement's offline verification bundle (JSON, for verify-statement)"},
  };
  return specs;
}

std::vector<std::string> Placeholders(const std::string& path) {
  std::vector<std::string> names;
  for (size_t at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1)) {
    names.push_back(path.substr(at + 1, path.find('}', at) - at - 1));
  }
  return names;
}

std::string UsageOf(const QuerySpec& q) {
  std::string u = q.name;
  for (const std::string& p : Placeholders(q.path)) {
    std::string upper;
    for (char c : p)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    u += " " + upper;
  }
  for (const std::string& flag : q.query) u += " [--" + flag + " X]";
  return u + " [--server URL] [--key F] [--json]";
}

}  // namespace

int Fetch(const std::string& server, const std::string& target, const NamedKey* key, Output mode) {
  ApiClient client(server, kCliOptions);
  return Print(GetAs(client, target, key), mode);
}

std::vector<std::pair<std::string, std::string>> QueryCommandUsages() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const QuerySpec& q : Specs()) out.emplace_back(UsageOf(q), q.what);
  return out;
}

bool IsQueryCommand(const std::string& name) {
  for (const QuerySpec& q : Specs()) {
    if (name == q.name) return true;
  }
  return false;
}

// carbonledger <query> ARG... [--query-flag X] [--server URL] [--key F] [--json]
int QueryCommand(const std::string& name, const Args& args) {
  const QuerySpec* spec = nullptr;
  for (const QuerySpec& q : Specs()) {
    if (name == q.name) spec = &q;
  }
  if (spec == nullptr) return Usage("unknown query " + name);
  std::set<std::string> known = {"server", "key"};
  known.insert(spec->query.begin(), spec->query.end());
  Flags f(args, known, {"json"});
  if (!f.ok()) return Usage(f.error());
  std::vector<std::string> names = Placeholders(spec->path);
  if (f.positional().size() != names.size()) return Usage("usage: carbonledger " + UsageOf(*spec));
  std::string target = spec->path;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& value = f.positional()[i];
    if (value.empty()) return Usage(names[i] + " must not be empty");
    std::string placeholder = "{" + names[i] + "}";
    target.replace(target.find(placeholder), placeholder.size(), Segment(value));
  }
  std::string query;
  for (const std::string& flag : spec->query) {
    auto v = f.Get(flag);
    if (!v) continue;
    std::string param = flag;
    std::replace(param.begin(), param.end(), '-', '_');
    query += (query.empty() ? "?" : "&") + param + "=" + Segment(*v);
  }
  auto key = OptionalKey(f);
  if (!key.ok()) return Usage(key.status().ToString());
  Output mode = spec->file_format ? Output::kAsServed
                : f.Has("json")   ? Output::kJson
                                  : Output::kReadable;
  ApiClient client(f.GetOr("server", kDefaultServer), kCliOptions);
  return Print(GetAs(client, target + query, key->has_value() ? &**key : nullptr), mode,
               spec->view);
}

// carbonledger get PATH [--server URL] [--key F] [--json]
int GetCommand(const Args& args) {
  Flags f(args, {"server", "key"}, {"json"});
  if (!f.ok()) return Usage(f.error());
  if (f.positional().size() != 1) return Usage("usage: carbonledger get PATH [--key F]");
  auto key = OptionalKey(f);
  if (!key.ok()) return Usage(key.status().ToString());
  return Fetch(f.GetOr("server", kDefaultServer), f.positional()[0],
               key->has_value() ? &**key : nullptr,
               f.Has("json") ? Output::kJson : Output::kReadable);
}

}  // namespace carbonledger::cli
