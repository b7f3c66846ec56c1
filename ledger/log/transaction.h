// Transaction: a signed request to change the ledger. The signed bytes are the RFC 8785
// canonical JSON of the transaction object (docs/ledger-format.md §Transactions):
//
//   {"body":{...},"ledger":"<log origin>","nonce":<int>,"not_after":<Unix ms>,
//    "signer":"<account id>","type":"<type>"}
//
// `ledger` binds the signature to one log, so a transaction cannot be replayed on another;
// `nonce` is strictly increasing per signer, so it cannot be replayed on this one once
// accepted; `not_after` ends its validity, so one that was refused cannot be replayed later.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace carbonledger {

// The largest canonical transaction accepted, in bytes. Entries must fit the 16-bit length
// prefix of C2SP tlog-tiles entry bundles, with room for the entry header.
constexpr size_t kMaxTransactionBytes = 60000;
// The largest confidential attachment accepted (its canonical JSON), and the largest
// submission envelope (transaction + signature + attachment + JSON overhead).
constexpr size_t kMaxConfidentialBytes = 64 * 1024;
constexpr size_t kMaxSubmissionBytes = 160 * 1024;

struct Transaction {
  std::string type;
  std::string ledger;
  std::string signer;
  uint64_t nonce = 0;
  // The last acceptance time, Unix milliseconds UTC. Absent only in ledger format 1
  // transactions (read by offline verifiers; the ledger refuses them, "tx.not_after").
  std::optional<uint64_t> not_after;
  nlohmann::json body = nlohmann::json::object();

  std::string canonical;  // RFC 8785 bytes: what is signed and what the entry stores
  Hash id{};              // SHA-256(canonical): the idempotency key
  // Data that travels beside the signed transaction and is never part of an entry (ledger
  // format 4: a confidential inventory document and its salt, to which the signed body
  // commits; docs/certification.md §Confidential inventories). null when none was sent, or
  // when a replay does not hold it. Not signed and not in `canonical`: the body's commitment
  // is what binds it.
  nlohmann::json confidential = nullptr;
};

struct SignedTransaction {
  Transaction tx;
  Signature signature{};
};

// An account id: 1..64 of [a-z0-9._-], starting with a letter or digit.
bool IsValidAccountId(std::string_view id);

// Checks the shape of a transaction object and fills `canonical` and `id`. Errors name the
// field: "tx.field" (missing/extra/wrong type), "tx.type", "tx.signer", "tx.nonce",
// "tx.not_after", "tx.too_large", plus the strict-JSON reasons ("json.float", ...).
Result<Transaction> TransactionFromJson(const nlohmann::json& object);

// Parses the canonical bytes stored in an entry; refuses bytes that are not canonical.
Result<Transaction> TransactionFromCanonical(std::string_view canonical);

// A submission envelope: {"tx": {...}, "signature": "<base64 of 64 bytes>"}, and optionally
// "confidential": an object of at most kMaxConfidentialBytes (canonical JSON) that becomes
// tx.confidential ("submission.confidential" otherwise).
Result<SignedTransaction> DecodeSubmission(std::string_view text);
std::string EncodeSubmission(const SignedTransaction& stx);

// How long a transaction signed by SignTransaction stays valid unless told otherwise.
constexpr uint64_t kDefaultTxValidityMs = 60 * 60 * 1000;

// Client side: builds, canonicalises and signs a transaction valid until `not_after_ms`
// (Unix ms), by default kDefaultTxValidityMs from now.
Result<SignedTransaction> SignTransaction(std::string type, std::string ledger, std::string signer,
                                          uint64_t nonce, nlohmann::json body,
                                          const SigningKey& key);
Result<SignedTransaction> SignTransaction(std::string type, std::string ledger, std::string signer,
                                          uint64_t nonce, nlohmann::json body,
                                          const SigningKey& key, uint64_t not_after_ms);

}  // namespace carbonledger
