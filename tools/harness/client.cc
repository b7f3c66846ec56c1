#include "tools/harness/client.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "api/request_auth.h"
#include "crypto/encoding.h"
#include "ledger/log/merkle.h"
#include "ledger/log/transaction.h"

namespace carbonledger::harness {
namespace {

Status Lost(const std::string& what) { return Status::Corruption("harness.lost", what); }
Status NoAnswer(const std::string& what) { return Status::Unavailable("harness.no_answer", what); }

std::optional<Hash> HashFromBase64(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  auto b = Base64Decode(v.get<std::string>());
  if (!b.ok() || b->size() != Hash{}.size()) return std::nullopt;
  Hash h;
  std::copy(b->begin(), b->end(), h.begin());
  return h;
}

// The tree head of a receipt's checkpoint (its body; the receipt came from the daemon itself).
std::optional<TreeHead> ReceiptHead(const nlohmann::json& receipt) {
  if (!receipt.contains("checkpoint") || !receipt["checkpoint"].is_string()) return std::nullopt;
  const std::string note = receipt["checkpoint"].get<std::string>();
  size_t end = note.find("\n\n");
  if (end == std::string::npos) return std::nullopt;
  auto cp = ParseCheckpointBody(note.substr(0, end + 1));
  if (!cp.ok()) return std::nullopt;
  return TreeHead{cp->size, cp->root};
}

}  // namespace

std::string SelfDir() {
  return std::filesystem::canonical("/proc/self/exe").parent_path().string();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t NowUnix() { return std::time(nullptr); }

void AckLog::Add(const Ack& ack, const std::optional<TreeHead>& head) {
  std::lock_guard lock(mu_);
  acks_.push_back(ack);
  if (head && head->size > newest_.size) newest_ = *head;
}

std::vector<Ack> AckLog::all() const {
  std::lock_guard lock(mu_);
  return acks_;
}

TreeHead AckLog::newest() const {
  std::lock_guard lock(mu_);
  return newest_;
}

size_t AckLog::size() const {
  std::lock_guard lock(mu_);
  return acks_.size();
}

Client::Client(int port, std::string origin, uint64_t seed)
    : http_("127.0.0.1", port), origin_(std::move(origin)), rng_(seed) {
  http_.set_read_timeout(5, 0);
}

std::string Client::NewNonce() {
  return "harness-" + std::to_string(rng_()) + "-" + std::to_string(rng_());
}

httplib::Result Client::SignedGet(const std::string& path, const std::string& account,
                                  const SigningKey& key) {
  const size_t q = path.find('?');
  const std::string bare = path.substr(0, q);
  const std::string query = q == std::string::npos ? "" : path.substr(q);
  SignedHeaders h = SignRequest("GET", bare, query, "", account, key, NowUnix(), NewNonce());
  return http_.Get(path, {{"Content-Digest", h.content_digest},
                          {"Signature-Input", h.signature_input},
                          {"Signature", h.signature}});
}

Result<Account> Client::CreateAccount(const SigningKey& operator_key, uint64_t operator_nonce,
                                      const std::string& id, const std::string& role) {
  Account a;
  a.id = id;
  auto tx = SignTransaction(
      "account.create", origin_, "operator", operator_nonce,
      {{"account", id}, {"role", role}, {"public_key", Base64Encode(AsBytes(a.key.public_key()))}},
      operator_key);
  if (!tx.ok()) return tx.status();
  auto r = http_.Post("/v1/transactions", EncodeSubmission(*tx), "application/json");
  if (!r) return NoAnswer("creating " + id);
  if (r->status != 201) return Lost("creating " + id + ": " + r->body);
  return a;
}

Client::Submitted Client::SubmitNext(Account& w, uint32_t rotate_one_in) {
  const bool rotation = rotate_one_in != 0 && rng_() % rotate_one_in == 0;
  SigningKey next = SigningKey::Generate();
  nlohmann::json body;
  std::string type;
  if (rotation) {
    type = "account.rotate_key";
    body = {{"public_key", Base64Encode(AsBytes(next.public_key()))}};
    w.pending = next;
  } else {
    type = "account.create";
    // A new name on every attempt: one whose acknowledgement was lost may exist already.
    body = {{"account", w.id + "-m" + std::to_string(++w.created)},
            {"role", "trader"},
            {"public_key", Base64Encode(AsBytes(next.public_key()))}};
  }
  Submitted s;
  auto tx = SignTransaction(type, origin_, w.id, w.nonce + 1, body, w.key);
  if (!tx.ok()) {
    s.outcome = Submitted::kRefused;
    s.body = tx.status().ToString();
    return s;
  }
  auto r = http_.Post("/v1/transactions", EncodeSubmission(*tx), "application/json");
  if (!r) return s;  // kGone
  s.status = r->status;
  if (r->status != 201) {
    s.outcome = Submitted::kRefused;
    s.body = r->body;
    return s;
  }
  auto receipt = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (!receipt.is_object() || !receipt.contains("seq") || !receipt["seq"].is_number_unsigned() ||
      !receipt.contains("entry_hash") || !receipt["entry_hash"].is_string()) {
    s.outcome = Submitted::kRefused;
    s.body = "201 without a receipt: " + r->body;
    return s;
  }
  w.nonce++;
  w.acked_nonce = w.nonce;
  if (rotation) {
    w.key = next;
    w.pending.reset();
  }
  s.outcome = Submitted::kAcked;
  s.ack = Ack{receipt["seq"].get<uint64_t>(), receipt["entry_hash"].get<std::string>()};
  s.head = ReceiptHead(receipt);
  return s;
}

Status Client::CheckAck(const Ack& a) {
  auto e = http_.Get("/v1/entries/" + std::to_string(a.seq));
  if (!e) return NoAnswer("reading entry " + std::to_string(a.seq));
  if (e->status != 200) return Lost("acknowledged entry " + std::to_string(a.seq) + " is gone");
  auto j = nlohmann::json::parse(e->body, nullptr, false);
  if (!j.is_object() || j.value("leaf_hash", "") != a.entry_hash) {
    return Lost("acknowledged entry " + std::to_string(a.seq) + " changed");
  }
  return Status::OK();
}

Status Client::CheckAcks(std::vector<Ack> acks) {
  std::sort(acks.begin(), acks.end(), [](const Ack& x, const Ack& y) { return x.seq < y.seq; });
  std::map<uint64_t, std::string> page;  // seq -> leaf hash, the page read last
  uint64_t page_start = 0, page_end = 0;
  for (const Ack& a : acks) {
    if (a.seq < page_start || a.seq >= page_end) {
      page.clear();
      auto r = http_.Get("/v1/entries?start=" + std::to_string(a.seq) + "&limit=1000");
      if (!r) return NoAnswer("listing entries from " + std::to_string(a.seq));
      auto j = nlohmann::json::parse(r->body, nullptr, false);
      if (r->status != 200 || !j.is_object() || !j.contains("entries") ||
          !j["entries"].is_array()) {
        return Lost("cannot list entries from " + std::to_string(a.seq) + ": " + r->body);
      }
      for (const auto& e : j["entries"]) {
        page[e.value("seq", uint64_t{0})] = e.value("leaf_hash", "");
      }
      page_start = a.seq;
      page_end = a.seq + std::max<size_t>(page.size(), 1);
    }
    auto it = page.find(a.seq);
    if (it == page.end()) return Lost("acknowledged entry " + std::to_string(a.seq) + " is gone");
    if (it->second != a.entry_hash) {
      return Lost("acknowledged entry " + std::to_string(a.seq) + " changed");
    }
  }
  return Status::OK();
}

Result<TreeHead> Client::CheckCheckpointExtends(const NamedPublicKey& log_key,
                                                const TreeHead& newest) {
  auto note = http_.Get("/v1/checkpoint");
  if (!note || note->status != 200) return NoAnswer("no checkpoint");
  auto now = OpenCheckpoint(note->body, log_key.name, log_key.key);
  if (!now.ok()) return Lost("checkpoint served: " + now.status().ToString());
  if (newest.size == 0) return TreeHead{now->size, now->root};
  if (now->size < newest.size) return Lost("tree shrank below an acknowledged checkpoint");
  auto p = http_.Get("/v1/proofs/consistency?from=" + std::to_string(newest.size) +
                     "&to=" + std::to_string(now->size));
  if (!p || p->status != 200) return NoAnswer("no consistency proof");
  const nlohmann::json proof = nlohmann::json::parse(p->body, nullptr, false);
  std::vector<Hash> hashes;
  if (proof.is_object() && proof.contains("hashes") && proof["hashes"].is_array()) {
    for (const auto& h : proof["hashes"]) {
      auto x = HashFromBase64(h);
      if (!x) return Lost("consistency proof with a bad hash");
      hashes.push_back(*x);
    }
  }
  if (!merkle::VerifyConsistency(newest.size, now->size, hashes, newest.root, now->root).ok()) {
    return Lost("checkpoint served (size " + std::to_string(now->size) +
                ") is not consistent with the newest one acknowledged (size " +
                std::to_string(newest.size) + ", root " + Base64Encode(AsBytes(newest.root)) + ")");
  }
  return TreeHead{now->size, now->root};
}

Status Client::ResolveAfterRestart(Account& w) {
  auto r = SignedGet("/v1/accounts/" + w.id, w.id, w.key);
  if (r && r->status == 401 && w.pending) {
    r = SignedGet("/v1/accounts/" + w.id, w.id, *w.pending);
    if (r && r->status == 200) w.key = *w.pending;
  }
  if (!r || r->status != 200) return Lost("cannot read " + w.id + " with any of its keys");
  w.pending.reset();
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  if (!j.is_object() || !j.contains("nonce") || !j["nonce"].is_number_unsigned()) {
    return Lost("account " + w.id + " without a nonce: " + r->body);
  }
  const uint64_t nonce = j["nonce"].get<uint64_t>();
  if (nonce < w.acked_nonce) return Lost(w.id + " lost an acknowledged nonce");
  w.nonce = nonce;
  return Status::OK();
}

}  // namespace carbonledger::harness
