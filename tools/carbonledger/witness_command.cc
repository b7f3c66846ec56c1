// The witness commands of the CLI (docs/witness.md): `witness` serves a C2SP tlog-witness for
// the logs of a --logs file, cosigning with a key made by `carbonledger keygen`; `witness-key`
// prints that key's cosignature/v1 verifier key, the line a client names the witness by.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <iostream>
#include <thread>

#include "api/witness_server.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/witness.h"
#include "tools/carbonledger/commands.h"
#include "tools/carbonledger/flags.h"

namespace carbonledger::cli {

int CheckWitnesses(Flags& flags, const std::string& checkpoint_note, std::string* witnessed) {
  if (!flags.Has("witnesses")) {
    return flags.Has("require-witnesses") ? Usage("--require-witnesses needs --witnesses FILE") : 0;
  }
  const auto required = flags.Has("require-witnesses") ? flags.GetU64("require-witnesses")
                                                       : std::optional<uint64_t>(0);
  if (!flags.ok() || !required) return Usage(flags.error());
  auto text = ReadFile(*flags.Get("witnesses"));
  if (!text) return 1;
  auto policy = ParseWitnessPolicy(*text, size_t(*required));
  if (!policy.ok()) return Usage(policy.status().ToString());
  auto cosigned = RequireCosignatures(checkpoint_note, *policy);
  if (!cosigned.ok()) return Fail("FAILED: " + cosigned.status().ToString());
  *witnessed = "  witnessed by";
  for (const std::string& name : *cosigned) *witnessed += " " + name;
  *witnessed += " (" + std::to_string(policy->required) + " of " +
                std::to_string(policy->witnesses.size()) + " required)\n";
  return 0;
}

int WitnessKeyCommand(const Args& args) {
  Flags f(args, {"key"});
  if (!f.ok()) return Usage(f.error());
  auto path = f.Get("key");
  if (!path) return Usage("usage: carbonledger witness-key --key FILE");
  auto key = ReadPrivateKeyFile(*path);
  if (!key.ok()) return Fail(key.status().ToString());
  std::cout << FormatCosignerKey(key->name, key->key.public_key()) << "\n";
  return 0;
}

int WitnessCommand(const Args& args) {
  Flags f(args, {"key", "logs", "data", "listen", "log-level"});
  auto log_level = f.GetU64("log-level");
  if (!f.ok()) return Usage(f.error());
  auto key_path = f.Get("key");
  auto logs_path = f.Get("logs");
  auto data = f.Get("data");
  if (!key_path || !logs_path || !data) {
    return Usage(
        "usage: carbonledger witness --key F --logs FILE --data DIR [--listen HOST:PORT] "
        "[--log-level N]");
  }
  WitnessServerOptions so;
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
  if (log_level) so.log_level = int(std::min<uint64_t>(*log_level, 2));

  auto key = ReadPrivateKeyFile(*key_path);
  if (!key.ok()) return Fail(key.status().ToString());
  auto logs_text = ReadFile(*logs_path);
  if (!logs_text) return Fail("cannot read " + *logs_path);
  auto logs = ParseWitnessLogs(*logs_text);
  if (!logs.ok()) return Fail(logs.status().ToString());

  // Signals are taken by a thread that waits for them, so stopping runs as ordinary code.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  WitnessOptions wo{*data, *key, *logs, nullptr};
  auto witness = Witness::Open(std::move(wo));
  if (!witness.ok()) return Fail(witness.status().ToString());
  WitnessServer server(so, **witness);
  if (Status s = server.Bind(); !s.ok()) return Fail(s.ToString());
  std::atomic<bool> stopping{false};
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (stopping.exchange(true)) return;
    std::cerr << "carbonledger witness: " << strsignal(sig) << ", shutting down\n";
    server.Stop();
  });
  std::cerr << "carbonledger witness: " << (*witness)->verifier_key() << " cosigning "
            << logs->size() << " log(s) on " << so.host << ":" << server.port() << " with data in "
            << *data << "\n";
  server.Serve();
  if (!stopping.exchange(true)) pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  std::cerr << "carbonledger witness: stopped\n";
  return 0;
}

}  // namespace carbonledger::cli
