#include "ledger/certification/confidential.h"

#include <sodium.h>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/tx_types.h"

namespace carbonledger::certification {
namespace {

constexpr size_t kSaltBytes = 32;

bool IsLowerHex(std::string_view s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string InventoryCommitment(std::string_view canonical_document, std::string_view salt) {
  Sha256Hasher h;
  h.Update(canonical_document).Update(salt);
  return HexEncode(AsBytes(h.Final()));
}

Result<SealedInventory> SealInventory(const nlohmann::json& document) {
  auto text = CanonicalJson(document);
  if (!text.ok()) return text.status();
  std::string salt(kSaltBytes, '\0');
  randombytes_buf(salt.data(), salt.size());
  SealedInventory sealed;
  sealed.commitment = InventoryCommitment(*text, salt);
  sealed.attachment = {{"inventory", document}, {"salt", HexEncode(salt)}};
  return sealed;
}

Result<SealedBody> SealInventoryRecordBody(const std::string& type, nlohmann::json body) {
  if (type != "inventory.record" || !body.is_object() || !body.contains("inventory")) {
    return SealedBody{std::move(body), nullptr};
  }
  auto sealed = SealInventory(body["inventory"]);
  if (!sealed.ok()) return sealed.status();
  body.erase("inventory");
  body["commitment"] = sealed->commitment;
  return SealedBody{std::move(body), std::move(sealed->attachment)};
}

Result<std::string> OpenAttachment(const nlohmann::json& a, std::string_view commitment) {
  if (!a.is_object() || a.size() != 2 || !a.contains("inventory") || !a["inventory"].is_object() ||
      !a.contains("salt") || !a["salt"].is_string() ||
      !IsLowerHex(a["salt"].get_ref<const std::string&>(), 2 * kSaltBytes)) {
    return Status::InvalidArgument(
        "confidential.format",
        "confidential must be {\"inventory\": <the inventory document>, \"salt\": <64 lower-case "
        "hex digits: 32 random bytes>}");
  }
  auto text = CanonicalJson(a["inventory"]);
  if (!text.ok()) return text.status();
  auto salt = HexDecode(a["salt"].get<std::string>());
  if (!salt.ok()) return salt.status();
  if (InventoryCommitment(*text, *salt) != commitment) {
    return Status::InvalidArgument(
        "confidential.commitment",
        "body.commitment is not SHA-256(canonical confidential.inventory || salt)");
  }
  return *text;
}

Result<std::optional<nlohmann::json>> ConfidentialInventory(const StateReader& state,
                                                            uint64_t seq) {
  return GetRecord(state, ConfidentialKey(seq));
}

}  // namespace carbonledger::certification
