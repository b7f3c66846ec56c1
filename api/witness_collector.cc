#include "api/witness_collector.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/cosignature.h"
#include "ledger/log/ledger.h"

namespace carbonledger {

Result<std::vector<WitnessEndpoint>> ParseWitnessEndpoints(std::string_view text) {
  std::vector<WitnessEndpoint> out;
  size_t line_no = 0;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(at, end - at));
    at = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("config.witnesses",
                                     "witnesses file line " + std::to_string(line_no) + ": " + why);
    };
    const size_t space = line.find(' ');
    const std::string url = line.substr(0, space);
    const std::string prefix = "http://";
    const size_t colon = url.rfind(':');
    if (space == std::string::npos || url.rfind(prefix, 0) != 0 || colon < prefix.size() ||
        colon + 1 >= url.size() || url.find('/', prefix.size()) != std::string::npos) {
      return bad("expected \"http://HOST:PORT <witness key>\"");
    }
    WitnessEndpoint w;
    w.host = url.substr(prefix.size(), colon - prefix.size());
    const std::string port = url.substr(colon + 1);
    if (w.host.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) == 0 ||
        std::stoi(port) > 65535) {
      return bad("bad host or port in " + url);
    }
    w.port = std::stoi(port);
    auto key = ParseCosignerKey(line.substr(space + 1));
    if (!key.ok()) return bad(key.status().message());
    w.key = *key;
    out.push_back(std::move(w));
  }
  return out;
}

struct WitnessCollector::Impl {
  const Ledger& ledger;
  std::vector<WitnessEndpoint> witnesses;
  std::vector<uint64_t> witnessed_size;  // per witness: the size it last cosigned, as it told us
  std::chrono::milliseconds interval;
  std::thread thread;
  mutable std::mutex mu;  // guards the members below
  std::condition_variable wake;
  bool stopping = false;
  std::string witnessed;  // the latest cosigned note
  uint64_t collected_size = UINT64_MAX;

  Impl(const Ledger& l, std::vector<WitnessEndpoint> w, int interval_ms)
      : ledger(l),
        witnesses(std::move(w)),
        witnessed_size(witnesses.size(), 0),
        interval(interval_ms) {}

  // One add-checkpoint to witness `i`: its cosignature line for `note`, or "" (refused, down,
  // or an answer that does not verify under its key). A 409 tells the size the witness holds;
  // the request is made again once from there.
  std::string Ask(size_t i, const std::string& note, uint64_t size) {
    const WitnessEndpoint& w = witnesses[i];
    httplib::Client client(w.host, w.port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(5, 0);
    for (int attempt = 0; attempt < 2; ++attempt) {
      const uint64_t old = witnessed_size[i];
      if (old > size) return "";
      std::string body = "old " + std::to_string(old) + "\n";
      if (old > 0 && old < size) {
        auto proof = ledger.ProveConsistency(old, size);
        if (!proof.ok()) return "";
        for (const Hash& h : proof->hashes) body += Base64Encode(AsBytes(h)) + "\n";
      }
      auto r = client.Post("/add-checkpoint", body + "\n" + note, "text/plain");
      if (!r) return "";
      if (r->status == 409) {
        const std::string& held = r->body;
        if (held.size() < 2 || held.size() > 20 || held.back() != '\n' ||
            held.find_first_not_of("0123456789") != held.size() - 1) {
          return "";
        }
        witnessed_size[i] = std::stoull(held);
        continue;
      }
      if (r->status != 200) return "";
      auto ts = VerifyCosignature(note + r->body, w.key);
      if (!ts.ok()) return "";
      witnessed_size[i] = size;
      // Only the witness's own line is kept (§add-checkpoint: the answer holds its lines).
      const std::string prefix = std::string(kNoteSignaturePrefix) + w.key.name + " ";
      for (size_t at = 0; at < r->body.size();) {
        size_t end = r->body.find('\n', at);
        if (end == std::string::npos) break;
        std::string line = r->body.substr(at, end + 1 - at);
        if (line.rfind(prefix, 0) == 0 && VerifyCosignature(note + line, w.key).ok()) return line;
        at = end + 1;
      }
      return "";
    }
    return "";
  }

  void Round() {
    const std::string note = ledger.checkpoint();
    auto cp = ParseCheckpointBody(note.substr(0, note.find("\n\n") + 1));
    if (!cp.ok()) return;
    {
      std::lock_guard<std::mutex> l(mu);
      if (cp->size == collected_size) return;
    }
    std::string lines;
    for (size_t i = 0; i < witnesses.size(); ++i) lines += Ask(i, note, cp->size);
    if (lines.empty()) return;  // nobody cosigned: keep the last witnessed note
    std::lock_guard<std::mutex> l(mu);
    witnessed = note + lines;
    collected_size = cp->size;
  }

  void Run() {
    std::unique_lock<std::mutex> l(mu);
    while (!stopping) {
      l.unlock();
      Round();
      l.lock();
      wake.wait_for(l, interval, [&] { return stopping; });
    }
  }
};

WitnessCollector::WitnessCollector(const Ledger& ledger, std::vector<WitnessEndpoint> witnesses,
                                   int interval_ms)
    : impl_(std::make_unique<Impl>(ledger, std::move(witnesses), interval_ms)) {}

WitnessCollector::~WitnessCollector() { Stop(); }

void WitnessCollector::Start() {
  if (!impl_->thread.joinable()) impl_->thread = std::thread([this] { impl_->Run(); });
}

void WitnessCollector::Stop() {
  {
    std::lock_guard<std::mutex> l(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string WitnessCollector::Witnessed() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->witnessed;
}

}  // namespace carbonledger
