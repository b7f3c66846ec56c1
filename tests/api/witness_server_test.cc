// The witness end to end (c2sp.org/tlog-witness §add-checkpoint): a real ledger gives real
// checkpoints and consistency proofs; a real Witness over LevelDB in a temp dir is served by a
// real WitnessServer on an ephemeral loopback port; requests go over HTTP. The fork tests sign
// other roots with the ledger's own log key, as a misbehaving log would.
#include "api/witness_server.h"

#include <httplib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/witness.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;
using carbonledger::testing::LedgerFixture;
using carbonledger::testing::TempDir;

namespace {

constexpr char kWitnessName[] = "witness.example/w1";
constexpr uint64_t kClockStart = 1700000000;

// A ledger, and a witness cosigning for it served over HTTP, which Restart() closes (server,
// then the database) and opens again from the same directory.
class WitnessFixture {
 public:
  WitnessFixture() : key_(SigningKey::Generate()) {
    auto log_key = ReadPrivateKeyFile(LogKeyPath(fx_.data_dir()));
    REQUIRE(log_key.ok());
    log_key_ = std::make_unique<NamedKey>(*log_key);
    // The --logs file as an operator writes it: the log's keys/log.pub line.
    std::string line = FormatPublicKey(ledger().log_key().name, ledger().log_key().key);
    if (ledger().origin() != ledger().log_key().name) line += " " + ledger().origin();
    auto logs = ParseWitnessLogs("# the ledger under test\n" + line + "\n");
    REQUIRE(logs.ok());
    logs_ = *logs;
    Start();
  }
  ~WitnessFixture() { Shutdown(); }

  Ledger& ledger() { return fx_.ledger(); }
  LedgerFixture& ledger_fixture() { return fx_; }
  const NamedKey& log_key() const { return *log_key_; }
  NamedPublicKey witness_key() const { return {kWitnessName, key_.public_key()}; }
  Witness& witness() { return *witness_; }
  httplib::Client& http() { return *client_; }
  int port() const { return server_->port(); }
  uint64_t last_time() const { return clock_; }

  void Restart() {
    Shutdown();
    Start();
  }

  // Grows the ledger by `n` entries.
  void Grow(int n) {
    for (int i = 0; i < n; ++i) {
      fx_.CreateAccount("acct-" + std::to_string(accounts_++), "certifier");
    }
  }

  // POST /add-checkpoint with the spec's body.
  httplib::Result Add(uint64_t old_size, const std::vector<Hash>& proof, const std::string& note) {
    std::string body = "old " + std::to_string(old_size) + "\n";
    for (const Hash& h : proof) body += Base64Encode(AsBytes(h)) + "\n";
    return Post(body + "\n" + note);
  }
  httplib::Result Post(const std::string& body) {
    return client_->Post("/add-checkpoint", body, "text/plain");
  }
  // The ledger's current checkpoint, with the proof from `old_size` to it.
  httplib::Result AddCurrent(uint64_t old_size) {
    auto proof = ledger().ProveConsistency(old_size, ledger().size());
    REQUIRE(proof.ok());
    return Add(old_size, proof->hashes, ledger().checkpoint());
  }

  // A checkpoint the log key signs for any tree head: what a forking log would publish.
  std::string Forged(uint64_t size, const Hash& root) const {
    Checkpoint c{ledger_origin(), size, root, {}};
    return SignCheckpoint(c, log_key_->name, log_key_->key);
  }
  std::string ledger_origin() const { return const_cast<LedgerFixture&>(fx_).ledger().origin(); }

 private:
  void Start() {
    WitnessOptions o{dir_.path(), NamedKey{kWitnessName, key_}, logs_, [this] { return ++clock_; }};
    auto w = Witness::Open(o);
    REQUIRE(w.ok());
    witness_ = std::move(*w);
    WitnessServerOptions so;
    so.port = 0;
    so.log_level = 0;
    server_ = std::make_unique<WitnessServer>(so, *witness_);
    REQUIRE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(30, 0);
  }
  void Shutdown() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    client_.reset();
    server_.reset();
    witness_.reset();
  }

  LedgerFixture fx_;
  TempDir dir_;
  SigningKey key_;
  std::unique_ptr<NamedKey> log_key_;
  std::vector<WitnessedLog> logs_;
  uint64_t clock_ = kClockStart;
  int accounts_ = 0;
  std::unique_ptr<Witness> witness_;
  std::unique_ptr<WitnessServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

void ExpectStatus(const httplib::Result& r, int status) {
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == status);
}

