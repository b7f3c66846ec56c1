// The log's endpoints: transactions, checkpoints, entries, proofs, tiles, accounts, health
// and metrics (docs/api.md §Endpoints).
#include "api/mirror.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "api/wire/gzip.h"
#include "ledger/log/ledger.h"
#include "ledger/log/tiles.h"
#include "ledger/registry/accounts.h"

namespace carbonledger::api {
namespace {

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
    SendJson(res,
             {{"seq", r->seq},
              {"entry_hash", B64(r->leaf_hash)},
              {"checkpoint", r->checkpoint},
              {"duplicate", r->duplicate}},
             r->duplicate ? 200 : 201);
  });

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
