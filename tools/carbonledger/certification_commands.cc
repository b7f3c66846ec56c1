// Certification commands of the CLI: neutrality and evaluation of a park-year from a data
// directory, and verify-statement, which checks a statement bundle offline.
#include <iostream>
#include <nlohmann/json.hpp>

#include "accounting/policy_profile.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/reports.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {
namespace {

// A profile by embedded id, or from a file the user supplies.
Result<accounting::PolicyProfile> LoadProfile(const std::string& id_or_file) {
  auto embedded = accounting::EmbeddedPolicyProfile(id_or_file);
  if (embedded.ok()) return embedded;
  auto bytes = ReadFile(id_or_file);
  if (!bytes) {
    return Status::NotFound("profile.not_found",
                            "\"" + id_or_file + "\" is neither a shipped profile nor a file");
  }
  return accounting::ParsePolicyProfile(*bytes);
}

struct ParkYearArgs {
  std::string data, park;
  int64_t year = 0;
};

std::optional<ParkYearArgs> ParseParkYear(Flags& f) {
  auto year = f.GetU64("year");
  if (!f.ok() || !f.Has("park") || !year) return std::nullopt;
  return ParkYearArgs{f.GetOr("data", "data"), *f.Get("park"), int64_t(*year)};
}

}  // namespace

// carbonledger neutrality --data DIR --park P --year Y --profile ID|FILE
int NeutralityCommand(const Args& args) {
  Flags f(args, {"data", "park", "year", "profile"});
  auto py = ParseParkYear(f);
  if (!py || !f.Has("profile")) {
    return Usage("usage: carbonledger neutrality --data DIR --park P --year Y --profile ID|FILE");
  }
  auto profile = LoadProfile(*f.Get("profile"));
  if (!profile.ok()) return Fail(profile.status().ToString());
  auto ledger = Ledger::Open(py->data, LedgerTxTypes());
  if (!ledger.ok()) return Fail(ledger.status().ToString());
  auto report = NeutralityReport(**ledger, py->park, py->year, *profile);
  if (!report.ok()) return Fail(report.status().ToString());
  std::cout << report->dump(2) << "\n";
  return (*report)["neutrality"].value("verdict", "") == "pass" ? 0 : 1;
}

// carbonledger evaluation --data DIR --park P --year Y
int EvaluationCommand(const Args& args) {
  Flags f(args, {"data", "park", "year"});
  auto py = ParseParkYear(f);
  if (!py) return Usage("usage: carbonledger evaluation --data DIR --park P --year Y");
  auto ledger = Ledger::Open(py->data, LedgerTxTypes());
  if (!ledger.ok()) return Fail(ledger.status().ToString());
  auto report = EvaluationReport(**ledger, py->park, py->year);
  if (!report.ok()) return Fail(report.status().ToString());
  std::cout << report->dump(2) << "\n";
  return 0;
}

// carbonledger verify-statement --bundle F --log-key F
int VerifyStatementCommand(const Args& args) {
  Flags f(args, {"bundle", "log-key", kWitnessFlags[0], kWitnessFlags[1]});
  if (!f.ok() || !f.Has("bundle") || !f.Has("log-key")) {
    return Usage(
        "usage: carbonledger verify-statement --bundle F --log-key F "
        "[--witnesses F [--require-witnesses K]]");
  }
  auto bundle = ReadFile(*f.Get("bundle"));
  auto key_text = ReadFile(*f.Get("log-key"));
  if (!bundle || !key_text) return 1;
  auto key = ParsePublicKey(*key_text);
  if (!key.ok()) return Fail(key.status().ToString());
  auto report = VerifyStatementBundle(*bundle, *key);
  if (!report.ok()) {
    std::cout << "FAILED: " << report.status().message() << "\n";
    return 1;
  }
  // The bundle verified, so it is JSON with a checkpoint string.
  std::string witnessed;
  if (int rc = CheckWitnesses(f, nlohmann::json::parse(*bundle)["checkpoint"].get<std::string>(),
                              &witnessed);
      rc != 0) {
    return rc;
  }
  std::cout << "OK: statement " << report->statement_id << " by " << report->certifier << " for "
            << report->park << " " << report->year << ": verdict " << report->verdict << "\n"
            << "  " << report->entries_proved << " entries proved included in the signed tree of "
            << report->tree_size << " entries\n";
  if (report->chain_entries != 0) {
    std::cout << "  facts derived from the entries; all " << report->chain_entries
              << " entries of the park-year before the statement are in the bundle\n";
  }
  if (report->recomputed) {
    std::cout << "  statement recomputed exactly\n";
  } else {
    std::cout << "  NOT recomputed here: the inventory is confidential and this bundle holds only "
                 "its commitment (the ledger recomputed the statement when it recorded it; a "
                 "bundle exported by the park or its certifier carries the document)\n";
  }
  if (report->engagement_seq != 0) {
    std::cout << "  " << report->park << " engaged " << report->certifier << " at entry "
              << report->engagement_seq << "\n";
  }
  std::cout << witnessed;
  return 0;
}

}  // namespace carbonledger::cli
