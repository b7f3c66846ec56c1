// End-to-end: `carbonledger export-tiles` writes the log as static files, a plain static file
// server (python3 -m http.server) serves them, and an independent client
// (tests/e2e/static_tiles_client.py: Python's hashlib and cryptography, no code of ours)
// verifies them: the checkpoint's signature, the root from the tiles, every tile and bundle,
// inclusion, and the entries against the daemon's /v1/entries (docs/scale.md §Static tiles).
#include <httplib.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/client/client.h"
#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/tiles.h"
#include "ledger/registry/genesis.h"
#include "tests/support/bin_path.h"
#include "tests/support/ledger_fixture.h"
#include "tools/process.h"

using namespace carbonledger;
using namespace carbonledger::process;
using carbonledger::testing::BinPath;
using carbonledger::testing::LedgerFixture;
using carbonledger::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// The independent client's verdict on an export directory ("OK <size> <root>").
ProcessResult VerifyStatic(const std::string& dir, const std::string& log_key,
                           const std::string& daemon = "") {
  std::vector<std::string> args = {
      std::string(CARBONLEDGER_SOURCE_DIR) + "/tests/e2e/static_tiles_client.py", "--dir", dir,
      "--log-key", log_key};
  if (!daemon.empty()) args.insert(args.end(), {"--daemon", daemon});
  return Run(CARBONLEDGER_PYTHON, args);
}

uint64_t VerifiedSize(const ProcessResult& r) {
  REQUIRE(r.out.starts_with("OK "));
  return std::stoull(r.out.substr(3));
}

