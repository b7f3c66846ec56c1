// Building a statement bundle on the server: the statement, the facts as they stand, and every
// entry behind them with its inclusion proof at the latest checkpoint.
#include "ledger/certification/bundle.h"

#include <set>

#include "accounting/data_files.h"
#include "crypto/encoding.h"
#include "ledger/certification/confidential.h"
#include "ledger/certification/internal/bundle_error.h"
#include "ledger/certification/internal/facts_json.h"
#include "ledger/certification/internal/status_macros.h"
#include "ledger/certification/park_facts.h"
#include "ledger/certification/reports.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/ledger.h"
#include "ledger/log/proof.h"
#include "ledger/registry/accounts.h"
#include "ledger/registry/queries.h"

namespace carbonledger {
namespace {

using certification::BundleError;

// The SHA-256 a statement names a data file by (content.<member>.sha256, hex), if well-formed.
std::optional<Hash> NamedHash(const nlohmann::json& content, const char* member) {
  if (!content.contains(member) || !content[member].is_object()) return std::nullopt;
  const nlohmann::json& file = content[member];
  if (!file.contains("sha256") || !file["sha256"].is_string()) return std::nullopt;
  auto h = HashFromHex(file["sha256"].get<std::string>());
  if (!h.ok()) return std::nullopt;
  return *h;
}

}  // namespace

Result<nlohmann::json> StatementBundle(const Ledger& ledger, const std::string& id,
                                       bool include_confidential) {
  std::string checkpoint = ledger.checkpoint();
  auto body_end = checkpoint.find("\n\n");
  CERT_ASSIGN(cp, ParseCheckpointBody(checkpoint.substr(0, body_end + 1)));
  CERT_ASSIGN(stmt, GetStatement(ledger, id));
  const std::string park = stmt["park"];
  const int64_t year = stmt["year"];
  // The facts the statement was computed on: the inventory version it names (a later
  // correction does not change what it was about) and nothing recorded after its tree size, so
  // a retirement, an acceptance or a correction recorded later does not change what its bundle
  // proves (they are reported beside it: StatementSince).
  CERT_ASSIGN(facts, ParkFacts(ledger, park, year, stmt["inventory_seq"].get<uint64_t>()));
  facts.AsOf(stmt["checkpoint_size"].get<uint64_t>());
  // Every entry the statement rests on, each with its inclusion proof at the checkpoint.
  // Entry 0, the genesis, states the ledger's format; from format 3 the park's certifier.engage
  // shows that the park engaged this certifier (docs/certification.md §Engagements).
  std::set<uint64_t> seqs = {0, stmt["seq"].get<uint64_t>(), facts.inventory_entry_seq};
  const uint64_t engagement_seq = stmt.value("engagement_seq", uint64_t(0));
  if (engagement_seq != 0) seqs.insert(engagement_seq);
  CERT_ASSIGN(format, LedgerFormat(ledger.state()));
  const bool v2 = format >= 4;
  if (v2) {
    // Ledger format 4 (docs/certification.md §Completeness): every entry of the park-year's
    // chain before the statement, and the park's account.create (its region).
    const std::string scope = ParkYearScope(park, year);
    for (uint64_t seq = stmt["seq"].get<uint64_t>();;) {
      CERT_ASSIGN(e, ledger.GetEntry(seq));
      CERT_ASSIGN(prev, LinkedPrevious(e.entry, scope));
      if (!prev || *prev == 0) break;
      seqs.insert(*prev);
      seq = *prev;
    }
    CERT_ASSIGN(account, FindAccount(ledger.state(), park));
    if (account) seqs.insert(account->created_seq);
  }
  auto issuance_seq = [](const std::string& iss) { return std::stoull(iss.substr(1)); };
  // The registration of each generator and project, for their region and technology.
  auto registration = [&](const Result<std::optional<uint64_t>>& seq,
                          const std::string& what) -> Status {
    if (!seq.ok()) return seq.status();
    if (!seq->has_value()) {
      return Status::NotFound("bundle.registration", "no registration record of " + what);
    }
    seqs.insert(**seq);
    return Status::OK();
  };
  for (const ClaimedBlock& c : facts.gec_claims) {
    seqs.insert(c.seq);
    seqs.insert(issuance_seq(c.issuance));
    if (Status s = registration(GeneratorRegistrationSeq(ledger.state(), c.generator),
                                "generator " + c.generator);
        !s.ok()) {
      return s;
    }
  }
  for (const RetiredBlock& r : facts.retirements) {
    seqs.insert(r.seq);
    if (r.accepted_seq != 0) seqs.insert(r.accepted_seq);  // the park's retirement.accept
    seqs.insert(issuance_seq(r.issuance));
    if (Status s =
            registration(ProjectRegistrationSeq(ledger.state(), r.project), "project " + r.project);
        !s.ok()) {
      return s;
    }
  }
  if (v2) {
    // Provenance: the transfers that brought each claimed or retired block to its signer.
    auto transfers = [&](const std::string& instrument, uint64_t first, uint64_t before) {
      auto trace = TraceSerial(ledger.state(), instrument, first);
      if (!trace.ok()) return trace.status();
      for (const BlockView& step : trace->steps) {
        if (step.event == "transfer" && step.seq < before) seqs.insert(step.seq);
      }
      return Status::OK();
    };
    for (const ClaimedBlock& c : facts.gec_claims) {
      if (Status s = transfers("GEC", c.first, c.seq); !s.ok()) return s;
    }
    for (const RetiredBlock& r : facts.retirements) {
      if (Status s = transfers(r.instrument, r.first, r.seq); !s.ok()) return s;
    }
  }
  nlohmann::json entries = nlohmann::json::object();
  for (uint64_t seq : seqs) {
    CERT_ASSIGN(e, ledger.GetEntry(seq));
    CERT_ASSIGN(proof, ledger.ProveInclusion(seq, cp.size));
    entries[std::to_string(seq)] = {{"entry", Base64Encode(e.bytes)},
                                    {"proof", EncodeProofHashes(proof.hashes)}};
  }
  const nlohmann::json& content = stmt["statement"];
  auto factor_hash = NamedHash(content, "factor_set");
  auto profile_hash = NamedHash(content, "profile");
  if (!factor_hash || !profile_hash) {
    return BundleError("statement names no valid factor set or profile hash");
  }
  auto factor_bytes = accounting::DataFileBySha256(*factor_hash);
  auto profile_bytes = accounting::DataFileBySha256(*profile_hash);
  if (!factor_bytes || !profile_bytes) {
    return Status::NotFound("bundle.data",
                            "the statement's factor set or profile is not one this server ships");
  }
  nlohmann::json facts_json = certification::FactsJson(facts);
  if (v2) facts_json.erase("previous_year");  // the statement does not rest on it
  nlohmann::json bundle = {{"format", v2 ? "carbonledger.bundle/2" : "carbonledger.bundle/1"},
                           {"statement_id", id},
                           {"statement_seq", stmt["seq"]},
                           {"checkpoint", checkpoint},
                           {"entries", entries},
                           {"facts", facts_json},
                           {"factor_set", Base64Encode(*factor_bytes)},
                           {"profile", Base64Encode(*profile_bytes)}};
  if (engagement_seq != 0 || v2) bundle["engagement_seq"] = engagement_seq;
  if (v2 && include_confidential) {
    CERT_ASSIGN(kept,
                certification::ConfidentialInventory(ledger.state(), facts.inventory_entry_seq));
    if (!kept) {
      return Status::NotFound("inventory.withheld",
                              "this store does not hold the confidential inventory of entry " +
                                  std::to_string(facts.inventory_entry_seq));
    }
    bundle["confidential"] = *kept;
  }
  return bundle;
}

}  // namespace carbonledger