// 409 with the spec's body and content type.
void ExpectConflict(const httplib::Result& r, uint64_t witnessed) {
  ExpectStatus(r, 409);
  CHECK(r->get_header_value("Content-Type") == "text/x.tlog.size");
  CHECK(r->body == std::to_string(witnessed) + "\n");
}

uint64_t WitnessedSize(WitnessFixture& w) {
  auto s = w.witness().State(w.ledger_origin());
  REQUIRE(s.ok());
  return s->size;
}

std::string OriginHash(const std::string& origin) { return HexEncode(AsBytes(Sha256(origin))); }

}  // namespace

TEST_CASE("witness: first cosignature, recomputed from the spec", "[witness]") {
  WitnessFixture w;
  const std::string note = w.ledger().checkpoint();
  const std::string monitor = "/" + OriginHash(w.ledger_origin()) + "/checkpoint";
  ExpectStatus(w.http().Get(monitor.c_str()), 404);  // never cosigned

  auto r = w.Add(0, {}, note);
  ExpectStatus(r, 200);
  const std::string line = r->body;
  // One signature line, by the witness.
  const std::string prefix = "\xE2\x80\x94 " + std::string(kWitnessName) + " ";
  REQUIRE(line.substr(0, prefix.size()) == prefix);
  REQUIRE(line.find('\n') == line.size() - 1);

  // The verifier function accepts it, with the witness's clock as timestamp.
  auto ts = VerifyCosignature(note + line, w.witness_key());
  REQUIRE(ts.ok());
  CHECK(*ts == w.last_time());
  // An independent recomputation: id = SHA-256(name \n 0x04 key)[:4], u64 timestamp, then the
  // Ed25519 signature of "cosignature/v1\ntime <t>\n" + body.
  auto data = Base64Decode(line.substr(prefix.size(), line.size() - prefix.size() - 1));
  REQUIRE(data.ok());
  REQUIRE(data->size() == 76);
  const PublicKey pk = w.witness_key().key;
  const Hash id = Sha256(std::string(kWitnessName) + "\n\x04" + std::string(AsBytes(pk)));
  CHECK(data->substr(0, 4) == AsBytes(id).substr(0, 4));
  uint64_t t = 0;
  for (int i = 4; i < 12; ++i) t = t << 8 | uint8_t((*data)[size_t(i)]);
  CHECK(t == w.last_time());
  const std::string body = note.substr(0, note.rfind("\n\n") + 1);
  auto sig = SignatureFromBytes(data->substr(12));
  REQUIRE(sig.ok());
  CHECK(VerifySignature(pk, "cosignature/v1\ntime " + std::to_string(t) + "\n" + body, *sig));
  // And the vkey the witness-key command prints names that key.
  auto vkey = ParseCosignerKey(w.witness().verifier_key());
  REQUIRE(vkey.ok());
  CHECK(vkey->key == pk);
  CHECK(vkey->name == kWitnessName);

  CHECK(WitnessedSize(w) == w.ledger().size());
  // Monitors get the note with the log's signature and the cosignature.
  auto m = w.http().Get(monitor.c_str());
  ExpectStatus(m, 200);
  CHECK(m->body == note + line);
  CHECK(OpenCheckpoint(m->body, w.log_key().name, w.log_key().key.public_key(), w.ledger_origin())
            .ok());
  CHECK(VerifyCosignature(m->body, w.witness_key()).ok());
  ExpectStatus(w.http().Get(("/" + OriginHash("other") + "/checkpoint").c_str()), 404);
}

TEST_CASE("witness: growth with consistency proofs, and 409 for a stale old size", "[witness]") {
  WitnessFixture w;
  ExpectStatus(w.AddCurrent(0), 200);
  const uint64_t first = w.ledger().size();
  w.Grow(3);
  const uint64_t second = w.ledger().size();
  REQUIRE(second == first + 3);
  auto r = w.AddCurrent(first);
  ExpectStatus(r, 200);
  CHECK(VerifyCosignature(w.ledger().checkpoint() + r->body, w.witness_key()).ok());
  CHECK(WitnessedSize(w) == second);

  // The same checkpoint again is cosigned again (old = size, same root, empty proof).
  ExpectStatus(w.AddCurrent(second), 200);

  w.Grow(2);
  ExpectConflict(w.AddCurrent(first), second);  // stale
  ExpectConflict(w.AddCurrent(0), second);      // a client that knows nothing yet
  CHECK(WitnessedSize(w) == second);
  ExpectStatus(w.AddCurrent(second), 200);
  CHECK(WitnessedSize(w) == w.ledger().size());

  // A smaller checkpoint than the last: an old size above its size is 400, the true old 409.
  auto old_cp = w.Forged(first, *w.ledger().RootAt(first));
  ExpectStatus(w.Add(w.ledger().size(), {}, old_cp), 400);
  ExpectConflict(w.Add(first, {}, old_cp), w.ledger().size());
  CHECK(WitnessedSize(w) == w.ledger().size());
}