ino_t Inode(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Url(const Daemon& d) { return "http://127.0.0.1:" + std::to_string(d.port()); }

// Creates `n` accounts named `<prefix><i>` over HTTP, as the operator of `data`.
void CreateAccounts(const Daemon& d, const std::string& data, const std::string& prefix, int n) {
  auto op = ReadPrivateKeyFile(OperatorKeyPath(data));
  REQUIRE(op.ok());
  ApiClient client(Url(d));
  for (int i = 0; i < n; ++i) {
    SigningKey k = SigningKey::Generate();
    auto r = client.SubmitNext(*op, "account.create",
                               {{"account", prefix + std::to_string(i)},
                                {"role", "trader"},
                                {"public_key", Base64Encode(AsBytes(k.public_key()))}});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
  }
}

// A process run in the background (export-tiles --follow), its output in a file.
class Background {
 public:
  Background(const std::string& binary, std::vector<std::string> args, const std::string& log)
      : log_(log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    args.insert(args.begin(), binary);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, binary.c_str(), &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Background() {
    if (pid_ > 0) Stop(SIGKILL);
  }
  int Stop(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string log() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool running() const { return pid_ > 0; }

 private:
  std::string log_;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("export-tiles writes tiles a plain file server serves and an independent client verifies",
          "[e2e][tiles]") {
  TempDir dir;
  const std::string out = dir.Sub("static");
  std::string data, log_key;
  auto fx = std::make_unique<LedgerFixture>();
  for (int i = 0; i < 599; ++i) fx->CreateAccount("acct-" + std::to_string(i), "trader");
  REQUIRE(fx->ledger().size() == 600);
  data = fx->data_dir();
  log_key = LogPublicKeyPath(data);
  fx->Close();
  // A copy of the store at 600 entries: it will grow into a fork.
  const std::string fork = dir.Sub("fork");
  fs::copy(data, fork, fs::copy_options::recursive);

  // From the data directory while no daemon runs.
  auto first = Run(BinPath("carbonledger"), {"export-tiles", "--data", data, "--out", out});
  INFO(first.out);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("exported checkpoint 600") != std::string::npos);
  for (const char* f :
       {"checkpoint", "tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/1/000.p/2",
        "tile/entries/000", "tile/entries/000.gz", "tile/entries/002.p/88"}) {
    INFO(f);
    CHECK(fs::exists(out + "/" + f));
  }
  CHECK(fs::exists(out + "/tile/entries/002.p/88.gz"));
  auto client = VerifyStatic(out, log_key);
  INFO(client.out);
  CHECK(client.exit_code == 0);
  CHECK(VerifiedSize(client) == 600);
  const ino_t tile0 = Inode(out + "/tile/0/000");
  const ino_t bundle0 = Inode(out + "/tile/entries/000");
  auto again = Run(BinPath("carbonledger"), {"export-tiles", "--data", data, "--out", out});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("already exported") != std::string::npos);

  // While the daemon runs, its store is locked: the CLI says so and points to --from.
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  auto locked = Run(BinPath("carbonledger"), {"export-tiles", "--data", data, "--out", out});
  CHECK(locked.exit_code == 1);
  CHECK(locked.out.find("--from URL") != std::string::npos);
  CHECK(Run(BinPath("carbonledger"), {"export-tiles", "--from", Url(d), "--out", out}).exit_code ==
        2);  // --from needs the log key

  // From the running daemon over HTTP, after more writes: only new tiles are written; the full
  // tiles already there are never rewritten.
  CreateAccounts(d, data, "more-", 300);
  auto live = Run(BinPath("carbonledger"),
                  {"export-tiles", "--from", Url(d), "--log-key", log_key, "--out", out});
  INFO(live.out);
  REQUIRE(live.exit_code == 0);
  CHECK(live.out.find("exported checkpoint 900") != std::string::npos);
  CHECK(Inode(out + "/tile/0/000") == tile0);
  CHECK(Inode(out + "/tile/entries/000") == bundle0);
  auto verified = VerifyStatic(out, log_key, Url(d));
  INFO(verified.out);
  CHECK(verified.exit_code == 0);
  CHECK(VerifiedSize(verified) == 900);

  // A fork (the copy at 600 grown with other entries, signed by the same log key) does not
  // extend what was exported: refused, and the export is left as it was.
  const std::string before = ReadAll(out + "/checkpoint");
  Daemon forked(BinPath("carbonledgerd"));
  REQUIRE(forked.Start({"--data", fork}));
  CreateAccounts(forked, fork, "other-", 350);
  auto refused = Run(BinPath("carbonledger"),
                     {"export-tiles", "--from", Url(forked), "--log-key", log_key, "--out", out});
  INFO(refused.out);
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("export.inconsistent") != std::string::npos);
  CHECK(ReadAll(out + "/checkpoint") == before);
  CHECK(VerifiedSize(VerifyStatic(out, log_key, Url(d))) == 900);
  // Another log's key: its checkpoint does not open.
  auto other = Run(BinPath("carbonledger"), {"export-tiles", "--from", Url(forked), "--log-key",
                                             dir.Sub("none.pub"), "--out", out});
  CHECK(other.exit_code == 1);
}

TEST_CASE("export-tiles --follow keeps a verifiable export while the log takes writes",
          "[e2e][tiles]") {
  TempDir dir;
  const std::string data = dir.Sub("data");
  const std::string out = dir.Sub("static");
  REQUIRE(Run(BinPath("carbonledger"), {"init", "--data", data, "--origin", "follow.test/log"})
              .exit_code == 0);
  const std::string log_key = LogPublicKeyPath(data);
  Daemon d(BinPath("carbonledgerd"));
  REQUIRE(d.Start({"--data", data}));
  Background follow(BinPath("carbonledger"),
                    {"export-tiles", "--from", Url(d), "--log-key", log_key, "--out", out,
                     "--follow", "--interval-ms", "20"},
                    dir.Sub("follow.log"));
  REQUIRE(follow.running());

  // The writer goes on until the reader has looked at least three times (and for at least 700
  // transactions), so the looks below all happen under concurrent writes.
  std::atomic<bool> writing{true};
  std::atomic<int> looks{0};
  std::thread writer([&] {
    for (int round = 0; round < 50 && (round < 7 || looks < 3); ++round) {
      CreateAccounts(d, data, "acct-" + std::to_string(round) + "-", 100);
    }
    writing = false;
  });
  // Whenever a reader looks, the checkpoint it finds has every tile it needs, and the tree only
  // grows.
  uint64_t last = 0;
  while (writing) {
    if (!fs::exists(out + "/checkpoint")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    auto r = VerifyStatic(out, log_key, Url(d));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    const uint64_t size = VerifiedSize(r);
    CHECK(size >= last);
    last = size;
    ++looks;
  }
  writer.join();
  CHECK(looks >= 3);
  // Then it catches up with the daemon's tree.
  ApiClient client(Url(d));
  auto note = client.CheckpointNote();
  REQUIRE(note.ok());
  auto final_cp = ParseCheckpointNote(*note);
  REQUIRE(final_cp.ok());
  const uint64_t target = final_cp->checkpoint.size;
  CHECK(target >= 701);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  uint64_t size = 0;
  while (std::chrono::steady_clock::now() < deadline && size < target) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto r = VerifyStatic(out, log_key, Url(d));
    if (r.exit_code == 0) size = VerifiedSize(r);
  }
  INFO(follow.log());
  CHECK(size == target);
  CHECK(follow.Stop(SIGTERM) == 0);
  CHECK(follow.log().find("exported checkpoint " + std::to_string(target)) != std::string::npos);
}

TEST_CASE("export-tiles writes no checkpoint for tiles or bundles that do not match it",
          "[e2e][tiles]") {
  LedgerFixture fx;
  for (int i = 0; i < 599; ++i) fx.CreateAccount("acct-" + std::to_string(i), "trader");
  const std::string log_key = LogPublicKeyPath(fx.data_dir());
  // A source that serves the ledger's own checkpoint and tiles, with one of them changed.
  std::string changed;  // the tile path whose bytes get one bit flipped
  httplib::Server source;
  source.Get("/checkpoint", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(fx.ledger().checkpoint(), "text/plain; charset=utf-8");
  });
  source.Get(R"(/tile/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto t = ParseTilePath(req.matches[1].str());
    auto body = t ? ReadTile(fx.ledger(), *t) : Result<std::string>(Status::NotFound("x", "x"));
    if (!body.ok()) {
      res.status = 404;
      return;
    }
    if (req.matches[1].str() == changed) (*body)[body->size() - 1] ^= 0x01;
    res.set_content(*body, "application/octet-stream");
  });
  const int port = source.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { source.listen_after_bind(); });
  TempDir dir;
  int n = 0;
  for (const auto& [path, reason] :
       std::vector<std::pair<std::string, std::string>>{{"entries/001", "export.bundle"},
                                                        {"0/001", "export.tile"},
                                                        {"1/000.p/2", "export.root"},
                                                        {"0/002.p/88", "export.root"},
                                                        {"", ""}}) {
    changed = path;
    const std::string out = dir.Sub("out" + std::to_string(n++));
    auto r = Run(BinPath("carbonledger"),
                 {"export-tiles", "--from", "http://127.0.0.1:" + std::to_string(port), "--log-key",
                  log_key, "--out", out});
    INFO(path << ": " << r.out);
    if (reason.empty()) {
      CHECK(r.exit_code == 0);
      CHECK(VerifiedSize(VerifyStatic(out, log_key)) == 600);
      continue;
    }
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(reason) != std::string::npos);
    CHECK_FALSE(fs::exists(out + "/checkpoint"));
    CHECK_FALSE(fs::exists(out + "/tile/" + path));
  }
  source.stop();
  serving.join();
}
