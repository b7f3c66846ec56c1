// The log's side of the witness protocol (docs/witness.md §The log's witnesses): the server
// sends its latest checkpoint to real witnesses (Witness over LevelDB, WitnessServer on an
// ephemeral loopback port) and serves the checkpoint they cosigned at
// GET /v1/checkpoint/witnessed, trailing writes without holding them up; a witness that is down
// holds up nothing, and a collector that starts afresh catches up with a witness's state (409,
// then a consistency proof from the size it holds).
#include "api/witness_collector.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "api/witness_server.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/witness.h"
#include "tests/support/server_fixture.h"

using namespace carbonledger;
using carbonledger::testing::ServerFixture;
using carbonledger::testing::TempDir;

namespace {

// A witness cosigning for one log, served over HTTP until destroyed.
class RunningWitness {
 public:
  RunningWitness(const std::string& name, const Ledger& ledger)
      : name_(name), key_(SigningKey::Generate()) {
    std::string line = FormatPublicKey(ledger.log_key().name, ledger.log_key().key);
    if (ledger.origin() != ledger.log_key().name) line += " " + ledger.origin();
    auto logs = ParseWitnessLogs(line + "\n");
    REQUIRE(logs.ok());
    auto w = Witness::Open(WitnessOptions{dir_.path(), NamedKey{name_, key_}, *logs, nullptr});
    REQUIRE(w.ok());
    witness_ = std::move(*w);
    WitnessServerOptions so;
    so.port = 0;
    so.log_level = 0;
    server_ = std::make_unique<WitnessServer>(so, *witness_);
    REQUIRE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
  }
  ~RunningWitness() {
    server_->Stop();
    thread_.join();
  }
  WitnessEndpoint endpoint() const {
    return {"127.0.0.1", server_->port(), {name_, key_.public_key()}};
  }
  NamedPublicKey key() const { return {name_, key_.public_key()}; }
  Witness& witness() { return *witness_; }

 private:
  TempDir dir_;
  std::string name_;
  SigningKey key_;
  std::unique_ptr<Witness> witness_;
  std::unique_ptr<WitnessServer> server_;
  std::thread thread_;
};

// A loopback port nothing listens on: bound (never listened on), then closed.
int DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

uint64_t SizeOf(const std::string& note) {
  auto cp = ParseCheckpointBody(note.substr(0, note.find("\n\n") + 1));
  REQUIRE(cp.ok());
  return cp->size;
}

}  // namespace

TEST_CASE("the witnesses file names each witness by URL and key, and bad lines by number",
          "[witness][config]") {
  const std::string key = FormatCosignerKey("w.example/1", SigningKey::Generate().public_key());
  auto ok = ParseWitnessEndpoints("# witnesses\n\nhttp://127.0.0.1:8621 " + key + "\n");
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 1);
  CHECK((*ok)[0].host == "127.0.0.1");
  CHECK((*ok)[0].port == 8621);
  CHECK((*ok)[0].key.name == "w.example/1");
  for (const std::string& bad :
       std::vector<std::string>{"127.0.0.1:8621 " + key, "http://127.0.0.1 " + key,
                                "http://127.0.0.1:0 " + key, "http://127.0.0.1:99999 " + key,
                                "http://127.0.0.1:8621/x " + key, "https://127.0.0.1:8621 " + key,
                                "http://127.0.0.1:8621", "http://127.0.0.1:8621 junk"}) {
    INFO(bad);
    auto r = ParseWitnessEndpoints("# first\n" + bad + "\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().reason() == "config.witnesses");
    CHECK(r.status().message().find("line 2") != std::string::npos);
  }
}

TEST_CASE(
    "the log serves the checkpoint its witnesses cosigned, and a dead witness holds up "
    "nothing",
    "[witness][api]") {
  // Without witnesses there is none to serve.
  {
    ServerFixture plain;
    testing::ExpectProblem(plain.http().Get("/v1/checkpoint/witnessed"), 404, "witness.none");
  }
  // The witnesses are made for the ledger's key; a second server on the same ledger is
  // configured with them (and with a witness nobody runs), as carbonledgerd --witnesses is.
  ServerFixture fx;
  RunningWitness w1("witness.example/w1", fx.ledger()), w2("witness.example/w2", fx.ledger());
  ServerOptions o;
  o.port = 0;
  o.log_level = 0;
  o.witness_interval_ms = 100;
  o.witnesses = {w1.endpoint(), {"127.0.0.1", DeadPort(), w2.key()}, w2.endpoint()};
  ApiServer server(o, fx.ledger());
  REQUIRE(server.Bind().ok());
  std::thread serving([&] { server.Serve(); });
  httplib::Client client("127.0.0.1", server.port());
  fx.CreateAccount("park-a", "park", {{"name", "A"}, {"region", "340100"}});
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string note;
  for (;;) {
    auto r = client.Get("/v1/checkpoint/witnessed");
    REQUIRE(r);
    if (r->status == 200 && SizeOf(r->body) >= fx.ledger().size()) {
      note = r->body;
      break;
    }
    REQUIRE(std::chrono::steady_clock::now() < until);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server.Stop();
  serving.join();
  // The log's signature and both live witnesses' cosignatures verify; the dead one is absent.
  CHECK(OpenCheckpoint(note, fx.ledger().log_key().name, fx.ledger().log_key().key).ok());
  auto policy = ParseWitnessPolicy(FormatCosignerKey(w1.key().name, w1.key().key) + "\n" +
                                       FormatCosignerKey(w2.key().name, w2.key().key) + "\n",
                                   0);
  REQUIRE(policy.ok());
  auto cosigned = RequireCosignatures(note, *policy);
  INFO(note);
  REQUIRE(cosigned.ok());
  CHECK(cosigned->size() == 2);
  // The log grows: the witnesses follow it through consistency proofs.
  WitnessCollector collector(fx.ledger(), {w1.endpoint(), w2.endpoint()}, 100);
  collector.Start();
  for (int i = 0; i < 5; ++i) fx.CreateAccount("cert-" + std::to_string(i), "certifier");
  const uint64_t grown = fx.ledger().size();
  while ((note = collector.Witnessed()).empty() || SizeOf(note) < grown) {
    REQUIRE(std::chrono::steady_clock::now() < until);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(RequireCosignatures(note, *policy).ok());
  auto held = w1.witness().State(fx.ledger().origin());
  REQUIRE(held.ok());
  CHECK(held->size == SizeOf(note));
  collector.Stop();
  // A collector that starts afresh (a restarted log) learns each witness's size from its 409
  // and goes on with a consistency proof from there.
  fx.CreateAccount("cert-late", "certifier");
  WitnessCollector fresh(fx.ledger(), {w1.endpoint()}, 100);
  fresh.Start();
  const auto until2 = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((note = fresh.Witnessed()).empty() || SizeOf(note) < fx.ledger().size()) {
    REQUIRE(std::chrono::steady_clock::now() < until2);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(VerifyCosignature(note, w1.key()).ok());
}