TEST_CASE("witness: bad consistency proofs are 422 and change nothing", "[witness]") {
  WitnessFixture w;
  ExpectStatus(w.AddCurrent(0), 200);
  const uint64_t first = w.ledger().size();
  w.Grow(4);
  auto proof = w.ledger().ProveConsistency(first, w.ledger().size());
  REQUIRE(proof.ok());
  REQUIRE(!proof->hashes.empty());
  const std::string note = w.ledger().checkpoint();

  std::vector<Hash> flipped = proof->hashes;
  flipped.back()[31] ^= 1;
  ExpectStatus(w.Add(first, flipped, note), 422);
  std::vector<Hash> shorter(proof->hashes.begin(), proof->hashes.end() - 1);
  ExpectStatus(w.Add(first, shorter, note), 422);
  ExpectStatus(w.Add(first, {}, note), 422);
  CHECK(WitnessedSize(w) == first);

  // A proof with old size 0 must be empty.
  WitnessFixture fresh;
  fresh.Grow(2);
  auto p = fresh.ledger().ProveConsistency(1, fresh.ledger().size());
  REQUIRE(p.ok());
  ExpectStatus(fresh.Add(0, p->hashes, fresh.ledger().checkpoint()), 422);
  // Size 0 must have the empty tree's root.
  ExpectStatus(fresh.Add(0, {}, fresh.Forged(0, Sha256("not empty"))), 422);
  ExpectStatus(fresh.Add(0, {}, fresh.Forged(0, Sha256(""))), 200);

  CHECK(w.AddCurrent(first)->status == 200);  // the right proof still works
}

TEST_CASE("witness: unknown logs are 404, bad log signatures 403", "[witness]") {
  WitnessFixture w;
  const std::string note = w.ledger().checkpoint();

  // A log this witness does not know, validly signed by its own key.
  SigningKey other = SigningKey::Generate();
  Checkpoint c{"other.example/log", 1, Sha256("x"), {}};
  ExpectStatus(w.Add(0, {}, SignCheckpoint(c, "other.example/log", other)), 404);

  // Our log's origin, signed by another key of the same name: no signature by a trusted key.
  Checkpoint ours = *ParseCheckpointBody(note.substr(0, note.rfind("\n\n") + 1));
  ExpectStatus(w.Add(0, {}, SignCheckpoint(ours, w.log_key().name, other)), 403);

  // The log's line with its signature damaged (name and id still match the trusted key).
  const size_t sig_start = note.rfind(' ') + 1;
  auto data = Base64Decode(note.substr(sig_start, note.size() - sig_start - 1));
  REQUIRE(data.ok());
  (*data)[10] = char((*data)[10] ^ 0x40);
  const std::string damaged = note.substr(0, sig_start) + Base64Encode(*data) + "\n";
  auto r = w.Add(0, {}, damaged);
  ExpectStatus(r, 403);
  CHECK(r->body.find("checkpoint.signature") != std::string::npos);

  // A valid log signature followed by a damaged one of the same key: 403 (§add-checkpoint).
  const std::string log_line = note.substr(note.rfind("\n\n") + 2);
  const std::string damaged_line = damaged.substr(damaged.rfind("\n\n") + 2);
  ExpectStatus(w.Add(0, {}, note + damaged_line), 403);
  ExpectStatus(w.Add(0, {}, damaged + log_line), 403);

  // A body that does not match the signature.
  std::string altered = note;
  altered[altered.find('\n') + 1] = altered[altered.find('\n') + 1] == '1' ? '2' : '1';
  ExpectStatus(w.Add(0, {}, altered), 403);

  // Old size above the checkpoint's: 400.
  ExpectStatus(w.Add(w.ledger().size() + 1, {}, note), 400);
  CHECK(WitnessedSize(w) == 0);
  ExpectStatus(w.Add(0, {}, note), 200);
}

