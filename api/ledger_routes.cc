// The log's endpoints: transactions, checkpoints, entries, proofs, tiles, accounts, health
// and metrics (docs/api.md §Endpoints).
#include <condition_variable>
#include <mutex>

#include "api/mirror.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "api/wire/gzip.h"
#include "api/wire/problem.h"
#include "crypto/canonical_json.h"
#include "ledger/log/ledger.h"
#include "ledger/log/tiles.h"
#include "ledger/registry/accounts.h"

namespace carbonledger::api {
namespace {

// What one submission gets, in POST /v1/transactions and in each answer of the batch route.
nlohmann::json ReceiptJson(const Receipt& r) {
  return {{"seq", r.seq},
          {"entry_hash", B64(r.leaf_hash)},
          {"checkpoint", r.checkpoint},
          {"duplicate", r.duplicate}};
}

// The submission envelopes of a batch body {"transactions": [...]}, each as its own text for
// DecodeSubmission, so that each one's errors are its own (docs/api.md §Batch submission).
Result<std::vector<std::string>> BatchEnvelopes(const std::string& body, size_t max_bytes) {
  JsonLimits limits;
  limits.max_bytes = max_bytes;
  limits.admit_floats = true;  // a float is one submission's error, not the batch's
  limits.max_depth = 34;       // a submission's own depth (32) inside {"transactions": [...]}
  auto parsed = ParseStrictJson(body, limits);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object() || parsed->size() != 1 || !parsed->contains("transactions") ||
      !(*parsed)["transactions"].is_array()) {
    return Status::InvalidArgument(
        "batch.field", "the body must be an object with one member, \"transactions\", an array");
  }
  const auto& txs = (*parsed)["transactions"];
  if (txs.empty()) {
    return Status::InvalidArgument(
        "batch.field",
        "transactions must hold 1.." + std::to_string(kMaxBatchTransactions) + " submissions");
  }
  if (txs.size() > kMaxBatchTransactions) {
    return Status::TooLarge("batch.too_many", "transactions holds " + std::to_string(txs.size()) +
                                                  " submissions; the limit is " +
                                                  std::to_string(kMaxBatchTransactions));
  }
  std::vector<std::string> out;
  out.reserve(txs.size());
  for (const auto& t : txs) out.push_back(t.dump());
  return out;
}

nlohmann::json EntryJson(const StoredEntry& e) {
  nlohmann::json tx = nlohmann::json::parse(e.entry.tx, nullptr, false);
  return {{"seq", e.entry.seq},
          {"accepted_ms", e.entry.accepted_ms},
          {"signer_key", B64(e.entry.signer_key)},
          {"signature", B64(e.entry.signature)},
          {"tx", tx},
          {"leaf_hash", B64(e.leaf_hash)},
          {"chain", B64(e.chain)},
          {"entry", Base64Encode(e.bytes)}};
}

}  // namespace

