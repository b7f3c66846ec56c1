#include "accounting/statement.h"

#include "accounting/emissions.h"
#include "accounting/internal/json_reader.h"
#include "accounting/internal/result_json.h"
#include "accounting/neutrality.h"
#include "crypto/canonical_json.h"
#include "crypto/encoding.h"

namespace carbonledger::accounting {
namespace {

// The format names the method the content was computed with (docs/accounting.md §Method
// versions): /1 the rules every statement recorded so far used, /2 the corrected ones.
std::string_view FormatOf(MethodVersion method) {
  return method == MethodVersion::kV1 ? "carbonledger.statement/1" : "carbonledger.statement/2";
}

// The method of a given statement: its format's, /1 when the member is missing or unknown (then
// the recomputation names the differing format).
MethodVersion MethodOf(const Json& statement) {
  auto it = statement.find("format");
  if (it != statement.end() && it->is_string() && *it == "carbonledger.statement/2") {
    return MethodVersion::kV2;
  }
  return MethodVersion::kV1;
}

Json GreenPowerJson(const GreenPowerAttribution& a) {
  Json blocks = Json::array();
  for (const GecBlock& b : a.blocks) blocks.push_back(BlockJson(b));
  return {{"declared_mwh", a.declared_mwh.ToString()},
          {"claimed_mwh", a.claimed_mwh.ToString()},
          {"counted_mwh", a.counted_mwh.ToString()},
          {"uncovered_mwh", a.uncovered_mwh.ToString()},
          {"blocks", blocks}};
}

Json OffsetsJson(const NeutralityResult& n) {
  Json retirements = Json::array();
  for (const RetirementOutcome& o : n.retirements) {
    Json row = {{"retirement_id", o.retirement_id},
                {"first_serial", o.first_serial},
                {"last_serial", o.last_serial},
                {"entry_seq", o.entry_seq},
                {"instrument", o.instrument},
                {"quantity_tco2e", o.quantity_tco2e},
                {"eligible", o.eligible}};
    // The park's own retirements carry no status, so a statement written before acceptances
    // existed recomputes byte for byte (docs/accounting.md §Statement).
    if (o.status != RetirementStatus::kOwn) row["status"] = RetirementStatusName(o.status);
    retirements.push_back(std::move(row));
  }
  Json cap = nullptr;
  if (n.cap) {
    cap = {{"percent", n.cap->percent.ToString()},
           {"base", CapBaseName(n.cap->base)},
           {"base_t", n.cap->base_t.ToString()},
           {"cap_t", n.cap->cap_t.ToString()}};
  }
  return {{"cap", cap},
          {"eligible_t", n.eligible_t.ToString()},
          {"counted_t", n.counted_t.ToString()},
          {"surplus_t", n.surplus_t.ToString()},
          {"retirements", retirements}};
}

Json StatementJson(const Inventory& inv, const InventoryResult& r, const NeutralityResult& n,
                   const FactorSet& factors, const PolicyProfile& profile,
                   const LedgerFacts& facts) {
  auto InventoryJson = [](const Inventory& inventory, const LedgerFacts& f) {
    nlohmann::json j = {{"entry_seq", f.inventory_entry_seq},
                        {"entry_hash", f.inventory_entry_hash}};
    if (f.inventory_commitment.empty()) {
      j["content_sha256"] = HexEncode(AsBytes(inventory.content_sha256));
    } else {
      j["commitment"] = f.inventory_commitment;
    }
    return j;
  };
  return {{"format", FormatOf(r.method)},
          {"park", inv.park_id},
          {"year", inv.year},
          {"profile",
           {{"id", profile.id},
            {"sha256", profile.sha256_hex()},
            {"reading", profile.reading},
            {"net_must_be_at_most_zero", profile.net_must_be_at_most_zero}}},
          {"factor_set", {{"version", factors.version()}, {"sha256", factors.sha256_hex()}}},
          {"inventory", InventoryJson(inv, facts)},
          {"emissions",
           {{"accounted", TotalsJson(r.accounted)},
            {"gross", TotalsJson(r.gross)},
            {"international_aviation_t", FormatTonnes(r.international_aviation_t)}}},
          {"green_power", GreenPowerJson(r.attribution)},
          {"offsets", OffsetsJson(n)},
          {"net_t", n.net_t.ToString()},
          {"claim", n.claim},
          {"verdict", n.pass ? "pass" : "fail"},
          {"reasons", ReasonsJson(n.reasons)}};
}

Result<Json> Recompute(std::string_view inventory_json, const FactorSet& factors,
                       const PolicyProfile& profile, const LedgerFacts& facts,
                       MethodVersion method) {
  CL_ASSIGN_OR_RETURN(Inventory inv, ParseInventory(inventory_json));
  CL_ASSIGN_OR_RETURN(InventoryResult r, ComputeInventory(inv, factors, &facts, method));
  CL_ASSIGN_OR_RETURN(NeutralityResult n, CheckNeutrality(inv, r, profile, facts));
  return StatementJson(inv, r, n, factors, profile, facts);
}

// The content's bytes: RFC 8785 (docs/canonical-json.md), the form the certifier signs. A text
// field that is not UTF-8 (from facts built by hand; the ledger's are checked) keeps its own
// reason, "statement.utf8".
Result<std::string> Canonical(const Json& j) {
  auto bytes = CanonicalJson(j);
  if (!bytes.ok() && bytes.status().reason() == "json.utf8") {
    return Status::InvalidArgument("statement.utf8",
                                   "a text field is not UTF-8: " + bytes.status().message());
  }
  return bytes;
}

std::string Shown(const Json* v) { return v == nullptr ? "nothing" : v->dump(); }

// The path of the first difference between a (given) and b (recomputed), members in sorted
// order, or "" when equal; *given / *expected point at the two values there.
std::string FirstDifference(const Json& a, const Json& b, const std::string& path,
                            const Json** given, const Json** expected) {
  *given = &a;
  *expected = &b;
  if (a.is_number() && b.is_number())
    return a == b ? "" : path;  // 7 parses unsigned, 7 is built signed
  if (a.type() != b.type()) return path;
  if (a.is_object()) {
    auto ia = a.begin(), ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
      if (ib == b.end() || (ia != a.end() && ia.key() < ib.key())) {
        *given = &ia.value(), *expected = nullptr;
        return JoinPath(path, ia.key());
      }
      if (ia == a.end() || ib.key() < ia.key()) {
        *given = nullptr, *expected = &ib.value();
        return JoinPath(path, ib.key());
      }
      std::string d =
          FirstDifference(ia.value(), ib.value(), JoinPath(path, ia.key()), given, expected);
      if (!d.empty()) return d;
      ++ia, ++ib;
    }
    return "";
  }
  if (a.is_array()) {
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      std::string d = FirstDifference(a[i], b[i], JoinPath(path, i), given, expected);
      if (!d.empty()) return d;
    }
    if (a.size() == b.size()) return "";
    size_t i = std::min(a.size(), b.size());
    *given = i < a.size() ? &a[i] : nullptr;
    *expected = i < b.size() ? &b[i] : nullptr;
    return JoinPath(path, i);
  }
  return a == b ? "" : path;
}

}  // namespace