TEST_CASE("witness: a fork signed by the log key is refused, before and after a restart",
          "[witness]") {
  WitnessFixture w;
  w.Grow(2);
  ExpectStatus(w.AddCurrent(0), 200);
  const uint64_t size = w.ledger().size();
  const Hash root = *w.ledger().RootAt(size);

  // The same size with another root: 422, whatever proof comes with it.
  const std::string fork = w.Forged(size, Sha256("another history"));
  auto r = w.Add(size, {}, fork);
  ExpectStatus(r, 422);
  CHECK(r->body.find("witness.fork") != std::string::npos);
  // A larger tree that does not extend the cosigned one: the ledger's real proof does not prove
  // it, and neither does one of the right length made up.
  w.Grow(3);
  auto proof = w.ledger().ProveConsistency(size, w.ledger().size());
  REQUIRE(proof.ok());
  ExpectStatus(w.Add(size, proof->hashes, w.Forged(w.ledger().size(), Sha256("branch"))), 422);

  w.Restart();
  CHECK(WitnessedSize(w) == size);
  auto state = w.witness().State(w.ledger_origin());
  REQUIRE(state.ok());
  CHECK(state->root == root);
  ExpectStatus(w.Add(size, {}, fork), 422);
  ExpectConflict(w.Add(0, {}, fork), size);
  // The real history still goes on.
  ExpectStatus(w.AddCurrent(size), 200);
  CHECK(WitnessedSize(w) == w.ledger().size());
}

TEST_CASE("witness: the state survives a restart", "[witness]") {
  WitnessFixture w;
  ExpectStatus(w.AddCurrent(0), 200);
  w.Grow(2);
  const uint64_t cosigned = w.ledger().size();
  ExpectStatus(w.AddCurrent(1), 200);
  const std::string monitor = "/" + OriginHash(w.ledger_origin()) + "/checkpoint";
  const std::string before = w.http().Get(monitor.c_str())->body;

  w.Restart();
  w.Grow(1);
  // A stale old size gets the persisted size.
  ExpectConflict(w.AddCurrent(1), cosigned);
  ExpectConflict(w.AddCurrent(0), cosigned);
  auto m = w.http().Get(monitor.c_str());
  ExpectStatus(m, 200);
  CHECK(m->body == before);
  ExpectStatus(w.AddCurrent(cosigned), 200);

  w.Restart();
  CHECK(WitnessedSize(w) == w.ledger().size());
}

TEST_CASE("witness: malformed bodies are 400 and the server goes on", "[witness]") {
  WitnessFixture w;
  const std::string note = w.ledger().checkpoint();
  const auto expect_400 = [&](const std::string& body) {
    auto r = w.Post(body);
    REQUIRE(r);
    INFO(body.substr(0, 80));
    CHECK(r->status == 400);
  };
  expect_400("");
  expect_400("garbage");
  expect_400(std::string("\x00\xff\xfe old 0\n\n", 11) + note);
  expect_400("old 0\n" + note);  // no blank line before the note
  expect_400("old 0\n\n" + note.substr(0, note.rfind("\n\n")) + "\n");  // note without signatures
  expect_400("old x\n\n" + note);
  expect_400("old 0\n\n\n" + note);
  std::string proof64;
  for (int i = 0; i < 64; ++i) proof64 += Base64Encode(AsBytes(Sha256(std::to_string(i)))) + "\n";
  expect_400("old 1\n" + proof64 + "\n" + note);
  expect_400("old 0\n\n" + note + std::string(kMaxAddCheckpointBytes - note.size() - 7, 'x'));
  // Beyond the limit the server answers 413 without reading the body.
  auto huge = w.Post(std::string(2 * kMaxAddCheckpointBytes, 'x'));
  REQUIRE(huge);
  CHECK(huge->status == 413);
  // Only POST.
  auto get = w.http().Get("/add-checkpoint");
  REQUIRE(get);
  CHECK(get->status == 404);

  CHECK(WitnessedSize(w) == 0);
  ExpectStatus(w.Add(0, {}, note), 200);
}

TEST_CASE("witness: concurrent submissions from one state advance it once",
          "[witness][concurrency]") {
  WitnessFixture w;
  ExpectStatus(w.AddCurrent(0), 200);
  const uint64_t first = w.ledger().size();
  w.Grow(2);
  auto proof = w.ledger().ProveConsistency(first, w.ledger().size());
  REQUIRE(proof.ok());
  const std::string note = w.ledger().checkpoint();
  std::string body = "old " + std::to_string(first) + "\n";
  for (const Hash& h : proof->hashes) body += Base64Encode(AsBytes(h)) + "\n";
  body += "\n" + note;

  // Every request checks against size `first`; only the one that stores first may pass, the
  // rest must see the new size (409), never also be cosigned from the old state.
  constexpr int kThreads = 8;
  std::vector<int> statuses(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", w.port());
      auto r = c.Post("/add-checkpoint", body, "text/plain");
      statuses[size_t(i)] = r ? r->status : -1;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), 409) == kThreads - 1);
  CHECK(WitnessedSize(w) == w.ledger().size());
}
