// `carbonledger mirror` (docs/mirror.md): a verifying, read-only mirror of a carbonledgerd log,
// serving the same public read API, tiles and explorer from what it verified.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "api/mirror.h"
#include "api/server.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/cosignature.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {

int MirrorCommand(const Args& args) {
  Flags f(args, {"from", "data", "listen", "log-key", "witnesses", "require-witnesses",
                 "interval-ms", "log-level"});
  auto interval = f.Has("interval-ms") ? f.GetU64("interval-ms") : std::optional<uint64_t>(500);
  auto log_level = f.Has("log-level") ? f.GetU64("log-level") : std::optional<uint64_t>(1);
  auto required =
      f.Has("require-witnesses") ? f.GetU64("require-witnesses") : std::optional<uint64_t>(0);
  if (!f.ok() || !interval || !log_level || !required) return Usage(f.error());
  auto from = f.Get("from");
  auto data = f.Get("data");
  if (!from || !data) {
    return Usage(
        "usage: carbonledger mirror --from URL --data DIR [--listen HOST:PORT] [--log-key F] "
        "[--witnesses F [--require-witnesses K]] [--interval-ms N] [--log-level N]");
  }
  if (f.Has("require-witnesses") && !f.Has("witnesses")) {
    return Usage("--require-witnesses needs --witnesses FILE");
  }
  ServerOptions so;
  so.port = 8622;
  const std::string listen = f.GetOr("listen", so.host + ":" + std::to_string(so.port));
  const size_t colon = listen.rfind(':');
  const std::string port_text = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (colon == std::string::npos || port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535) {
    return Usage("--listen must be HOST:PORT with a port 0..65535");
  }
  so.host = listen.substr(0, colon);
  so.port = std::stoi(port_text);
  so.log_level = int(std::min<uint64_t>(*log_level, 2));

  MirrorOptions mo;
  mo.from = *from;
  mo.data_dir = *data;
  mo.interval_ms = int(std::clamp<uint64_t>(*interval, 10, 60000));
  if (auto k = f.Get("log-key")) {
    auto text = ReadFile(*k);
    if (!text) return 1;
    auto key = ParsePublicKey(*text);
    if (!key.ok()) return Fail(key.status().ToString());
    mo.log_key = *key;
  }
  if (auto w = f.Get("witnesses")) {
    auto text = ReadFile(*w);
    if (!text) return 1;
    auto policy = ParseWitnessPolicy(*text, size_t(*required));
    if (!policy.ok()) return Usage(policy.status().ToString());
    mo.witnesses = std::move(*policy);
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::atomic<bool> stopping{false};
  ApiServer* server_ptr = nullptr;
  std::mutex server_mu;
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (stopping.exchange(true)) return;
    std::cerr << "carbonledger mirror: " << strsignal(sig) << ", shutting down\n";
    std::lock_guard lock(server_mu);
    if (server_ptr != nullptr) server_ptr->Stop();
  });
  auto finish = [&](int rc) {
    if (!stopping.exchange(true)) pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    return rc;
  };

  // First contact: the primary may not be up yet; an empty store waits for its first verified
  // checkpoint before serving, so it never serves a log it knows nothing of.
  std::unique_ptr<Mirror> mirror;
  for (bool told = false; !stopping;) {
    auto m = Mirror::Open(mo, LedgerTxTypes());
    if (m.ok()) {
      mirror = std::move(*m);
      break;
    }
    if (m.status().reason() != "mirror.unreachable") return finish(Fail(m.status().ToString()));
    if (!told) std::cerr << "carbonledger mirror: waiting for " << mo.from << "\n";
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(mo.interval_ms));
  }
  while (!stopping && mirror->ledger().size() == 0 && !mirror->halted()) {
    if (mirror->Round().ok() && mirror->ledger().size() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(mo.interval_ms));
  }
  if (stopping) return finish(0);
  so.mirror = mirror.get();
  ApiServer server(so, mirror->ledger());
  if (Status s = server.Bind(); !s.ok()) return finish(Fail(s.ToString()));
  {
    std::lock_guard lock(server_mu);
    server_ptr = &server;
  }
  mirror->Start();
  const nlohmann::json health = mirror->Health();
  std::cerr << "carbonledger mirror: following " << mo.from << " (log key "
            << health["log_key_source"].get<std::string>() << ", " << mirror->ledger().size()
            << " entries verified"
            << (mirror->halted() ? ", HALTED: " + health["reason"].get<std::string>() : "")
            << ") on " << so.host << ":" << server.port() << " with data in " << mo.data_dir
            << "\n";
  if (!stopping) server.Serve();
  mirror->Stop();
  {
    std::lock_guard lock(server_mu);
    server_ptr = nullptr;
  }
  std::cerr << "carbonledger mirror: stopped\n";
  return finish(0);
}

}  // namespace carbonledger::cli
