// The witness's HTTP routes. Everything the protocol decides is in Witness; this file only maps
// its answers to HTTP (c2sp.org/tlog-witness §add-checkpoint).
#include "api/witness_server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/wire/problem.h"
#include "ledger/log/witness.h"

namespace carbonledger {

// §add-checkpoint: 403 when no valid signature by the log's key is present, where the API's
// Unauthenticated is 401; every other code as the API maps it (HttpStatus): 400 malformed,
// 404 unknown origin, 409 old size is not the witnessed size, 422 inconsistent, 500 our store.
int WitnessHttpStatus(Code code) { return code == Code::kUnauthenticated ? 403 : HttpStatus(code); }

struct WitnessServer::Impl {
  Impl(WitnessServerOptions o, Witness& w) : options(std::move(o)), witness(w) {}

  void AddCheckpoint(const httplib::Request& req, httplib::Response& res) {
    WitnessAnswer a = witness.AddCheckpoint(req.body);
    res.status = WitnessHttpStatus(a.status.code());
    if (options.log_level >= 1) {
      std::cerr << nlohmann::json{{"msg", "add-checkpoint"},
                                  {"status", res.status},
                                  {"reason", a.status.reason()},
                                  {"witnessed_size", a.witnessed_size},
                                  {"remote", req.remote_addr}}
                       .dump()
                << "\n";
    }
    if (a.status.ok()) {
      res.set_content(a.cosignatures, "text/plain; charset=utf-8");
    } else if (a.status.code() == Code::kConflict) {
      // "The response body MUST consist of the tree size of the latest cosigned checkpoint in
      // decimal, followed by a newline ... a Content-Type of text/x.tlog.size."
      res.set_content(std::to_string(a.witnessed_size) + "\n", "text/x.tlog.size");
    } else {
      res.set_content(a.status.reason() + ": " + a.status.message() + "\n",
                      "text/plain; charset=utf-8");
    }
  }

  void Checkpoint(const httplib::Request& req, httplib::Response& res) {
    auto note = witness.LatestCheckpoint(req.matches[1].str());
    res.status = WitnessHttpStatus(note.status().code());
    if (note.ok()) {
      res.set_content(*note, "text/plain; charset=utf-8");
    } else {
      res.set_content(note.status().reason() + ": " + note.status().message() + "\n",
                      "text/plain; charset=utf-8");
    }
  }

  WitnessServerOptions options;
  Witness& witness;
  httplib::Server http;
  int port = -1;
  std::mutex mu;         // orders Serve() and Stop()
  bool stopped = false;  // Stop() was called: Serve() returns at once
  bool serving = false;  // Serve() has begun to listen
  std::atomic<bool> done{false};
};

WitnessServer::WitnessServer(WitnessServerOptions options, Witness& witness)
    : impl_(std::make_unique<Impl>(std::move(options), witness)) {}

WitnessServer::~WitnessServer() = default;

Status WitnessServer::Bind() {
  httplib::Server& s = impl_->http;
  // Larger bodies are answered 413 before they are read.
  s.set_payload_max_length(kMaxAddCheckpointBytes);
  s.set_read_timeout(impl_->options.read_timeout_s, 0);
  s.set_write_timeout(impl_->options.write_timeout_s, 0);
  s.set_tcp_nodelay(true);
  Impl* impl = impl_.get();
  s.Post("/add-checkpoint", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->AddCheckpoint(req, res);
  });
  s.Get("/([0-9a-f]{64})/checkpoint", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Checkpoint(req, res);
  });
  const WitnessServerOptions& o = impl_->options;
  if (o.port == 0) {
    impl_->port = s.bind_to_any_port(o.host);
  } else {
    impl_->port = s.bind_to_port(o.host, o.port) ? o.port : -1;
  }
  if (impl_->port <= 0) {
    return Status::IOError("config.listen",
                           "cannot listen on " + o.host + ":" + std::to_string(o.port));
  }
  return Status::OK();
}

int WitnessServer::port() const { return impl_->port; }

Status WitnessServer::Serve() {
  if (impl_->port <= 0) return Status::Unavailable("server.not_bound", "Bind() was not called");
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopped) return Status::OK();
    impl_->serving = true;
  }
  impl_->http.listen_after_bind();
  impl_->done = true;
  return Status::OK();
}

// httplib's stop() does nothing before listen_after_bind() has marked the server running, so a
// Stop() that comes right after the serving thread started would be lost: wait for it.
void WitnessServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopped = true;
    if (!impl_->serving) return;
  }
  while (!impl_->http.is_running() && !impl_->done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->http.stop();
}

}  // namespace carbonledger
