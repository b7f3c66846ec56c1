// Fuzz target: transaction submissions and canonical transactions (ledger/transaction.h,
// docs/ledger-format.md §Transactions).
//
// Invariants:
//  1. A submission DecodeSubmission accepts has a well-formed transaction: a valid type name
//     and signer, 1 <= nonce <= 2^53-1, canonical bytes within kMaxTransactionBytes, and
//     id = SHA-256(canonical).
//  2. EncodeSubmission of it decodes to the same transaction and signature, and encodes again
//     to the same bytes.
//  3. TransactionFromCanonical of its canonical bytes accepts them and gives the same
//     transaction; SignTransaction of the same fields (not_after included, when the
//     transaction has one) writes the same canonical bytes, and its signature verifies over them.
//  4. TransactionFromCanonical of arbitrary bytes accepts only canonical JSON: what it accepts
//     is exactly CanonicalJson(ParseStrictJson(bytes)).
#include <cstddef>
#include <cstdint>
#include <string>

#include "crypto/canonical_json.h"
#include "crypto/sha256.h"
#include "ledger/log/transaction.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

bool SameTransaction(const Transaction& a, const Transaction& b) {
  return a.type == b.type && a.ledger == b.ledger && a.signer == b.signer && a.nonce == b.nonce &&
         a.not_after == b.not_after && a.body == b.body && a.canonical == b.canonical &&
         a.id == b.id;
}

void CheckSubmission(std::string_view text) {
  auto stx = DecodeSubmission(text);
  if (!stx.ok()) {
    FUZZ_CHECK(!stx.status().reason().empty());
    return;
  }
  const Transaction& tx = stx->tx;
  // 1.
  FUZZ_CHECK(!tx.type.empty() && tx.type.size() <= 64);
  FUZZ_CHECK(IsValidAccountId(tx.signer));
  FUZZ_CHECK(tx.nonce >= 1 && tx.nonce <= uint64_t(kMaxSafeInteger));
  FUZZ_CHECK(tx.body.is_object());
  FUZZ_CHECK(!tx.canonical.empty() && tx.canonical.size() <= kMaxTransactionBytes);
  FUZZ_CHECK(tx.id == Sha256(tx.canonical));
  // 2.
  const std::string encoded = EncodeSubmission(*stx);
  auto again = DecodeSubmission(encoded);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(SameTransaction(again->tx, tx));
  FUZZ_CHECK(again->signature == stx->signature);
  FUZZ_CHECK(EncodeSubmission(*again) == encoded);
  // 3.
  auto from_canonical = TransactionFromCanonical(tx.canonical);
  FUZZ_CHECK(from_canonical.ok());
  FUZZ_CHECK(SameTransaction(*from_canonical, tx));
  // (SignTransaction always writes not_after; a transaction without one, of ledger format 1,
  // has no client-side equivalent to compare with.)
  if (!tx.not_after) return;
  static const SigningKey key = fuzz::FixedKey('\x5a');
  auto signed_tx =
      SignTransaction(tx.type, tx.ledger, tx.signer, tx.nonce, tx.body, key, *tx.not_after);
  FUZZ_CHECK(signed_tx.ok());
  FUZZ_CHECK(SameTransaction(signed_tx->tx, tx));
  FUZZ_CHECK(VerifySignature(key.public_key(), tx.canonical, signed_tx->signature));
}

void CheckCanonical(std::string_view text) {
  // 4.
  auto tx = TransactionFromCanonical(text);
  if (!tx.ok()) return;
  FUZZ_CHECK(tx->canonical == text);
  JsonLimits limits;
  limits.max_bytes = kMaxTransactionBytes;
  auto parsed = ParseStrictJson(text, limits);
  FUZZ_CHECK(parsed.ok());
  auto canonical = CanonicalJson(*parsed);
  FUZZ_CHECK(canonical.ok() && *canonical == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  CheckSubmission(text);
  CheckCanonical(text);
  return 0;
}