void RegisterLedgerRoutes(Context& c) {
  Router& r = c.router;
  r.Get("/v1/health", "GET /v1/health", [c](const auto&, auto& res) {
    if (c.mirror != nullptr) {  // docs/mirror.md §Health
      const bool halted = c.mirror->halted();
      return SendJson(res, c.mirror->Health(), halted ? 503 : 200);
    }
    Status h = c.ledger.health();
    nlohmann::json body = {{"status", h.ok() ? "ok" : "degraded"}, {"entries", c.ledger.size()}};
    if (!h.ok()) {
      body["reason"] = h.reason();
      body["detail"] = h.message();
      res.set_header("Retry-After", "1");
    }
    SendJson(res, body, h.ok() ? 200 : 503);
  });

  r.Post("/v1/transactions", "POST /v1/transactions", [c](const auto& req, auto& res) {
    if (c.mirror != nullptr) {  // refused by name, before the body is looked at
      return SendProblem(res,
                         Status::PermissionDenied("mirror.read_only",
                                                  "this is a read-only mirror; submit "
                                                  "transactions to the log it mirrors"),
                         req.path);
    }
    auto r = c.ledger.Submit(req.body);
    if (!r.ok()) return SendProblem(res, r.status(), req.path);
    SendJson(res, ReceiptJson(*r), r->duplicate ? 200 : 201);
  });

  // Up to kMaxBatchTransactions independently signed submissions, each answered on its own, in
  // order; all are submitted at once and the answer waits until each is durable or refused.
  r.Post(
      "/v1/transactions:batch", "POST /v1/transactions:batch",
      [c](const auto& req, auto& res) {
        if (c.mirror != nullptr) {
          return SendProblem(res,
                             Status::PermissionDenied("mirror.read_only",
                                                      "this is a read-only mirror; submit "
                                                      "transactions to the log it mirrors"),
                             req.path);
        }
        auto envelopes = BatchEnvelopes(req.body, c.max_batch_body_bytes);
        if (!envelopes.ok()) return SendProblem(res, envelopes.status(), req.path);
        const size_t n = envelopes->size();
        std::vector<std::optional<Result<Receipt>>> results(n);
        std::mutex mu;
        std::condition_variable cv;
        size_t answered = 0;
        for (size_t i = 0; i < n; ++i) {
          auto done = [&, i](Result<Receipt> r) {
            std::lock_guard lock(mu);
            results[i] = std::move(r);
            if (++answered == n) cv.notify_one();
          };
          auto stx = DecodeSubmission((*envelopes)[i]);
          if (!stx.ok()) {
            done(stx.status());
            continue;
          }
          c.ledger.SubmitAsync(*stx, done);
        }
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return answered == n; });
        }
        nlohmann::json answers = nlohmann::json::array();
        for (size_t i = 0; i < n; ++i) {
          const Result<Receipt>& r = *results[i];
          if (r.ok()) {
            nlohmann::json a = ReceiptJson(*r);
            a["status"] = r->duplicate ? 200 : 201;
            answers.push_back(std::move(a));
          } else {
            answers.push_back(
                ProblemJson(r.status(), req.path + "#/transactions/" + std::to_string(i)));
          }
        }
        SendJson(res, {{"results", answers}});
      },
      c.max_batch_body_bytes);

  auto checkpoint = [c](const auto&, auto& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(c.ledger.checkpoint(), "text/plain; charset=utf-8");
  };
  r.Get("/v1/checkpoint", "GET /v1/checkpoint", checkpoint);
  r.Get("/checkpoint", "GET /checkpoint", checkpoint);
  // The latest checkpoint the log's witnesses cosigned, with their cosignature lines
  // (docs/witness.md §The log's witnesses); it may trail /v1/checkpoint by an interval.
  r.Get(
      "/v1/checkpoint/witnessed", "GET /v1/checkpoint/witnessed", [c](const auto& req, auto& res) {
        std::string note = c.witnessed_checkpoint();
        if (note.empty()) {
          return SendProblem(
              res, Status::NotFound("witness.none", "no checkpoint has been cosigned by a witness"),
              req.path);
        }
        res.set_header("Cache-Control", "no-cache");
        res.set_content(note, "text/plain; charset=utf-8");
      });

  r.Get(R"(/v1/entries/(\d{1,19}))", "GET /v1/entries/{seq}", [c](const auto& req, auto& res) {
    auto e = c.ledger.GetEntry(std::stoull(req.matches[1].str()));
    if (!e.ok()) return SendProblem(res, e.status(), req.path);
    SendJson(res, EntryJson(*e));
  });

  r.Get("/v1/entries", "GET /v1/entries", [c](const auto& req, auto& res) {
    auto start = QueryU64(req, "start");
    auto limit = QueryU64(req, "limit");
    if (!start.ok()) return SendProblem(res, start.status(), req.path);
    if (!limit.ok()) return SendProblem(res, limit.status(), req.path);
    uint64_t from = start->value_or(0);
    uint64_t n = std::min<uint64_t>(limit->value_or(100), 1000);
    uint64_t size = c.ledger.size();
    nlohmann::json entries = nlohmann::json::array();
    for (uint64_t seq = from; seq < size && seq - from < n; ++seq) {
      auto e = c.ledger.GetEntry(seq);
      if (!e.ok()) return SendProblem(res, e.status(), req.path);
      entries.push_back(EntryJson(*e));
    }
    SendJson(res, {{"start", from}, {"tree_size", size}, {"entries", entries}});
  });

  r.Get("/v1/proofs/inclusion", "GET /v1/proofs/inclusion", [c](const auto& req, auto& res) {
    auto seq = RequireU64(req, "seq");
    if (!seq.ok()) return SendProblem(res, seq.status(), req.path);
    auto size = QueryU64(req, "tree_size");
    if (!size.ok()) return SendProblem(res, size.status(), req.path);
    uint64_t n = size->value_or(c.ledger.size());
    auto e = c.ledger.GetEntry(*seq);
    if (!e.ok()) return SendProblem(res, e.status(), req.path);
    auto proof = c.ledger.ProveInclusion(*seq, n);
    if (!proof.ok()) return SendProblem(res, proof.status(), req.path);
    SendJson(res, EncodeInclusionProof({std::move(*proof), e->leaf_hash, std::move(e->bytes)}));
  });

  r.Get("/v1/proofs/consistency", "GET /v1/proofs/consistency", [c](const auto& req, auto& res) {
    auto from = RequireU64(req, "from");
    if (!from.ok()) return SendProblem(res, from.status(), req.path);
    auto to = QueryU64(req, "to");
    if (!to.ok()) return SendProblem(res, to.status(), req.path);
    uint64_t n = to->value_or(c.ledger.size());
    auto proof = c.ledger.ProveConsistency(*from, n);
    if (!proof.ok()) return SendProblem(res, proof.status(), req.path);
    SendJson(res, EncodeConsistencyProof(*proof));
  });

  // c2sp.org/tlog-tiles: tiles and entry bundles are immutable ("its caching headers SHOULD be
  // long-lived"), partial ones too: a path fixes the complete subtrees it holds. Entry bundles
  // "SHOULD be compressed at the HTTP layer": gzip when the client accepts it (docs/api.md §Tiles).
  r.Get(R"(/tile/(.+))", "GET /tile/{path}", [c](const auto& req, auto& res) {
    auto tile = ParseTilePath(req.matches[1].str());
    if (!tile) {
      return SendProblem(res, Status::NotFound("tile.path", "not a tile path"), req.path);
    }
    auto body = ReadTile(c.ledger, *tile);
    if (!body.ok()) return SendProblem(res, body.status(), req.path);
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    if (tile->entries) {
      res.set_header("Vary", "Accept-Encoding");
      if (AcceptsGzip(req.get_header_value("Accept-Encoding"))) {
        res.set_header("Content-Encoding", "gzip");
        return res.set_content(Gzip(*body), "application/octet-stream");
      }
    }
    res.set_content(*body, "application/octet-stream");
  });

  r.Get(R"(/v1/accounts/([a-z0-9][a-z0-9._-]{0,63}))", "GET /v1/accounts/{id}",
        [c](const auto& req, auto& res) {
          std::string id = req.matches[1].str();
          if (Status s = c.MayRead(req, id); !s.ok()) return SendProblem(res, s, req.path);
          auto record = GetRecord(c.ledger.state(), AccountKey(id));
          if (!record.ok()) return SendProblem(res, record.status(), req.path);
          if (!record->has_value()) {
            return SendProblem(
                res, Status::NotFound("account.unknown", "no account \"" + id + "\""), req.path);
          }
          SendJson(res, **record);
        });

  r.Get("/v1/openapi.json", "GET /v1/openapi.json", [](const auto&, auto& res) {
    res.set_content(std::string(OpenApiJson()), "application/json");
  });

  r.Get("/metrics", "GET /metrics", [c](const auto&, auto& res) {
    std::string text = c.metrics.Render(c.ledger);
    if (c.mirror != nullptr) text += c.mirror->Metrics();
    res.set_content(text, "text/plain; version=0.0.4");
  });
}

}  // namespace carbonledger::api
