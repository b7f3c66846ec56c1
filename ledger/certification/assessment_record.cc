#include "ledger/certification/internal/assessment_record.h"

#include "accounting/evaluation_scheme.h"
#include "crypto/canonical_json.h"
#include "ledger/certification/internal/state_keys.h"
#include "ledger/log/fields.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/queries.h"

namespace carbonledger::certification {

std::string AssessmentKey(std::string_view park, int64_t year, std::string_view scheme) {
  return "asm/" + std::string(park) + "/" + std::to_string(year) + "/" + std::string(scheme);
}

Result<AssessmentRecordBody> ValidateAssessmentRecord(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  if (Status s = OnlyFields(b, {"park", "year", "scheme", "assessment", "opinion"}, "body");
      !s.ok()) {
    return s;
  }
  AssessmentRecordBody body;
  auto park = RequireString(b, "park", 64);
  if (!park.ok()) return park.status();
  if (!IsValidAccountId(*park)) {
    return Status::InvalidArgument("account.id", "body.park is not an account id");
  }
  body.park = *park;
  auto year = RequireYear(b, "year");
  if (!year.ok()) return year.status();
  body.year = *year;
  auto scheme_id = RequireString(b, "scheme", 64);
  if (!scheme_id.ok()) return scheme_id.status();
  auto scheme = accounting::EmbeddedEvaluationScheme(*scheme_id);
  if (!scheme.ok()) {
    return Status::InvalidArgument("assessment.scheme",
                                   "body.scheme: no evaluation scheme \"" + *scheme_id +
                                       "\" in this ledger (docs/evaluations.md)");
  }
  body.scheme = *scheme_id;
  if (!b.contains("assessment") || !b["assessment"].is_object()) {
    return Status::InvalidArgument("field.missing", "body.assessment must be an object");
  }
  auto text = CanonicalJson(b["assessment"]);
  if (!text.ok()) return text.status();
  auto parsed = accounting::ParseAssessment(*text, *scheme);
  if (!parsed.ok()) {
    return Status(parsed.status().code(), parsed.status().reason(),
                  "body.assessment: " + parsed.status().message());
  }
  body.assessment = b["assessment"];
  if (b.contains("opinion")) {
    auto opinion = RequireString(b, "opinion", 4096);
    if (!opinion.ok()) return opinion.status();
    body.opinion = *opinion;
  }
  return body;
}

Status ApplyAssessmentRecord(const TxContext& ctx, const AssessmentRecordBody& body,
                             StateTxn& state) {
  auto format = LedgerFormat(state);
  if (!format.ok()) return format.status();
  if (*format < 4) {
    return Status::Unprocessable("ledger.format",
                                 "assessment.record needs ledger format 4; this ledger is of "
                                 "format " +
                                     std::to_string(*format));
  }
  auto park = FindAccount(state, body.park);
  if (!park.ok()) return park.status();
  if (!park->has_value() || (*park)->role != Role::kPark) {
    return Status::NotFound("park.unknown", "body.park: \"" + body.park + "\" is not a park");
  }
  // Only the certifier the park engaged for the year scores it; never the park itself.
  auto engagement = GetRecord(state, EngagementKey(body.park, body.year));
  if (!engagement.ok()) return engagement.status();
  if (!engagement->has_value() || (**engagement).value("certifier", "") != ctx.tx.signer) {
    return Status::PermissionDenied("assessment.not_engaged",
                                    "park \"" + body.park + "\" has not engaged \"" +
                                        ctx.tx.signer + "\" for " + std::to_string(body.year) +
                                        " (certifier.engage, signed by the park)");
  }
  nlohmann::json record = {{"seq", ctx.seq},
                           {"certifier", ctx.tx.signer},
                           {"assessment", body.assessment},
                           {"opinion", body.opinion}};
  JoinScope(ctx, ParkYearScope(body.park, body.year));
  return PutRecord(state, AssessmentKey(body.park, body.year, body.scheme), record);
}

TxType AssessmentRecordType() {
  return TxType("assessment.record", {"certifier"}, &ValidateAssessmentRecord,
                &ApplyAssessmentRecord);
}

}  // namespace carbonledger::certification
