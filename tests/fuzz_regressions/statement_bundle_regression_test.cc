// Regression tests for what tests/fuzz/statement_bundle_fuzz.cc found (docs/reliability.md
// §Fuzzing, F3-F5): VerifyStatementBundle read members of untrusted JSON with nlohmann's const
// operator[], which does not throw for a missing member but asserts (JSON_ASSERT, i.e. assert():
// abort in Debug and sanitizer builds) and is undefined behaviour with NDEBUG (it dereferences
// the map's end()); the try/catch around the verification could catch neither. Three places in
// ledger/certification.cc (now ledger/certification/bundle_verify.cc and facts_json.cc), now
// checked before they are read:
//   - F3, VerifyBundle: content["inventory"] — the statement has no "inventory" member;
//   - F4, VerifyBundle: r["vintage_text"] — a retirement row of the facts has no
//     "vintage_text" (the facts are not signed: an edit of a genuine bundle reaches it);
//   - F5, CoversUnits: op["last"] — a claim or retirement operation has "first" but no "last".
// The fuzzer's own inputs for F3 and F4 are seeds of tests/fuzz/corpus/statement_bundle.
//
// Each case runs the verification in a child process, so that a crash fails the test instead
// of killing the test run.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "crypto/encoding.h"
#include "ledger/certification/bundle.h"
#include "ledger/log/merkle.h"
#include "tests/fuzz/bundle_reseal.h"

using namespace carbonledger;
using nlohmann::json;

namespace {

json Tx(const char* type, const char* signer, int nonce, json body) {
  return {{"type", type},
          {"ledger", std::string(fuzz::kBundleLogName)},
          {"signer", signer},
          {"nonce", nonce},
          {"body", std::move(body)}};
}

// The smallest bundle that gets through the signatures, the proofs and every check of the facts
// against the entries: a project, a credit issuance, its retirement for park-a's 2025
// neutrality, the inventory entry and the statement naming it. (The data files are empty, so a
// bundle that gets past every check is refused when the factor set is parsed.) `edit` changes the
// unsealed form (entries as transactions), which is then sealed with the fuzz keys.
template <typename Edit>
std::string Bundle(Edit edit) {
  json retirement = {{"retirement_id", "R2.0"},
                     {"first_serial", 1},
                     {"last_serial", 10},
                     {"instrument", "CCER"},
                     {"quantity_tco2e", 10},
                     {"vintage", 2024},
                     {"vintage_text", "2024"},
                     {"project_id", "p1"},
                     {"project_region_code", "340000"},
                     {"purpose", "carbon_neutrality"},
                     {"beneficiary_park_id", "park-a"},
                     {"reporting_year", 2025},
                     {"entry_seq", 2},
                     {"issuance", "I1.0"}};
  json bundle = {
      {"format", "carbonledger.bundle/1"},
      {"statement_id", "S4"},
      {"statement_seq", 4},
      {"factor_set", ""},
      {"profile", ""},
      {"entries",
       {{"0",
         {{"tx", Tx("project.register", "operator", 1,
                    {{"project", "p1"}, {"region", "340000"}, {"instrument", "CCER"}})}}},
        {"1",
         {{"tx", Tx("credit.issue", "operator", 2,
                    {{"ops", {{{"project", "p1"}, {"quantity", 10}, {"vintage", "2024"}}}}})}}},
        {"2",
         {{"tx", Tx("credit.retire", "park-a", 1,
                    {{"ops",
                      {{{"beneficiary", "park-a"},
                        {"instrument", "CCER"},
                        {"purpose", "carbon_neutrality"},
                        {"quantity", 10},
                        {"reporting_year", 2025}}}}})}}},
        {"3",
         {{"tx", Tx("inventory.record", "park-a", 2,
                    {{"inventory", {{"format", "carbonledger.inventory/1"}}}})}}},
        {"4",
         {{"tx", Tx("statement.record", "certifier", 1,
                    {{"statement", {{"park", "park-a"}, {"inventory", {{"entry_seq", 3}}}}}})}}}}},
      {"facts",
       {{"park_id", "park-a"},
        {"year", 2025},
        {"park_region_code", "340100"},
        {"inventory_entry_seq", 3},
        {"inventory_entry_hash", ""},
        {"gec_claims", json::array()},
        {"retirements", {retirement}}}}};
  edit(bundle);
  REQUIRE(fuzz::ResealBundle(bundle));
  // The facts name the inventory entry by its leaf hash (the facts themselves are not signed).
  auto inventory_entry = Base64Decode(bundle["entries"]["3"]["entry"].get<std::string>());
  REQUIRE(inventory_entry.ok());
  bundle["facts"]["inventory_entry_hash"] = HexEncode(AsBytes(merkle::HashLeaf(*inventory_entry)));
  return bundle.dump();
}

struct Outcome {
  bool crashed = false;  // the child died (signal) or exited abnormally
  std::string how;       // "signal 6", or the verification's result
  bool ok = false;
};

// VerifyStatementBundle in a child process.
Outcome VerifyIsolated(const std::string& bundle) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // The child dies of whatever it meets, without Catch2's handlers reporting it a second time.
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE}) std::signal(sig, SIG_DFL);
    close(fds[0]);
    auto r = VerifyStatementBundle(bundle, fuzz::BundleLogPublicKey());
    const std::string out = r.ok() ? "ok" : r.status().ToString();
    ssize_t unused = write(fds[1], out.data(), out.size());
    (void)unused;
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Outcome o;
  if (WIFSIGNALED(status)) {
    o.crashed = true;
    o.how = "signal " + std::to_string(WTERMSIG(status));
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    o.crashed = true;
    o.how = "exit " + std::to_string(WEXITSTATUS(status));
  } else {
    o.how = out;
    o.ok = out == "ok";
  }
  return o;
}

}  // namespace

