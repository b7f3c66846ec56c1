// What the harnesses that drive the real daemon over HTTP on loopback
// (carbonledger-crash-trials, carbonledger-soak; docs/reliability.md) do with the client
// library (api/client/client.h): accounts that submit signed transactions and remember what
// was acknowledged, and the checks made afterwards — every acknowledged entry still there with
// the same hash, and the checkpoint now served consistent with the newest one any client
// received.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "api/client/client.h"
#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/checkpoint.h"

namespace carbonledger::harness {

// The directory of the running executable (the harnesses find carbonledgerd beside them).
std::string SelfDir();
std::string ReadText(const std::string& path);
int64_t NowUnix();

// An acknowledged transaction: where the daemon said it is.
struct Ack {
  uint64_t seq = 0;
  std::string entry_hash;  // base64 leaf hash, as in the receipt
};

// A tree head (size, root) some client was given, e.g. in a receipt's checkpoint.
struct TreeHead {
  uint64_t size = 0;
  Hash root{};
};

// An account that writes. Its nonce and key follow what the daemon acknowledged; a key
// rotation sent but not acknowledged stays `pending` until ResolveAfterRestart finds out
// whether it happened.
struct Account {
  std::string id;
  SigningKey key = SigningKey::Generate();
  std::optional<SigningKey> pending;
  uint64_t nonce = 0;        // last nonce used
  uint64_t acked_nonce = 0;  // last nonce acknowledged
  uint64_t created = 0;      // trader accounts this one tried to create
};

// Everything acknowledged to any client, and the newest tree head any client received.
// Shared by the writer threads of a harness.
class AckLog {
 public:
  void Add(const Ack& ack, const std::optional<TreeHead>& head);
  std::vector<Ack> all() const;
  TreeHead newest() const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<Ack> acks_;
  TreeHead newest_;
};

// One Client per thread, as one ApiClient (whose connection is not to be shared).
class Client {
 public:
  // The daemon on 127.0.0.1:`port`; an answer not read within `read_timeout` counts as gone.
  Client(int port, std::string origin, uint64_t seed,
         std::chrono::seconds read_timeout = std::chrono::seconds(5));
  // The client library itself, for the harnesses' other reads.
  ApiClient& api() { return api_; }

  // The operator creates `id` with `role` using its nonce `operator_nonce`.
  Result<Account> CreateAccount(const SigningKey& operator_key, uint64_t operator_nonce,
                                const std::string& id, const std::string& role);

  struct Submitted {
    enum Outcome { kAcked, kRefused, kGone } outcome = kGone;
    Status refusal;  // why, when refused
    Ack ack;
    std::optional<TreeHead> head;  // the receipt's checkpoint
  };
  // Submits `writer`'s next transaction and updates its nonce and key when acknowledged:
  // one in `rotate_one_in` (0: never) is a key rotation, the others create a trader account.
  // kGone when no answer came (the daemon is gone or the read timed out).
  Submitted SubmitNext(Account& writer, uint32_t rotate_one_in);

  // OK iff entry `ack.seq` is served with the acknowledged leaf hash.
  Status CheckAck(const Ack& ack);
  // OK iff every ack is served with its leaf hash (read in pages of /v1/entries).
  Status CheckAcks(std::vector<Ack> acks);
  // Fetches and opens the checkpoint served now (signed by `log_key`), and checks with a
  // consistency proof that it extends `newest` (a tree head a client was given).
  Result<TreeHead> CheckCheckpointExtends(const NamedPublicKey& log_key, const TreeHead& newest);
  // After a restart: finds out which key of `writer` is current (a rotation whose
  // acknowledgement was lost either happened whole or not at all), and checks that its nonce
  // on the ledger is at least the last acknowledged one.
  Status ResolveAfterRestart(Account& writer);

 private:
  ApiClient api_;
  std::string origin_;
  std::mt19937_64 rng_;
};

}  // namespace carbonledger::harness
