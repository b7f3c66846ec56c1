#include "tools/harness/client.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"
#include "ledger/log/transaction.h"

namespace carbonledger::harness {
namespace {

Status Lost(const std::string& what) { return Status::Corruption("harness.lost", what); }
Status NoAnswer(const std::string& what) { return Status::Unavailable("harness.no_answer", what); }

// The tree head of a receipt's checkpoint (its body; the receipt came from the daemon itself).
std::optional<TreeHead> ReceiptHead(const Receipt& receipt) {
  const std::string& note = receipt.checkpoint;
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

Client::Client(int port, std::string origin, uint64_t seed, std::chrono::seconds read_timeout)
    : api_("http://127.0.0.1:" + std::to_string(port),
           // As the harnesses always ran: a new connection a request, Nagle's algorithm on.
           {.read_timeout = read_timeout, .tcp_nodelay = false, .nonce_prefix = "harness-"}),
      origin_(std::move(origin)),
      rng_(seed) {}

Result<Account> Client::CreateAccount(const SigningKey& operator_key, uint64_t operator_nonce,
                                      const std::string& id, const std::string& role) {
  Account a;
  a.id = id;
  auto tx = SignTransaction(
      "account.create", origin_, "operator", operator_nonce,
      {{"account", id}, {"role", role}, {"public_key", Base64Encode(AsBytes(a.key.public_key()))}},
      operator_key);
  if (!tx.ok()) return tx.status();
  auto r = api_.Submit(*tx);
  if (!r.ok() && IsNoAnswer(r.status())) return NoAnswer("creating " + id);
  if (!r.ok() || r->duplicate) return Lost("creating " + id + ": " + r.status().ToString());
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
    s.refusal = tx.status();
    return s;
  }
  auto receipt = api_.Submit(*tx);
  if (!receipt.ok() && IsNoAnswer(receipt.status())) return s;  // kGone
  if (!receipt.ok() || receipt->duplicate) {
    s.outcome = Submitted::kRefused;
    s.refusal =
        receipt.ok() ? Lost("a new transaction was answered as a duplicate") : receipt.status();
    return s;
  }
  w.nonce++;
  w.acked_nonce = w.nonce;
  if (rotation) {
    w.key = next;
    w.pending.reset();
  }
  s.outcome = Submitted::kAcked;
  s.ack = Ack{receipt->seq, Base64Encode(AsBytes(receipt->leaf_hash))};
  s.head = ReceiptHead(*receipt);
  return s;
}

Status Client::CheckAck(const Ack& a) {
  auto j = api_.GetJson("/v1/entries/" + std::to_string(a.seq));
  if (!j.ok() && IsNoAnswer(j.status())) return NoAnswer("reading entry " + std::to_string(a.seq));
  if (!j.ok()) return Lost("acknowledged entry " + std::to_string(a.seq) + " is gone");
  if (!j->is_object() || j->value("leaf_hash", "") != a.entry_hash) {
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
      auto j = api_.GetJson("/v1/entries?start=" + std::to_string(a.seq) + "&limit=1000");
      if (!j.ok() && IsNoAnswer(j.status())) {
        return NoAnswer("listing entries from " + std::to_string(a.seq));
      }
      if (!j.ok() || !j->is_object() || !j->contains("entries") || !(*j)["entries"].is_array()) {
        return Lost("cannot list entries from " + std::to_string(a.seq) + ": " +
                    (j.ok() ? j->dump() : j.status().ToString()));
      }
      for (const auto& e : (*j)["entries"]) {
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
  auto note = api_.CheckpointNote();
  if (!note.ok()) return NoAnswer("no checkpoint");
  auto now = OpenCheckpoint(*note, log_key.name, log_key.key);
  if (!now.ok()) return Lost("checkpoint served: " + now.status().ToString());
  if (newest.size == 0) return TreeHead{now->size, now->root};
  if (now->size < newest.size) return Lost("tree shrank below an acknowledged checkpoint");
  auto proof = api_.GetConsistencyProof(newest.size, now->size);
  if (!proof.ok() && proof.status().reason() == "proof.format") {
    return Lost("consistency proof with a bad hash");
  }
  if (!proof.ok()) return NoAnswer("no consistency proof");
  if (!merkle::VerifyConsistency(newest.size, now->size, proof->hashes, newest.root, now->root)
           .ok()) {
    return Lost("checkpoint served (size " + std::to_string(now->size) +
                ") is not consistent with the newest one acknowledged (size " +
                std::to_string(newest.size) + ", root " + Base64Encode(AsBytes(newest.root)) + ")");
  }
  return TreeHead{now->size, now->root};
}

Status Client::ResolveAfterRestart(Account& w) {
  auto nonce = api_.LastNonce(w.id, w.key);
  if (!nonce.ok() && nonce.status().code() == Code::kUnauthenticated && w.pending) {
    nonce = api_.LastNonce(w.id, *w.pending);
    if (nonce.ok()) w.key = *w.pending;
  }
  if (!nonce.ok()) {
    return Lost("cannot read " + w.id + " with any of its keys: " + nonce.status().ToString());
  }
  w.pending.reset();
  if (*nonce < w.acked_nonce) return Lost(w.id + " lost an acknowledged nonce");
  w.nonce = *nonce;
  return Status::OK();
}

}  // namespace carbonledger::harness
