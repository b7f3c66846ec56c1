// WitnessCollector: the log's side of c2sp.org/tlog-witness. A background thread that, every
// interval, sends the log's latest checkpoint to each configured witness (add-checkpoint, with
// the consistency proof from the size that witness last cosigned), checks each answer's
// cosignature against that witness's key, and keeps the latest checkpoint with every
// cosignature it got, served as GET /v1/checkpoint/witnessed (docs/witness.md §The log's
// witnesses).
//
// It never makes a commit wait: writes are acknowledged as before, and the witnessed
// checkpoint trails the latest one by at most an interval plus the witnesses' answers. A
// witness that is down or refuses is retried next interval; it never holds up the others.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace carbonledger {

class Ledger;

// One witness the log sends its checkpoints to.
struct WitnessEndpoint {
  std::string host;
  int port = 0;
  NamedPublicKey key;  // its cosignature/v1 key (`carbonledger witness-key`)
};

// The --witnesses file of carbonledgerd: one witness per line, "http://HOST:PORT <witness key>";
// blank lines and lines starting with '#' skipped. "config.witnesses" (kInvalidArgument) names
// the line of anything else.
Result<std::vector<WitnessEndpoint>> ParseWitnessEndpoints(std::string_view text);

class WitnessCollector {
 public:
  WitnessCollector(const Ledger& ledger, std::vector<WitnessEndpoint> witnesses, int interval_ms);
  ~WitnessCollector();  // Stop()
  WitnessCollector(const WitnessCollector&) = delete;
  WitnessCollector& operator=(const WitnessCollector&) = delete;

  void Start();
  void Stop();
  // The latest checkpoint note that at least one witness cosigned, with every cosignature line
  // got for it; "" when none yet.
  std::string Witnessed() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carbonledger
