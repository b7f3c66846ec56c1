// End-to-end: `carbonledger witness` as an operator runs it (keygen, witness-key, a --logs file
// holding the ledger's keys/log.pub), killed with SIGKILL between requests: what it cosigned
// before the kill still binds it afterwards (docs/witness.md §Persistence).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "crypto/encoding.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/proof.h"
#include "ledger/registry/genesis.h"
#include "tests/support/bin_path.h"
#include "tests/support/ledger_fixture.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::LedgerFixture;
using carbonledger::testing::TempDir;

namespace {

std::string AddBody(uint64_t old_size, const std::vector<Hash>& proof, const std::string& note) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const Hash& h : proof) body += Base64Encode(AsBytes(h)) + "\n";
  return body + "\n" + note;
}

}  // namespace

TEST_CASE("carbonledger witness cosigns, and after SIGKILL still refuses stale sizes and forks",
          "[e2e]") {
  LedgerFixture fx;
  Ledger& ledger = fx.ledger();
  TempDir dir;
  const std::string key_file = dir.Sub("witness.key");
  REQUIRE(Run(BinPath("carbonledger"), {"keygen", "--name", "witness.test/w1", "--out", key_file})
              .exit_code == 0);
  auto vkey_out = Run(BinPath("carbonledger"), {"witness-key", "--key", key_file});
  INFO(vkey_out.out);
  REQUIRE(vkey_out.exit_code == 0);
  auto witness_key = ParseCosignerKey(vkey_out.out);
  REQUIRE(witness_key.ok());
  {
    std::ifstream pub(LogPublicKeyPath(fx.data_dir()));
    std::ofstream logs(dir.Sub("logs.txt"));
    logs << "# the ledger under test\n" << pub.rdbuf();
  }
  const std::vector<std::string> args = {"--key",  key_file,          "--logs", dir.Sub("logs.txt"),
                                         "--data", dir.Sub("witness")};
  // The CLI refuses a bad logs file and names the line.
  {
    std::ofstream bad(dir.Sub("bad.txt"));
    bad << "\nnot a key\n";
  }
  auto refused = Run(BinPath("carbonledger"), {"witness", "--key", key_file, "--logs",
                                               dir.Sub("bad.txt"), "--data", dir.Sub("w2")});
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("witness.config") != std::string::npos);
  CHECK(refused.out.find("line 2") != std::string::npos);

  Daemon w(BinPath("carbonledger"), {"witness"});
  REQUIRE(w.Start(args));
  {
    httplib::Client c("127.0.0.1", w.port());
    auto r = c.Post("/add-checkpoint", AddBody(0, {}, ledger.checkpoint()), "text/plain");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    auto ts = VerifyCosignature(ledger.checkpoint() + r->body, *witness_key);
    REQUIRE(ts.ok());
    CHECK(*ts > 1700000000);  // the system clock
  }
  const uint64_t cosigned = ledger.size();
  CHECK(w.Stop(SIGKILL) == 128 + SIGKILL);

  fx.CreateAccount("cert-1", "certifier");
  REQUIRE(w.Start(args));
  httplib::Client c("127.0.0.1", w.port());
  // Stale: the witness answers the size it persisted before the kill.
  auto stale = c.Post("/add-checkpoint", AddBody(0, {}, ledger.checkpoint()), "text/plain");
  REQUIRE(stale);
  CHECK(stale->status == 409);
  CHECK(stale->get_header_value("Content-Type") == "text/x.tlog.size");
  CHECK(stale->body == std::to_string(cosigned) + "\n");
  // A fork of the cosigned checkpoint, signed by the log's own key.
  auto log_key = ReadPrivateKeyFile(LogKeyPath(fx.data_dir()));
  REQUIRE(log_key.ok());
  const std::string fork = SignCheckpoint(Checkpoint{ledger.origin(), cosigned, Sha256("fork"), {}},
                                          log_key->name, log_key->key);
  auto forked = c.Post("/add-checkpoint", AddBody(cosigned, {}, fork), "text/plain");
  REQUIRE(forked);
  CHECK(forked->status == 422);
  // The true history goes on.
  auto proof = ledger.ProveConsistency(cosigned, ledger.size());
  REQUIRE(proof.ok());
  auto grown = c.Post("/add-checkpoint", AddBody(cosigned, proof->hashes, ledger.checkpoint()),
                      "text/plain");
  REQUIRE(grown);
  CHECK(grown->status == 200);
  CHECK(VerifyCosignature(ledger.checkpoint() + grown->body, *witness_key).ok());

  // The offline verifiers require the witness (docs/witness.md §Requiring witnesses): an
  // inclusion proof against the cosigned checkpoint passes with the witness named, and the
  // same checkpoint without its cosignature, or a witnesses file naming another key, fails.
  const std::string note = ledger.checkpoint();
  std::ofstream(dir.Sub("cosigned.txt")) << note + grown->body;
  std::ofstream(dir.Sub("plain.txt")) << note;
  auto inclusion = ledger.ProveInclusion(1, ledger.size());
  REQUIRE(inclusion.ok());
  auto entry = ledger.GetEntry(1);
  REQUIRE(entry.ok());
  std::ofstream(dir.Sub("proof.json")) << EncodeInclusionProof({*inclusion, entry->leaf_hash, {}});
  std::ofstream(dir.Sub("witnesses.txt")) << "# the test's witness\n" << vkey_out.out;
  const std::string other_key_file = dir.Sub("other.key");
  REQUIRE(
      Run(BinPath("carbonledger"), {"keygen", "--name", "witness.test/w2", "--out", other_key_file})
          .exit_code == 0);
  auto other = Run(BinPath("carbonledger"), {"witness-key", "--key", other_key_file});
  std::ofstream(dir.Sub("both.txt")) << vkey_out.out << other.out;
  auto verify = [&](const std::string& checkpoint, const std::vector<std::string>& extra) {
    std::vector<std::string> a = {
        "verify-inclusion", "--proof",   dir.Sub("proof.json"),          "--checkpoint",
        checkpoint,         "--log-key", LogPublicKeyPath(fx.data_dir())};
    a.insert(a.end(), extra.begin(), extra.end());
    return Run(BinPath("carbonledger"), a);
  };
  auto ok = verify(dir.Sub("cosigned.txt"), {"--witnesses", dir.Sub("witnesses.txt")});
  INFO(ok.out);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("witnessed by witness.test/w1 (1 of 1 required)") != std::string::npos);
  auto bare = verify(dir.Sub("plain.txt"), {"--witnesses", dir.Sub("witnesses.txt")});
  CHECK(bare.exit_code == 1);
  CHECK(bare.out.find("cosignature.quorum") != std::string::npos);
  CHECK(bare.out.find("OK:") == std::string::npos);
  CHECK(verify(dir.Sub("plain.txt"), {}).exit_code == 0);  // no requirement, no witness needed
  // 1 of 2 named is enough when 1 is required; both are not there.
  CHECK(verify(dir.Sub("cosigned.txt"),
               {"--witnesses", dir.Sub("both.txt"), "--require-witnesses", "1"})
            .exit_code == 0);
  auto two = verify(dir.Sub("cosigned.txt"), {"--witnesses", dir.Sub("both.txt")});
  CHECK(two.exit_code == 1);
  CHECK(two.out.find("1 of the 2") != std::string::npos);
  CHECK(verify(dir.Sub("cosigned.txt"),
               {"--witnesses", dir.Sub("witnesses.txt"), "--require-witnesses", "2"})
            .exit_code == 2);

  CHECK(w.Stop(SIGTERM) == 0);
  CHECK(w.log().find("shutting down") != std::string::npos);
}
