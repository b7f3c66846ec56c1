// Mirror: a verifying mirror of a carbonledger log (docs/mirror.md). It follows a primary
// through the C2SP tlog-tiles routes it serves (/checkpoint, /tile/entries/...) and, for each
// new checkpoint, checks the log's signature, checks that the checkpoint is consistent with the
// tree it already verified, fetches the new entries and replays them with verify-ledger's rules
// into its own store (Ledger::AppendVerified), and only then serves the new checkpoint. With a
// witness policy it advances only to checkpoints that k of its n witnesses cosigned.
//
// Invariant: the store holds only what was verified, so it is always a ledger directory that
// `carbonledger verify-ledger` accepts. On any inconsistency — a bad signature, a checkpoint
// inconsistent with the verified tree, an entry that does not match the tree or that the rules
// refuse — the mirror halts: it never advances again (across restarts too, until an operator
// removes DIR/evidence/HALTED), keeps serving what it verified, saves the evidence in
// DIR/evidence/, and reports "halted" in Health() and Metrics(). A primary that cannot be
// reached is not an inconsistency: the mirror retries every interval.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/ledger.h"

namespace carbonledger {

struct MirrorOptions {
  std::string from;      // the primary, "http://host:port"
  std::string data_dir;  // db/ (the mirrored store), log.pub, evidence/
  // The log's verifier key from a source the operator trusts (--log-key). Absent: the key the
  // log's genesis entry names is pinned on first contact (trust on first use) in
  // DIR/log.pub, and every later checkpoint must be signed by it.
  std::optional<NamedPublicKey> log_key;
  // With witnesses listed, the mirror advances only to checkpoints (from the primary's
  // GET /v1/checkpoint/witnessed) that policy.required of them cosigned; it still checks the
  // primary's latest checkpoint for consistency every round.
  WitnessPolicy witnesses;
  int interval_ms = 500;  // between rounds
};

class Mirror {
 public:
  // Opens (or creates) the mirror's store. Refusals: "mirror.log_key" when --log-key differs
  // from the key pinned earlier or from the one the store's genesis names.
  static Result<std::unique_ptr<Mirror>> Open(MirrorOptions options, const TxTypeTable& types);
  ~Mirror();  // Stop()
  Mirror(const Mirror&) = delete;
  Mirror& operator=(const Mirror&) = delete;

  // One round: read the primary's checkpoint(s), check them, fetch, replay and store the new
  // entries. OK when the mirror is (now) at a verified checkpoint, even if it did not move;
  // the reason of a halt ("mirror.signature", "mirror.inconsistent", "mirror.entries",
  // "mirror.replay") when it halted in this round or earlier; "mirror.unreachable"
  // (Unavailable) when the primary did not answer as a log does.
  // One caller at a time: not while Start()'s thread runs.
  Status Round();
  // Rounds every interval on a background thread, until Stop().
  void Start();
  void Stop();

  Ledger& ledger();
  bool halted() const;
  // GET /v1/health's body on a mirror (docs/mirror.md §Health).
  nlohmann::json Health() const;
  // The mirror's lines of /metrics (docs/mirror.md §Metrics).
  std::string Metrics() const;
  // The verified checkpoint when it carries the required cosignatures, else "".
  std::string Witnessed() const;

  struct Impl;

 private:
  explicit Mirror(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carbonledger
