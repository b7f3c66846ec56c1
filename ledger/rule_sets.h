// The rule sets that make up the ledger's transaction types, one file each, and the small
// decoding helpers they share. Private to the ledger library.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/rules.h"

namespace carbonledger {

std::vector<TxRule> AccountRules();        // genesis, account.create, account.rotate_key, ...
std::vector<TxRule> RegistryRules();       // generator.register, gec.issue, unit.transfer, ...
std::vector<TxRule> CertificationRules();  // inventory.record, statement.record

// The operator key named in a genesis transaction's body.
Result<PublicKey> GenesisOperatorKey(const Transaction& tx);

// Field helpers: each error names the field as a JSON path ("body.public_key").
Result<PublicKey> DecodePublicKeyField(const nlohmann::json& object, const std::string& field);
Result<std::string> RequireString(const nlohmann::json& object, const std::string& field,
                                  size_t max_len = 256);
Result<uint64_t> RequirePositive(const nlohmann::json& object, const std::string& field);
// Refuses any member not in `allowed`.
Status OnlyFields(const nlohmann::json& object, std::initializer_list<const char*> allowed,
                  const std::string& where);

}  // namespace carbonledger
