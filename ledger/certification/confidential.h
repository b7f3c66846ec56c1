// Confidential inventories (ledger format 4, docs/certification.md §Confidential inventories):
// a park's inventory document never enters the log. The signed inventory.record body carries
// only a salted commitment to it,
//
//   commitment = hex SHA-256(canonical document bytes || salt),  salt: 32 random bytes,
//
// and the document and salt travel beside the signed transaction in the submission
// (Transaction::confidential = {"inventory": <document>, "salt": "<64 hex>"}). The ledger checks
// the commitment, validates and computes the document as for a public one, and keeps the
// attachment in the log's confidential key space (ConfidentialKey(seq), "c/<seq>"), which no
// public route serves.
//
// Invariant: a commitment names exactly one (document, salt) pair a park can show, and says
// nothing of the document to whoever lacks the salt (a guessed document cannot be confirmed).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/log/state.h"

namespace carbonledger::certification {

// hex SHA-256(canonical_document || salt). `salt` is the 32 raw bytes.
std::string InventoryCommitment(std::string_view canonical_document, std::string_view salt);

// A document sealed for submission: its commitment, and the attachment to send beside the
// signed transaction.
struct SealedInventory {
  std::string commitment;     // hex
  nlohmann::json attachment;  // {"inventory": document, "salt": hex}
};
// Draws a fresh 32-byte salt (libsodium's randombytes_buf). "json.*" when the document has no
// canonical form (a float, say).
Result<SealedInventory> SealInventory(const nlohmann::json& document);

// An inventory.record body with a public document ({"year","inventory",…}) turned into the
// confidential form: `inventory` replaced by the sealed document's "commitment", the
// attachment to send beside it. Any other body is returned as it is, with a null attachment.
struct SealedBody {
  nlohmann::json body;
  nlohmann::json attachment;  // null when nothing was sealed
};
Result<SealedBody> SealInventoryRecordBody(const std::string& type, nlohmann::json body);

// The attachment of an inventory.record, checked against the commitment its body names:
// {"inventory": object, "salt": 64 lower-case hex} and nothing else ("confidential.format"),
// whose commitment is `commitment` ("confidential.commitment"). Gives the document's canonical
// bytes.
Result<std::string> OpenAttachment(const nlohmann::json& attachment, std::string_view commitment);

// The confidential attachment of inventory entry `seq` ({"inventory","salt"}), or nullopt when this
// store does not hold it (a mirror, or a format 3 ledger whose documents are in their entries).
Result<std::optional<nlohmann::json>> ConfidentialInventory(const StateReader& state, uint64_t seq);

}  // namespace carbonledger::certification
