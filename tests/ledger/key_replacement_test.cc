// Key replacement (docs/registry-rules.md §Accounts): only the operator may propose to replace
// another account's key, only by naming that account's current key, and the proposal takes
// effect only once a second registry account confirms it. Each attack is sent as an adversary
// holding a registry-role account would send it, against a real ledger.
#include <catch2/catch.hpp>

#include "ledger/registry/accounts.h"
#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

std::string KeyB64(const SigningKey& k) { return Base64Encode(AsBytes(k.public_key())); }

std::string StoredKey(LedgerFixture& fx, const std::string& account) {
  auto record = GetRecord(fx.ledger().state(), AccountKey(account));
  REQUIRE(record.ok());
  REQUIRE(record->has_value());
  return (**record)["public_key"].get<std::string>();
}

// The registry fixture, registry-role accounts "issuer-2" and "issuer-3", and 100 GECs held by
// park-a.
struct KeyFixture : RegistryFixture {
  uint64_t first = 0;
  KeyFixture() {
    CreateAccount("issuer-2", "registry");
    CreateAccount("issuer-3", "registry");
    first = IssueGec("wind-1", MonthsAgo(3), 100);
    Ok("po", "unit.transfer", {{"to", "park-a"}, {"ops", {Range("GEC", first, first + 99)}}});
  }
  nlohmann::json Replace(const std::string& account, const std::string& old_key,
                         const std::string& new_key) {
    return {{"account", account},
            {"old_public_key", old_key},
            {"public_key", new_key},
            {"reason", "key lost"}};
  }
  nlohmann::json Confirm(const std::string& account, const std::string& new_key) {
    return {{"account", account}, {"public_key", new_key}};
  }
};

}  // namespace

TEST_CASE("a second registry account cannot replace the operator's or a park's key",
          "[ledger][keys][hostile]") {
  KeyFixture fx;
  SigningKey attacker = SigningKey::Generate();
  const std::string op_key = StoredKey(fx, fx.op());
  const std::string park_key = StoredKey(fx, "park-a");

  Status s = fx.Refused("issuer-2", "account.replace_key",
                        fx.Replace(fx.op(), op_key, KeyB64(attacker)), "account.operator_only");
  CHECK(s.code() == Code::kPermissionDenied);
  s = fx.Refused("issuer-2", "account.replace_key",
                 fx.Replace("park-a", park_key, KeyB64(attacker)), "account.operator_only");
  CHECK(s.code() == Code::kPermissionDenied);
  CHECK(StoredKey(fx, fx.op()) == op_key);
  CHECK(StoredKey(fx, "park-a") == park_key);

  // The attacker's key moves nothing out of the park, nor signs for the operator.
  SigningKey park = fx.key("park-a");
  SigningKey op = fx.key(fx.op());
  fx.set_key("park-a", attacker);
  fx.Refused("park-a", "unit.transfer",
             {{"to", "trader"}, {"ops", {Range("GEC", fx.first, fx.first + 99)}}}, "tx.signature");
  fx.set_key(fx.op(), attacker);
  fx.Refused(fx.op(), "account.create",
             {{"account", "mule"}, {"role", "trader"}, {"public_key", KeyB64(attacker)}},
             "tx.signature");
  fx.set_key("park-a", park);
  fx.set_key(fx.op(), op);
  CHECK(fx.Held("park-a", "GEC") == 100);
  CHECK(fx.Held("trader", "GEC") == 0);
}

TEST_CASE("account.replace_key must name the account's current key as old_public_key",
          "[ledger][keys][hostile]") {
  KeyFixture fx;
  const std::string park_key = StoredKey(fx, "park-a");
  const std::string fresh = KeyB64(SigningKey::Generate());
  nlohmann::json body = fx.Replace("park-a", park_key, fresh);

  body.erase("old_public_key");
  Status s = fx.Refused(fx.op(), "account.replace_key", body, "field.missing");
  CHECK(s.message().find("body.old_public_key") != std::string::npos);
  body["old_public_key"] = "not-a-key";
  s = fx.Refused(fx.op(), "account.replace_key", body, "field.public_key");
  CHECK(s.message().find("body.old_public_key") != std::string::npos);
  body["old_public_key"] = KeyB64(SigningKey::Generate());
  s = fx.Refused(fx.op(), "account.replace_key", body, "account.old_key");
  CHECK(s.code() == Code::kUnprocessable);
  // Another account's current key is not this account's.
  body["old_public_key"] = StoredKey(fx, "park-b");
  fx.Refused(fx.op(), "account.replace_key", body, "account.old_key");
  // A registry account other than the operator is refused even with every field right.
  fx.Refused("issuer-2", "account.replace_key", fx.Replace("park-a", park_key, fresh),
             "account.operator_only");
  CHECK(StoredKey(fx, "park-a") == park_key);
}

