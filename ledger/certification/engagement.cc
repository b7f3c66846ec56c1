#include "ledger/certification/internal/engagement.h"

#include "ledger/certification/internal/state_keys.h"
#include "ledger/certification/reports.h"
#include "ledger/log/fields.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/queries.h"

namespace carbonledger::certification {
namespace {

// Engagements are rules of ledger format 3; a format 2 ledger replays and serves as it was
// written, without them (docs/ledger-format.md §Format versions).
Status RequireEngagementFormat(const StateReader& state, const std::string& type) {
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  if (*format < 3) {
    return Status::Unprocessable(
        "ledger.format",
        type + " needs ledger format 3; this ledger is of format " + std::to_string(*format));
  }
  return Status::OK();
}

std::string ParkYearName(const std::string& park, int64_t year) {
  return "park \"" + park + "\" " + std::to_string(year);
}

}  // namespace

Result<EngagementBody> ValidateEngagement(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  if (Status s = OnlyFields(b, {"certifier", "year"}, "body"); !s.ok()) return s;
  auto certifier = RequireString(b, "certifier", 64);
  if (!certifier.ok()) return certifier.status();
  if (!IsValidAccountId(*certifier)) {
    return Status::InvalidArgument("account.id", "body.certifier is not an account id");
  }
  auto year = RequireYear(b, "year");
  if (!year.ok()) return year.status();
  return EngagementBody{*certifier, *year};
}

Status ApplyEngage(const TxContext& ctx, const EngagementBody& body, StateTxn& state) {
  if (Status s = RequireEngagementFormat(state, "certifier.engage"); !s.ok()) return s;
  auto certifier = FindAccount(state, body.certifier);
  if (!certifier.ok()) return certifier.status();
  if (!certifier->has_value()) {
    return Status::NotFound("account.unknown",
                            "body.certifier: no account \"" + body.certifier + "\"");
  }
  if ((*certifier)->role != Role::kCertifier) {
    return Status::Unprocessable("engage.not_certifier",
                                 "body.certifier: account \"" + body.certifier + "\" is a " +
                                     std::string(RoleName((*certifier)->role)) +
                                     ", not a certifier");
  }
  const std::string park = ctx.tx.signer;
  auto current = GetRecord(state, EngagementKey(park, body.year));
  if (!current.ok()) return current.status();
  if (current->has_value()) {
    const nlohmann::json& e = **current;
    const std::string engaged = e.value("certifier", "");
    const std::string since = " since entry " + e.value("seq", nlohmann::json(0)).dump();
    if (engaged == body.certifier) {
      return Status::Conflict(
          "engage.duplicate",
          ParkYearName(park, body.year) + " already engages \"" + engaged + "\"" + since);
    }
    return Status::Conflict("engage.active",
                            ParkYearName(park, body.year) + " engages \"" + engaged + "\"" + since +
                                "; revoke it (certifier.revoke) before engaging another");
  }
  JoinScope(ctx, ParkYearScope(park, body.year));
  return PutRecord(
      state, EngagementKey(park, body.year),
      {{"park", park}, {"year", body.year}, {"certifier", body.certifier}, {"seq", ctx.seq}});
}

Status ApplyRevoke(const TxContext& ctx, const EngagementBody& body, StateTxn& state) {
  if (Status s = RequireEngagementFormat(state, "certifier.revoke"); !s.ok()) return s;
  const std::string park = ctx.tx.signer;
  auto current = GetRecord(state, EngagementKey(park, body.year));
  if (!current.ok()) return current.status();
  if (!current->has_value() || (**current).value("certifier", "") != body.certifier) {
    return Status::NotFound("engage.none", ParkYearName(park, body.year) + " does not engage \"" +
                                               body.certifier + "\"");
  }
  state.Delete(EngagementKey(park, body.year));
  JoinScope(ctx, ParkYearScope(park, body.year));
  return Status::OK();
}

TxType EngageType() {
  return TxType("certifier.engage", {"park"}, &ValidateEngagement, &ApplyEngage);
}

TxType RevokeType() {
  return TxType("certifier.revoke", {"park"}, &ValidateEngagement, &ApplyRevoke);
}

}  // namespace carbonledger::certification

namespace carbonledger {

Result<std::optional<nlohmann::json>> CurrentEngagement(const StateReader& state,
                                                        const std::string& park, int64_t year) {
  return GetRecord(state, certification::EngagementKey(park, year));
}

Result<bool> CertifierMayRead(const StateReader& state, const std::string& certifier,
                              const std::string& park, std::optional<int64_t> year) {
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  if (*format < 3) return true;
  if (year) {
    auto e = CurrentEngagement(state, park, *year);
    if (!e.ok()) return e.status();
    return e->has_value() && (**e).value("certifier", "") == certifier;
  }
  bool engaged = false;
  Status corrupt;
  Status scan = state.Scan(
      certification::EngagementPrefix(park), [&](const std::string&, const std::string& value) {
        auto e = nlohmann::json::parse(value, nullptr, false);
        if (!e.is_object()) {
          corrupt = Status::Corruption("state.engagement", "malformed engagement record");
          return false;
        }
        engaged = e.value("certifier", "") == certifier;
        return !engaged;
      });
  if (!scan.ok()) return scan;
  if (!corrupt.ok()) return corrupt;
  return engaged;
}

}  // namespace carbonledger
