// carbonledgerd: the ledger service. Flags: --data DIR, --listen HOST:PORT, --version, --help.
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "api/server.h"
#include "api/versions.h"

namespace {

void Usage() {
  std::cout << "usage: carbonledgerd [--data DIR] [--listen HOST:PORT] [--tls-cert F --tls-key F]\n"
               "  --data DIR          ledger data directory (default ./data)\n"
               "  --listen HOST:PORT  address to serve on (default 127.0.0.1:8620)\n"
               "  --tls-cert F        PEM certificate; with --tls-key, serve HTTPS\n"
               "  --tls-key F         PEM private key\n"
               "  --version           print versions and exit\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace carbonledger;
  ServerOptions opts;
  std::string data = "data";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "carbonledgerd: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--version") {
      std::cout << VersionString("carbonledgerd");
      return 0;
    } else if (a == "--help" || a == "-h") {
      Usage();
      return 0;
    } else if (a == "--data") {
      data = next();
    } else if (a == "--listen") {
      std::string l = next();
      size_t colon = l.rfind(':');
      if (colon == std::string::npos) {
        std::cerr << "carbonledgerd: --listen must be HOST:PORT\n";
        return 2;
      }
      opts.host = l.substr(0, colon);
      opts.port = std::atoi(l.c_str() + colon + 1);
    } else if (a == "--tls-cert") {
      opts.tls_cert_file = next();
    } else if (a == "--tls-key") {
      opts.tls_key_file = next();
    } else {
      std::cerr << "carbonledgerd: unknown flag " << a << "\n";
      Usage();
      return 2;
    }
  }
  std::filesystem::create_directories(data);
  ApiServer server(opts);
  if (Status s = server.Bind(); !s.ok()) {
    std::cerr << "carbonledgerd: " << s.ToString() << "\n";
    return 1;
  }
  // SIGINT/SIGTERM are taken by a thread that waits for them, so that stopping the server
  // runs as ordinary code rather than inside an async signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::cerr << "carbonledgerd: " << strsignal(sig) << ", shutting down\n";
    server.Stop();
  });
  signal_waiter.detach();
  std::cerr << "carbonledgerd: serving on " << opts.host << ":" << server.port() << " with data in "
            << data << "\n";
  server.Serve();
  std::cerr << "carbonledgerd: stopped\n";
  return 0;
}