Result<std::string> BuildStatementContent(std::string_view inventory_json, const FactorSet& factors,
                                          const PolicyProfile& profile, const LedgerFacts& facts,
                                          MethodVersion method) {
  CL_ASSIGN_OR_RETURN(Json j, Recompute(inventory_json, factors, profile, facts, method));
  return Canonical(j);
}

Status VerifyStatementContent(std::string_view content, std::string_view inventory_json,
                              const FactorSet& factors, const PolicyProfile& profile,
                              const LedgerFacts& facts) {
  CL_ASSIGN_OR_RETURN(Json given, ParseJsonDocument(content, "statement"));
  CL_ASSIGN_OR_RETURN(Json expected,
                      Recompute(inventory_json, factors, profile, facts, MethodOf(given)));
  const Json* g = nullptr;
  const Json* e = nullptr;
  std::string path = FirstDifference(given, expected, "$", &g, &e);
  if (!path.empty()) {
    return Status::Unprocessable("statement.mismatch", path + ": the statement has " + Shown(g) +
                                                           ", recomputation gives " + Shown(e));
  }
  CL_ASSIGN_OR_RETURN(std::string canonical, Canonical(expected));
  if (content != canonical) {
    return Status::Unprocessable("statement.not_canonical",
                                 "the fields match but the bytes are not the canonical JSON form");
  }
  return Status::OK();
}

}  // namespace carbonledger::accounting
