// End-to-end: verifying mirrors and fork detection with real processes on loopback
// (docs/mirror.md §Fork detection). A primary carbonledgerd sends its checkpoints to three
// `carbonledger witness`es; two `carbonledger mirror`s follow it, one requiring 2 of the 3
// witnesses. The demo is loaded; the primary is killed and the mirrors go on serving; it comes
// back from a rewritten store (tests/support/fork_store.h: one entry changed, tree and
// checkpoint re-signed with the real log key). The witnesses refuse the fork, the mirrors halt
// with the evidence, and verify-statement with a witness requirement refuses the forked
// checkpoint. One witness is SIGKILLed and restarted in the middle of it.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/transaction.h"
#include "ledger/log/verify.h"
#include "ledger/registry/genesis.h"
#include "tests/support/bin_path.h"
#include "tests/support/fork_store.h"
#include "tests/support/temp_dir.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::TempDir;

namespace {

struct Answer {
  int status = 0;  // 0: no answer
  std::string body;
};

Answer Get(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(10, 0);
  auto r = c.Get(path.c_str());
  if (!r) return {};
  return {r->status, r->body};
}

Answer Post(int port, const std::string& path, const std::string& body) {
  httplib::Client c("127.0.0.1", port);
  auto r = c.Post(path.c_str(), body, "text/plain");
  if (!r) return {};
  return {r->status, r->body};
}

// Polls `done` every 100 ms for up to `seconds`.
bool WaitFor(const std::function<bool()>& done, int seconds = 60) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

nlohmann::json Health(int port) {
  Answer a = Get(port, "/v1/health");
  return nlohmann::json::parse(a.body, nullptr, false);
}

std::string Body(const std::string& note) { return note.substr(0, note.find("\n\n") + 1); }

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("two mirrors and three witnesses catch a primary restarted from a forked store",
          "[e2e][mirror]") {
  TempDir dir;
  const std::string cli = BinPath("carbonledger");
  const std::string data = dir.Sub("primary");
  REQUIRE(Run(cli, {"init", "--data", data, "--origin", "mirror.e2e/log"}).exit_code == 0);
  const std::string log_pub = LogPublicKeyPath(data);

  // Three witnesses, each with its own key and data, all witnessing this log.
  std::ofstream(dir.Sub("logs.txt")) << Read(log_pub);
  std::vector<std::unique_ptr<Daemon>> witnesses;
  std::vector<std::vector<std::string>> witness_args;
  std::string endpoints, keys;
  for (int i = 1; i <= 3; ++i) {
    const std::string key = dir.Sub("w" + std::to_string(i) + ".key");
    REQUIRE(Run(cli, {"keygen", "--name", "witness.e2e/w" + std::to_string(i), "--out", key})
                .exit_code == 0);
    auto vkey = Run(cli, {"witness-key", "--key", key});
    REQUIRE(vkey.exit_code == 0);
    witness_args.push_back(
        {"--key", key, "--logs", dir.Sub("logs.txt"), "--data", dir.Sub("w" + std::to_string(i))});
    witnesses.push_back(std::make_unique<Daemon>(cli, std::vector<std::string>{"witness"}));
    REQUIRE(witnesses.back()->Start(witness_args.back()));
    endpoints += "http://127.0.0.1:" + std::to_string(witnesses.back()->port()) + " " + vkey.out;
    keys += vkey.out;
  }
  std::ofstream(dir.Sub("endpoints.txt")) << endpoints;
  std::ofstream(dir.Sub("witnesses.txt")) << keys;

  Daemon primary(BinPath("carbonledgerd"));
  const std::vector<std::string> primary_args = {"--witnesses", dir.Sub("endpoints.txt"),
                                                 "--witness-interval-ms", "200"};
  std::vector<std::string> args = {"--data", data};
  args.insert(args.end(), primary_args.begin(), primary_args.end());
  REQUIRE(primary.Start(args));
  const int primary_port = primary.port();
  const std::string url = "http://127.0.0.1:" + std::to_string(primary_port);
  auto demo = Run(cli, {"demo", "--server", url, "--data", data});
  INFO(demo.out);
  REQUIRE(demo.exit_code == 0);
  size_t at = demo.out.find("statement is S");
  REQUIRE(at != std::string::npos);
  const std::string statement = demo.out.substr(at + 13, demo.out.find(' ', at + 13) - at - 13);

  // Mirror A trusts the key it pins on first contact; mirror B is given the key and requires 2
  // of the 3 witnesses.
  Daemon mirror_a(cli, {"mirror"});
  Daemon mirror_b(cli, {"mirror"});
  REQUIRE(mirror_a.Start({"--from", url, "--data", dir.Sub("mirror-a"), "--interval-ms", "100"}));
  REQUIRE(mirror_b.Start({"--from", url, "--data", dir.Sub("mirror-b"), "--interval-ms", "100",
                          "--log-key", log_pub, "--witnesses", dir.Sub("witnesses.txt"),
                          "--require-witnesses", "2"}));
  CHECK(mirror_a.log().find("log key pinned on first contact") != std::string::npos);
  CHECK(mirror_b.log().find("log key command line") != std::string::npos);
  const std::string honest = Get(primary_port, "/checkpoint").body;
  const auto honest_cp = ParseCheckpointBody(Body(honest));
  REQUIRE(honest_cp.ok());
  const uint64_t size = honest_cp->size;
  // The witnesses cosign the latest checkpoint; both mirrors reach it.
  std::string witnessed;
  REQUIRE(WaitFor([&] {
    witnessed = Get(primary_port, "/v1/checkpoint/witnessed").body;
    return Body(witnessed) == Body(honest) &&
           RequireCosignatures(witnessed, *ParseWitnessPolicy(keys, 3)).ok();
  }));
  REQUIRE(WaitFor([&] { return Get(mirror_a.port(), "/checkpoint").body == honest; }));
  REQUIRE(WaitFor([&] { return Body(Get(mirror_b.port(), "/checkpoint").body) == Body(honest); }));
  CHECK(RequireCosignatures(Get(mirror_b.port(), "/v1/checkpoint/witnessed").body,
                            *ParseWitnessPolicy(keys, 2))
            .ok());
  // The honest bundle, with the witnessed checkpoint in place of the bare one, passes the
  // witness requirement.
  auto honest_bundle = nlohmann::json::parse(
      Get(primary_port, "/v1/statements/" + statement + "/bundle").body, nullptr, false);
  REQUIRE(honest_bundle.is_object());
  REQUIRE(honest_bundle["checkpoint"] == honest);
  honest_bundle["checkpoint"] = witnessed;
  std::ofstream(dir.Sub("honest-bundle.json")) << honest_bundle.dump();
  auto verify = [&](const std::string& bundle) {
    return Run(cli, {"verify-statement", "--bundle", bundle, "--log-key", log_pub, "--witnesses",
                     dir.Sub("witnesses.txt"), "--require-witnesses", "2"});
  };
  auto honest_ok = verify(dir.Sub("honest-bundle.json"));
  INFO(honest_ok.out);
  CHECK(honest_ok.exit_code == 0);

  // Witness 1 crashes.
  const int w1_port = witnesses[0]->port();
  CHECK(witnesses[0]->Stop(SIGKILL) == 128 + SIGKILL);

  // The primary dies; the mirrors go on serving what they verified.
  CHECK(primary.Stop(SIGKILL) == 128 + SIGKILL);
  for (Daemon* m : {&mirror_a, &mirror_b}) {
    CHECK(Get(m->port(), "/v1/entries/1").status == 200);
    CHECK(Get(m->port(), "/v1/statements/" + statement).status == 200);
    CHECK(Get(m->port(), "/tile/entries/000.p/" + std::to_string(size)).status == 200);
    CHECK(Health(m->port())["status"] == "ok");
  }
  CHECK(WaitFor([&] { return Health(mirror_a.port()).contains("last_error"); }));
  CHECK(Health(mirror_a.port())["last_error"]["reason"] == "mirror.unreachable");

  // It comes back on the same port from a rewritten store: a convincing fork.
  auto fork = carbonledger::testing::ForkStore(data, dir.Sub("forked"));
  INFO(fork.status().ToString());
  REQUIRE(fork.ok());
  CHECK(Run(cli, {"verify-ledger", "--data", dir.Sub("forked"), "--log-key", log_pub}).exit_code ==
        0);
  args = {"--data", dir.Sub("forked"), "--listen", "127.0.0.1:" + std::to_string(primary_port)};
  args.insert(args.end(), primary_args.begin(), primary_args.end());
  REQUIRE(primary.Start(args));
  REQUIRE(primary.port() == primary_port);
  CHECK(Get(primary_port, "/checkpoint").body == fork->checkpoint);
  // Witness 1 restarts (on its old port) in the middle of it.
  witness_args[0].insert(witness_args[0].end(),
                         {"--listen", "127.0.0.1:" + std::to_string(w1_port)});
  REQUIRE(witnesses[0]->Start(witness_args[0]));
  CHECK(witnesses[0]->port() == w1_port);

  // The witnesses refuse: each holds the honest size (409 to an old size 0, naming it), and a
  // checkpoint of that size with another root is a fork (422 witness.fork).
  for (auto& w : witnesses) {
    Answer stale = Post(w->port(), "/add-checkpoint", "old 0\n\n" + fork->checkpoint);
    CHECK(stale.status == 409);
    CHECK(stale.body == std::to_string(size) + "\n");
    Answer forked = Post(w->port(), "/add-checkpoint",
                         "old " + std::to_string(size) + "\n\n" + fork->checkpoint);
    CHECK(forked.status == 422);
  }
  // The forked primary gets no cosignature however long it tries.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(Get(primary_port, "/v1/checkpoint/witnessed").status == 404);

  // Both mirrors halt, keep serving the honest checkpoint, and saved the evidence.
  for (Daemon* m : {&mirror_a, &mirror_b}) {
    REQUIRE(WaitFor([&] { return Health(m->port())["status"] == "halted"; }));
    auto h = Health(m->port());
    CHECK(h["reason"] == "mirror.inconsistent");
    CHECK(Get(m->port(), "/v1/health").status == 503);
    const std::string evidence = h["evidence"];
    CHECK(Read(evidence + "/received.checkpoint") == fork->checkpoint);
    CHECK(Body(Read(evidence + "/verified.checkpoint")) == Body(honest));
    CHECK(Body(Get(m->port(), "/checkpoint").body) == Body(honest));
    CHECK(Get(m->port(), "/metrics").body.find("carbonledger_mirror_halted 1") !=
          std::string::npos);
  }

  // verify-statement with the witness requirement refuses the forked checkpoint — though the
  // log's own signature on it is valid — and so it does with the honest cosignatures pasted on.
  const std::string forked_bundle_text =
      Get(primary_port, "/v1/statements/" + statement + "/bundle").body;
  std::ofstream(dir.Sub("forked-bundle.json")) << forked_bundle_text;
  auto plain = Run(
      cli, {"verify-statement", "--bundle", dir.Sub("forked-bundle.json"), "--log-key", log_pub});
  INFO(plain.out);
  CHECK(plain.exit_code == 0);
  auto refused = verify(dir.Sub("forked-bundle.json"));
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("cosignature.quorum") != std::string::npos);
  auto pasted = nlohmann::json::parse(forked_bundle_text);
  REQUIRE(witnessed.starts_with(honest));  // the log's line, then the cosignatures
  pasted["checkpoint"] = pasted["checkpoint"].get<std::string>() + witnessed.substr(honest.size());
  std::ofstream(dir.Sub("pasted-bundle.json")) << pasted.dump();
  auto pasted_refused = verify(dir.Sub("pasted-bundle.json"));
  CHECK(pasted_refused.exit_code == 1);
  CHECK(pasted_refused.out.find("cosignature.quorum") != std::string::npos);

