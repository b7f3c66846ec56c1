// Fuzz target: offline verification of statement bundles (ledger/certification/bundle.h
// VerifyStatementBundle, docs/certification.md §Verifying a bundle).
//
// A bundle is untrusted input from anywhere; VerifyStatementBundle must refuse a bad one with a
// Status, never crash, throw or trip an assertion. The input is used twice:
//  1. As is, verified with a fixed log key. Mutations rarely get past the checkpoint signature
//     and the inclusion proofs, so this mostly exercises the outer checks.
//  2. Re-sealed (tests/fuzz/bundle_reseal.h), to reach the checks behind the signatures: the
//     entries, given as transactions or entry bytes, are signed again by a fixed account key,
//     the proofs recomputed and a checkpoint of the resulting tree signed by the log key. The
//     fuzzer can then change the transactions, facts and data files freely and still reach the
//     recomputation. Whatever is wrong must be refused with a Status, never by a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/certification/bundle.h"
#include "tests/fuzz/bundle_reseal.h"
#include "tests/fuzz/fuzz_util.h"

using namespace carbonledger;

namespace {

void Verify(std::string_view bundle) {
  auto report = VerifyStatementBundle(bundle, fuzz::BundleLogPublicKey());
  if (!report.ok()) {
    FUZZ_CHECK(!report.status().reason().empty());
    return;
  }
  // A verified bundle names its statement and was proved against a real tree.
  FUZZ_CHECK(report->tree_size > 0);
  FUZZ_CHECK(report->entries_proved > 0);
  FUZZ_CHECK(report->statement_id.starts_with("S"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  // 1.
  Verify(text);
  // 2.
  if (text.find('\0') != std::string_view::npos) return 0;  // nlohmann stops at NUL
  nlohmann::json bundle = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (bundle.is_discarded() || !fuzz::ResealBundle(bundle)) return 0;
  Verify(bundle.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return 0;
}
