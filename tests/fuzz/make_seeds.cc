// Writes the generated part of the fuzz seed corpora (tests/fuzz/corpus/<target>/) from one
// real statement bundle; the other seeds are written by hand.
//
//   make_seeds <bundle.json> <corpus dir>
//
// <bundle.json> is what `carbonledger get /v1/statements/<id>/bundle --json` prints for the
// demo scenario (docs/demo.md: S29). From it:
//   statement_bundle/  the bundle re-sealed with the fuzz keys (tests/fuzz/bundle_reseal.h):
//                      sealed.json (entries as bytes; verifies as is) and unsealed.json
//                      (entries as transaction objects). Both must verify.
//   entry/             the bundle's entry bytes
//   transaction/       each entry's transaction as a submission envelope, and its canonical bytes
//   inventory/         the inventory document the statement rests on
//   checkpoint/        the checkpoint body and signed note (fuzz log key), and with a witness
//                      cosignature
//   request_auth/      signed request headers in the target's input layout
// Files are named by the first 16 hex digits of their SHA-256, so rerunning adds nothing new.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "api/request_auth.h"
#include "ledger/certification/bundle.h"
#include "tests/fuzz/bundle_reseal.h"

using namespace carbonledger;

namespace {

std::string corpus_dir;

void Write(const std::string& target, const std::string& bytes, std::string name = "") {
  if (name.empty()) name = HexEncode(AsBytes(Sha256(bytes))).substr(0, 16);
  std::ofstream(corpus_dir + "/" + target + "/" + name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_seeds <bundle.json> <corpus dir>\n";
    return 2;
  }
  corpus_dir = argv[2];
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json bundle = nlohmann::json::parse(text.str());
  if (!fuzz::ResealBundle(bundle)) {
    std::cerr << "no entries to re-seal\n";
    return 1;
  }

  // statement_bundle
  const std::string sealed = bundle.dump();
  auto report = VerifyStatementBundle(sealed, fuzz::BundleLogPublicKey());
  if (!report.ok()) {
    std::cerr << "re-sealed bundle does not verify: " << report.status().ToString() << "\n";
    return 1;
  }
  const std::string unsealed = fuzz::UnsealedBundle(bundle).dump();
  nlohmann::json again = nlohmann::json::parse(unsealed);
  FUZZ_CHECK(fuzz::ResealBundle(again));
  FUZZ_CHECK(again.dump() == sealed);
  Write("statement_bundle", sealed, "sealed.json");
  Write("statement_bundle", unsealed, "unsealed.json");

  // entry, transaction, inventory
  for (const auto& v : bundle["entries"]) {
    const std::string bytes = *Base64Decode(v["entry"].get<std::string>());
    Write("entry", bytes);
    auto e = DecodeEntry(bytes);
    FUZZ_CHECK(e.ok());
    auto tx = TransactionFromCanonical(e->tx);
    FUZZ_CHECK(tx.ok());
    const std::string submission = EncodeSubmission(SignedTransaction{*tx, e->signature});
    Write("transaction", submission);
    Write("transaction", e->tx);
    // The same submission as a client might format it.
    Write("transaction", nlohmann::json::parse(submission).dump(1, '\t'));
    if (tx->type == "inventory.record" && tx->body.contains("inventory")) {
      Write("inventory", tx->body["inventory"].dump(2));
    }
  }

  // checkpoint
  auto cp = OpenCheckpoint(bundle["checkpoint"].get<std::string>(), fuzz::kBundleLogName,
                           fuzz::BundleLogKey().public_key());
  FUZZ_CHECK(cp.ok());
  const std::string note = bundle["checkpoint"].get<std::string>();
  Write("checkpoint", CheckpointBody(*cp));
  Write("checkpoint", note);
  const SigningKey witness = fuzz::FixedKey('\x55');
  const std::string cosigned = SignCheckpoint(*cp, "witness.example/w1", witness);
  Write("checkpoint", note + cosigned.substr(CheckpointBody(*cp).size() + 1));
  Checkpoint with_extensions = *cp;
  with_extensions.extensions = {"ext one", "\xE2\x80\x94 second \xE6\x89\xA9\xE5\xB1\x95"};
  Write("checkpoint", SignCheckpoint(with_extensions, fuzz::kBundleLogName, fuzz::BundleLogKey()));

  // request_auth: Signature-Input, Signature, method, path, query, body, one per line
  const SigningKey account = fuzz::FixedKey('\x33');
  struct Req {
    const char *method, *path, *query, *body, *account, *nonce;
    int64_t created;
  } reqs[] = {
      {"GET", "/v1/accounts/park-hefei", "", "", "park-hefei", "0123456789abcdef", 1700000000},
      {"GET", "/v1/statements/S29/bundle", "?format=json&x=1", "", "certifier-1",
       "Zz_-9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_", 1763700000},
      {"POST", "/v1/inventories", "", "{\"a\":1}\n", "operator",
       "nonce-nonce-nonce-nonce-nonce-nonce-nonce-nonce-nonce-nonce-1234", 0},
  };
  for (const Req& r : reqs) {
    SignedHeaders h =
        SignRequest(r.method, r.path, r.query, r.body, r.account, account, r.created, r.nonce);
    Write("request_auth", h.signature_input + "\n" + h.signature + "\n" + r.method + "\n" + r.path +
                              "\n" + r.query + "\n" + r.body);
  }

  std::cout << report->statement_id << " of " << report->park << " " << report->year << ": "
            << report->verdict << ", " << report->entries_proved << " entries in a tree of "
            << report->tree_size << "\n";
  return 0;
}
