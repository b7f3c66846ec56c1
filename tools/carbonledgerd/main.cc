// carbonledgerd: the ledger service (docs/api.md). Opens the ledger in --data (creating it
// from --genesis when the directory holds none) and serves the HTTP API until SIGINT/SIGTERM,
// then stops accepting, lets in-flight requests and commits finish, and closes the store.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "api/config.h"
#include "api/server.h"
#include "api/versions.h"
#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/ledger.h"
#include "ledger/registry/genesis.h"

extern char** environ;

namespace {

std::map<std::string, std::string> Environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

int Fail(const std::string& msg) {
  std::cerr << "carbonledgerd: " << msg << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace carbonledger;
  auto config = ParseDaemonConfig(std::vector<std::string>(argv + 1, argv + argc), Environment());
  if (!config.ok()) {
    std::cerr << "carbonledgerd: " << config.status().message() << "\n";
    return 2;
  }
  if (config->show_version) {
    std::cout << VersionString("carbonledgerd");
    return 0;
  }
  if (config->show_help) {
    std::cout << DaemonHelp();
    return 0;
  }
  // Signals are taken by a thread that waits for them, so stopping runs as ordinary code.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (!LedgerExists(config->data)) {
    if (config->genesis.empty()) {
      return Fail("no ledger in " + config->data + "; create one with `carbonledger init --data " +
                  config->data + "` or pass --genesis FILE");
    }
    std::ifstream in(config->genesis);
    std::stringstream text;
    text << in.rdbuf();
    auto genesis = DecodeSubmission(text.str());
    if (!in || !genesis.ok()) return Fail("cannot read genesis " + config->genesis);
    if (Status s = Ledger::Create(config->data, *genesis, LedgerTxTypes()); !s.ok())
      return Fail(s.ToString());
  }
  LedgerOptions lo;
  lo.data_dir = config->data;
  lo.store_retry = std::chrono::milliseconds(config->store_retry_ms);
  lo.max_batch_bytes = size_t(config->max_batch_bytes);
  // Always logged: an operator must see when the store stops and starts taking writes.
  lo.on_store_health = [](const Status& s) {
    std::cerr << nlohmann::json{{"msg", "store"},
                                {"writable", s.ok()},
                                {"reason", s.reason()},
                                {"detail", s.message()}}
                     .dump()
              << "\n";
  };
  // Always logged: a transaction that made a rule throw is a bug to fix.
  lo.on_internal_error = [](const Transaction& tx, const Status& s) {
    std::cerr << nlohmann::json{{"msg", "tx.internal"},
                                {"type", tx.type},
                                {"signer", tx.signer},
                                {"tx_id", HexEncode(AsBytes(tx.id))},
                                {"detail", s.message()}}
                     .dump()
              << "\n";
  };
  if (config->server.log_level >= 1) {
    lo.on_commit = [](const CommitInfo& c) {
      std::cerr << "{\"msg\":\"commit\",\"first_seq\":" << c.first_seq
                << ",\"entries\":" << c.entries << ",\"refused\":" << c.refused
                << ",\"write_ms\":" << c.write_ms << ",\"ok\":" << (c.ok ? "true" : "false")
                << "}\n";
    };
  }
  auto ledger = Ledger::Open(lo, LedgerTxTypes());
  if (!ledger.ok()) return Fail(ledger.status().ToString());

  ApiServer server(config->server, **ledger);
  if (Status s = server.Bind(); !s.ok()) return Fail(s.ToString());
  // The waiter uses `server`, so it is joined before the server is destroyed (it was detached
  // once, and ThreadSanitizer caught main destroying the server while Stop() could still be
  // running). Whoever sets `stopping` first stops: the waiter on a signal, or main when Serve()
  // ended by itself, which then wakes the waiter only to let it finish.
  std::atomic<bool> stopping{false};
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (stopping.exchange(true)) return;
    std::cerr << "carbonledgerd: " << strsignal(sig) << ", shutting down\n";
    server.Stop();
  });
  std::cerr << "carbonledgerd: serving " << (*ledger)->origin() << " (" << (*ledger)->size()
            << " entries) on " << config->server.host << ":" << server.port() << " with data in "
            << config->data << "\n";
  server.Serve();
  if (!stopping.exchange(true)) pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  ledger->reset();  // finishes queued commits, closes the store
  std::cerr << "carbonledgerd: stopped\n";
  return 0;
}