TEST_CASE("the fuzz regression bundle reaches the recomputation when nothing is missing",
          "[ledger][certification][fuzz]") {
  Outcome o = VerifyIsolated(Bundle([](json&) {}));
  INFO(o.how);
  CHECK_FALSE(o.crashed);
  CHECK_FALSE(o.ok);
  // Every entry, fact and operation check passed; the empty factor set is what is refused.
  CHECK(o.how.find("retire") == std::string::npos);
  CHECK(o.how.find("entry") == std::string::npos);
}

TEST_CASE("a bundle whose facts lack a retirement's vintage_text is refused, not a crash",
          "[ledger][certification][fuzz]") {
  Outcome o =
      VerifyIsolated(Bundle([](json& b) { b["facts"]["retirements"][0].erase("vintage_text"); }));
  INFO(o.how);
  CHECK_FALSE(o.crashed);
  CHECK_FALSE(o.ok);
  CHECK(o.how.find("(bundle.invalid)") != std::string::npos);
}

TEST_CASE("a bundle whose statement has no inventory member is refused, not a crash",
          "[ledger][certification][fuzz]") {
  Outcome o = VerifyIsolated(
      Bundle([](json& b) { b["entries"]["4"]["tx"]["body"]["statement"].erase("inventory"); }));
  INFO(o.how);
  CHECK_FALSE(o.crashed);
  CHECK_FALSE(o.ok);
  CHECK(o.how.find("(bundle.invalid)") != std::string::npos);
}

TEST_CASE("a bundle with a retirement operation that has first but no last is refused, not a crash",
          "[ledger][certification][fuzz]") {
  Outcome o = VerifyIsolated(
      Bundle([](json& b) { b["entries"]["2"]["tx"]["body"]["ops"][0]["first"] = 1; }));
  INFO(o.how);
  CHECK_FALSE(o.crashed);
  CHECK_FALSE(o.ok);
  CHECK(o.how.find("(bundle.invalid)") != std::string::npos);
}
