// Client commands of the CLI: `tx` signs and submits any transaction type, `get` reads any
// API path (signing the request when a key is given). Both talk to a running carbonledgerd.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "api/request_auth.h"
#include "crypto/encoding.h"
#include "ledger/log/transaction.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"
#include "tools/carbonledger/readable.h"

namespace carbonledger::cli {
namespace {

std::unique_ptr<httplib::Client> Connect(const std::string& url) {
  auto c = std::make_unique<httplib::Client>(url);
  c->set_connection_timeout(10, 0);
  c->set_read_timeout(60, 0);
  c->set_tcp_nodelay(true);
  return c;
}

std::string RandomNonce() {
  std::random_device rd;
  std::string n = "cli-";
  for (int i = 0; i < 24; ++i) n.push_back("0123456789abcdef"[rd() % 16]);
  return n;
}

// GET, signed as `account` when a key is given.
httplib::Result SignedGet(httplib::Client& c, const std::string& target, const NamedKey* key) {
  if (key == nullptr) return c.Get(target);
  size_t q = target.find('?');
  std::string path = target.substr(0, q), query = q == std::string::npos ? "" : target.substr(q);
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  SignedHeaders h = SignRequest("GET", path, query, "", key->name, key->key, now, RandomNonce());
  return c.Get(target, {{"Content-Digest", h.content_digest},
                        {"Signature-Input", h.signature_input},
                        {"Signature", h.signature}});
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

// Prints an answer: readable (tables), compact JSON, or the body as served; problems on
// stderr as "error STATUS TYPE: detail". Returns the exit code.
int Print(const httplib::Result& r, Output mode,
          nlohmann::json (*view)(const nlohmann::json&) = nullptr) {
  if (!r) {
    std::cerr << "carbonledger: request failed: " << httplib::to_string(r.error()) << "\n";
    return 1;
  }
  bool problem = r->get_header_value("Content-Type") == "application/problem+json";
  auto body = nlohmann::json::parse(r->body, nullptr, false);
  if (problem && !body.is_discarded()) {
    std::cerr << "error " << r->status << " " << body.value("reason", "") << ": "
              << body.value("detail", "") << "\n";
    return 1;
  }
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

// carbonledger tx TYPE --key F [--server URL] [--ledger ORIGIN] [--nonce N] [--json]
//                      [--body JSON|@file] [name=value ...] [name:=json ...]
int TxCommand(const Args& args) {
  if (args.empty()) return Usage("usage: carbonledger tx TYPE --key F [--server URL] [fields]");
  Args rest(args.begin() + 1, args.end());
  Flags f(rest, {"key", "server", "ledger", "nonce", "body"}, {"json", "print"});
  auto nonce_flag = f.GetU64("nonce");
  if (!f.ok()) return Usage(f.error());
  if (!f.Has("key")) return Usage("tx needs --key FILE (the signer's private key)");
  auto key = ReadPrivateKeyFile(*f.Get("key"));
  if (!key.ok()) return Usage(key.status().ToString());
  auto body = BuildBody(f);
  if (!body.ok()) return Usage(body.status().message());
  auto client = Connect(f.GetOr("server", kDefaultServer));
  std::string ledger = f.GetOr("ledger", "");
  if (ledger.empty()) {
    auto cp = client->Get("/v1/checkpoint");
    if (!cp || cp->status != 200) return Print(cp, Output::kReadable);
    ledger = cp->body.substr(0, cp->body.find('\n'));
  }
  uint64_t nonce = nonce_flag.value_or(0);
  if (!nonce_flag) {
    // The next nonce: one above the account's last, read with a signed request.
    auto acct = SignedGet(*client, "/v1/accounts/" + key->name, &*key);
    if (!acct || acct->status != 200) return Print(acct, Output::kReadable);
    nonce = nlohmann::json::parse(acct->body)["nonce"].get<uint64_t>() + 1;
  }
  auto stx = SignTransaction(args[0], ledger, key->name, nonce, *body, key->key);
  if (!stx.ok()) return Usage(stx.status().ToString());
  if (f.Has("print")) {
    std::cout << EncodeSubmission(*stx) << "\n";
    return 0;
  }
  return Print(client->Post("/v1/transactions", EncodeSubmission(*stx), "application/json"),
               f.Has("json") ? Output::kJson : Output::kReadable);
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
  auto client = Connect(server);
  return Print(SignedGet(*client, target, key), mode);
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
  auto client = Connect(f.GetOr("server", kDefaultServer));
  return Print(SignedGet(*client, target + query, key->has_value() ? &**key : nullptr), mode,
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
