// Client commands of the CLI: `tx` signs and submits any transaction type, `get` reads any
// API path (signing the request when a key is given). Both talk to a running carbonledgerd.
#include <httplib.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "api/request_auth.h"
#include "crypto/encoding.h"
#include "ledger/transaction.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

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

// Prints an answer: JSON pretty or raw, problems on stderr. Returns the exit code.
int Print(const httplib::Result& r, bool json) {
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
  if (body.is_discarded()) {
    std::cout << r->body;
  } else if (json) {
    std::cout << body.dump() << "\n";
  } else {
    std::cout << body.dump(2) << "\n";
  }
  return r->status < 300 ? 0 : 1;
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
  auto client = Connect(f.GetOr("server", "http://127.0.0.1:8620"));
  std::string ledger = f.GetOr("ledger", "");
  if (ledger.empty()) {
    auto cp = client->Get("/v1/checkpoint");
    if (!cp || cp->status != 200) return Print(cp, false);
    ledger = cp->body.substr(0, cp->body.find('\n'));
  }
  uint64_t nonce = nonce_flag.value_or(0);
  if (!nonce_flag) {
    // The next nonce: one above the account's last, read with a signed request.
    auto acct = SignedGet(*client, "/v1/accounts/" + key->name, &*key);
    if (!acct || acct->status != 200) return Print(acct, false);
    nonce = nlohmann::json::parse(acct->body)["nonce"].get<uint64_t>() + 1;
  }
  auto stx = SignTransaction(args[0], ledger, key->name, nonce, *body, key->key);
  if (!stx.ok()) return Usage(stx.status().ToString());
  if (f.Has("print")) {
    std::cout << EncodeSubmission(*stx) << "\n";
    return 0;
  }
  return Print(client->Post("/v1/transactions", EncodeSubmission(*stx), "application/json"),
               f.Has("json"));
}

// carbonledger get PATH [--server URL] [--key F] [--json]
int GetCommand(const Args& args) {
  Flags f(args, {"server", "key"}, {"json"});
  if (!f.ok()) return Usage(f.error());
  if (f.positional().size() != 1) return Usage("usage: carbonledger get PATH [--key F]");
  std::optional<NamedKey> key;
  if (auto k = f.Get("key")) {
    auto read = ReadPrivateKeyFile(*k);
    if (!read.ok()) return Usage(read.status().ToString());
    key = std::move(*read);
  }
  auto client = Connect(f.GetOr("server", "http://127.0.0.1:8620"));
  return Print(SignedGet(*client, f.positional()[0], key ? &*key : nullptr), f.Has("json"));
}

}  // namespace carbonledger::cli