TEST_CASE("the operator replaces a park's key: the new key signs, the old one no longer does",
          "[ledger][keys]") {
  KeyFixture fx;
  SigningKey old_key = fx.key("park-a");
  SigningKey new_key = SigningKey::Generate();
  fx.Ok(fx.op(), "account.replace_key", fx.Replace("park-a", KeyB64(old_key), KeyB64(new_key)));
  // A proposal alone changes no key.
  CHECK(StoredKey(fx, "park-a") == KeyB64(old_key));
  fx.Ok("issuer-2", "account.confirm_key", fx.Confirm("park-a", KeyB64(new_key)));
  CHECK(StoredKey(fx, "park-a") == KeyB64(new_key));
  // The proposal is used up: a second confirmation finds none.
  fx.Refused("issuer-3", "account.confirm_key", fx.Confirm("park-a", KeyB64(new_key)),
             "account.no_pending_key");

  // The old key no longer signs.
  fx.Refused("park-a", "unit.transfer",
             {{"to", "trader"}, {"ops", {Range("GEC", fx.first, fx.first + 9)}}}, "tx.signature");
  // The new one does.
  fx.set_key("park-a", new_key);
  fx.Ok("park-a", "unit.transfer",
        {{"to", "trader"}, {"ops", {Range("GEC", fx.first, fx.first + 9)}}});
  CHECK(fx.Held("trader", "GEC") == 10);
  // The replaced key is now the old key to name: the previous one is refused.
  fx.Refused(fx.op(), "account.replace_key",
             fx.Replace("park-a", KeyB64(old_key), KeyB64(SigningKey::Generate())),
             "account.old_key");
}

TEST_CASE("a key replacement takes effect only when a second registry account confirms it",
          "[ledger][keys][hostile]") {
  KeyFixture fx;
  const std::string park_key = StoredKey(fx, "park-a");
  const std::string first_key = KeyB64(SigningKey::Generate());
  const std::string second_key = KeyB64(SigningKey::Generate());

  // Nothing pending: refused.
  fx.Refused("issuer-2", "account.confirm_key", fx.Confirm("park-a", first_key),
             "account.no_pending_key");
  fx.Ok(fx.op(), "account.replace_key", fx.Replace("park-a", park_key, first_key));
  // The proposer may not confirm its own proposal.
  Status s = fx.Refused(fx.op(), "account.confirm_key", fx.Confirm("park-a", first_key),
                        "account.confirm_by_proposer");
  CHECK(s.code() == Code::kPermissionDenied);
  // Nor may an account of another role, the park itself included.
  fx.Refused("park-a", "account.confirm_key", fx.Confirm("park-a", first_key), "tx.role");
  fx.Refused("trader", "account.confirm_key", fx.Confirm("park-a", first_key), "tx.role");
  // A confirmation must name the pending key.
  fx.Refused("issuer-2", "account.confirm_key", fx.Confirm("park-a", second_key),
             "account.pending_key");
  fx.Refused("issuer-2", "account.confirm_key", fx.Confirm("park-b", first_key),
             "account.no_pending_key");
  CHECK(StoredKey(fx, "park-a") == park_key);

  // A new proposal supersedes the pending one: the first key can no longer be confirmed.
  fx.Ok(fx.op(), "account.replace_key", fx.Replace("park-a", park_key, second_key));
  fx.Refused("issuer-2", "account.confirm_key", fx.Confirm("park-a", first_key),
             "account.pending_key");
  fx.Ok("issuer-3", "account.confirm_key", fx.Confirm("park-a", second_key));
  CHECK(StoredKey(fx, "park-a") == second_key);
}

TEST_CASE("a pending key replacement is void once the account's key changed",
          "[ledger][keys][hostile]") {
  KeyFixture fx;
  SigningKey park = fx.key("park-a");
  SigningKey rotated = SigningKey::Generate();
  const std::string proposed = KeyB64(SigningKey::Generate());
  fx.Ok(fx.op(), "account.replace_key", fx.Replace("park-a", KeyB64(park), proposed));
  // The park still holds its key and rotates it: the proposal no longer replaces the current key.
  fx.Ok("park-a", "account.rotate_key", {{"public_key", KeyB64(rotated)}});
  fx.Refused("issuer-2", "account.confirm_key", fx.Confirm("park-a", proposed), "account.old_key");
  CHECK(StoredKey(fx, "park-a") == KeyB64(rotated));
}