  // What the mirrors hold is a valid ledger directory with the honest history.
  for (Daemon* m : {&mirror_a, &mirror_b}) CHECK(m->Stop(SIGTERM) == 0);
  for (const char* m : {"mirror-a", "mirror-b"}) {
    auto v = Run(cli, {"verify-ledger", "--data", dir.Sub(m), "--log-key", log_pub});
    INFO(v.out);
    CHECK(v.exit_code == 0);
  }
  CHECK(primary.Stop(SIGTERM) == 0);
  for (auto& w : witnesses) CHECK(w->Stop(SIGTERM) == 0);
}

TEST_CASE("a mirror following a primary under write load catches up to its checkpoint",
          "[e2e][mirror]") {
  TempDir dir;
  const std::string cli = BinPath("carbonledger");
  const std::string data = dir.Sub("primary");
  REQUIRE(Run(cli, {"init", "--data", data, "--origin", "lag.e2e/log"}).exit_code == 0);
  Daemon primary(BinPath("carbonledgerd"));
  REQUIRE(primary.Start({"--data", data}));
  const std::string url = "http://127.0.0.1:" + std::to_string(primary.port());
  Daemon mirror(cli, {"mirror"});
  REQUIRE(mirror.Start({"--from", url, "--data", dir.Sub("mirror"), "--interval-ms", "50"}));

  // Write load for 4 seconds: the operator creating accounts as fast as the log commits them
  // (one signer's nonces reach the log in order, so one writer on a kept-alive connection).
  auto op_key = ReadPrivateKeyFile(OperatorKeyPath(data));
  REQUIRE(op_key.ok());
  auto origin = ParseCheckpointBody(Body(Get(primary.port(), "/checkpoint").body));
  REQUIRE(origin.ok());
  std::atomic<uint64_t> next_nonce{1};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> accepted{0};
  auto writer = [&] {
    httplib::Client c("127.0.0.1", primary.port());
    c.set_keep_alive(true);
    while (!stop) {
      const uint64_t n = next_nonce++;
      auto tx = SignTransaction(
          "account.create", origin->origin, "operator", n,
          {{"account", "acct-" + std::to_string(n)},
           {"role", "certifier"},
           {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}},
          op_key->key);
      if (!tx.ok()) continue;
      auto r = c.Post("/v1/transactions", EncodeSubmission(*tx), "application/json");
      if (r && r->status == 201) ++accepted;
    }
  };
  std::thread load(writer);
  uint64_t seen_during_load = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (std::chrono::steady_clock::now() < until) {
    auto h = Health(mirror.port());
    if (h.is_object() && h["entries"].is_number()) seen_during_load = h["entries"];
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  stop = true;
  load.join();
  REQUIRE(accepted > 50);
  // It followed while the writes went on (not only at the end) ...
  CHECK(seen_during_load > 1);
  // ... and reaches the primary's checkpoint within a generous bound once they stop.
  const std::string final_note = Get(primary.port(), "/checkpoint").body;
  CHECK(WaitFor([&] { return Get(mirror.port(), "/checkpoint").body == final_note; }, 60));
  CHECK(Health(mirror.port())["status"] == "ok");
  CHECK(mirror.Stop(SIGTERM) == 0);
  auto v =
      Run(cli, {"verify-ledger", "--data", dir.Sub("mirror"), "--log-key", LogPublicKeyPath(data)});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  CHECK(primary.Stop(SIGTERM) == 0);
}
