// The sequencer: the one writer thread that orders submissions, applies them through the
// pipeline, and commits each group of them in one synced WriteBatch (group commit); and the
// submission side that admits and verifies transactions on the callers' threads.
#include <leveldb/write_batch.h>

#include <algorithm>
#include <future>

#include "ledger/log/internal/batch.h"
#include "ledger/log/internal/ledger_impl.h"
#include "ledger/log/internal/store_keys.h"

namespace carbonledger {

void Ledger::Impl::WriterLoop() {
  for (;;) {
    std::vector<Pending*> batch;
    {
      std::unique_lock lock(queue_mu);
      auto ready = [&] { return stopping || !queue.empty(); };
      if (recovering) {
        queue_cv.wait_until(lock, next_retry, ready);
      } else {
        queue_cv.wait(lock, ready);
      }
      if (stopping && queue.empty()) return;  // everything queued is committed
      // Capped by count and by bytes; the first transaction is taken whatever its size.
      size_t bytes = 0;
      while (!queue.empty() && batch.size() < options.max_batch &&
             (batch.empty() || bytes + queue.front()->bytes <= options.max_batch_bytes)) {
        bytes += queue.front()->bytes;
        batch.push_back(queue.front());
        queue.pop_front();
      }
    }
    if (recovering && std::chrono::steady_clock::now() >= next_retry) {
      Status s = Recover();
      if (s.ok()) {
        recovering = false;
      } else {
        recovering = !fatal;
        next_retry = std::chrono::steady_clock::now() + options.store_retry;
        std::lock_guard lock(head_mu);
        failed = fatal ? s
                       : Status::Unavailable("store.write_failed",
                                             "the store refused a write and cannot be reopened "
                                             "yet: " +
                                                 s.message());
      }
      if (options.on_store_health && (s.ok() || fatal)) options.on_store_health(s);
    }
    if (!batch.empty()) CommitBatch(batch);
  }
}

void Ledger::Impl::CommitBatch(std::vector<Pending*>& batch) {
  std::vector<std::optional<Result<Receipt>>> results(batch.size());
  {
    std::lock_guard lock(head_mu);
    if (!failed.ok()) {
      for (Pending* p : batch) {
        p->done(failed);
        delete p;
      }
      return;
    }
  }
  StateTxn state(committed);
  BatchBuilder built(head.frontier, head.chain);
  const uint64_t size_before = head.size;
  uint64_t now = std::max(NowMs(), head.last_ms);
  std::vector<Hash> batch_leaves;  // leaf hashes of this batch's entries, from size_before
  auto leaf_hash = [&](uint64_t seq) -> Result<Hash> {
    if (seq >= size_before) {
      if (seq - size_before >= batch_leaves.size()) {
        return Status::InvalidArgument("entry.seq",
                                       "entry " + std::to_string(seq) + " is not in the log yet");
      }
      return batch_leaves[seq - size_before];
    }
    auto v = store.Get(keys::Entry(seq), "entry " + std::to_string(seq));
    if (!v.ok()) return v.status();
    if (!v->has_value() || (*v)->size() <= 32) {
      return Status::Corruption("store.entry", "entry " + std::to_string(seq) + " is missing");
    }
    return LeafHash(std::string_view(**v).substr(32));
  };

  for (size_t i = 0; i < batch.size(); ++i) {
    const Pending& p = *batch[i];
    const uint64_t n = built.size();
    // The key may have changed since the caller verified (a rotation earlier in this batch).
    auto signature = [&](const PublicKey& current) {
      if (current == p.verified_key ||
          VerifySignature(current, p.stx.tx.canonical, p.stx.signature)) {
        return Status::OK();
      }
      return Status::Unauthenticated(
          "tx.signature",
          "signature does not verify under the current key of \"" + p.stx.tx.signer + "\"");
    };
    TxContext ctx{p.stx.tx, n, now};
    ctx.leaf_hash = leaf_hash;
    Result<Applied> applied = Status::OK();
    try {
      applied = Apply(*types, p.admission, ctx, signature, /*allow_duplicate=*/true, state);
    } catch (const std::exception& e) {
      // The types' own functions are guarded (TxType); this catches the rest of the pipeline.
      // Apply writes to `state` only in its last step, so nothing of this transaction remains.
      applied = Status::Internal("tx.internal", std::string("the pipeline failed unexpectedly (") +
                                                    e.what() + "); the transaction is refused");
    }
    if (!applied.ok() && applied.status().reason() == "tx.internal" && options.on_internal_error) {
      options.on_internal_error(p.stx.tx, applied.status());
    }
    if (!applied.ok()) {
      std::lock_guard lock(head_mu);
      stats.refused++;
      results[i] = applied.status();
      continue;
    }
    Receipt r;
    if (applied->duplicate_of) {
      // Idempotency: the same signed transaction answers with its first entry.
      r.seq = *applied->duplicate_of;
      r.duplicate = true;
      results[i] = r;
      continue;
    }
    r.seq = n;
    r.leaf_hash =
        built.Append(Entry{n, now, applied->signer_key, p.stx.signature, p.stx.tx.canonical,
                           EntryVersionOf(params.format), applied->note});
    batch_leaves.push_back(r.leaf_hash);
    results[i] = r;
  }

  const uint64_t n_after = built.size();
  std::string note;
  CommitInfo info;
  info.first_seq = size_before;
  info.entries = n_after - size_before;
  for (const auto& r : results) info.refused += (r && !r->ok()) ? 1 : 0;
  for (const Pending* p : batch) info.bytes += p->bytes;
  if (n_after > size_before) {
    // Signed here, handed out only once the write is durable: a checkpoint never leaves the
    // process for a tree that is not on disk.
    note = built.Finish(state, origin, log_signing_key);
    leveldb::WriteOptions wo;
    wo.sync = true;
    auto write_start = std::chrono::steady_clock::now();
    leveldb::Status ws;
    {
      Store::Reading r(store);  // the writer thread is the only one that reopens
      ws = r.db()->Write(wo, &built.batch());
    }
    info.write_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - write_start)
            .count();
    info.ok = ws.ok();
    if (!ws.ok()) {
      Status err = Status::Unavailable("store.write_failed",
                                       "the store refused a write (not acknowledged; it may or "
                                       "may not have been applied): " +
                                           ws.ToString());
      StoreFailed(err);
      // Nothing of this batch is acknowledged, nor a duplicate of an entry of this batch.
      for (auto& r : results) {
        if ((*r).ok() && (!(*r)->duplicate || (*r)->seq >= size_before)) r = err;
      }
    } else {
      for (const auto& [id, h] : built.completed()) nodes.Add(id.level, id.index, h);
      std::lock_guard lock(head_mu);
      const uint64_t appended = n_after - size_before;
      head.size = n_after;
      head.frontier = std::move(built.frontier());
      head.chain = built.chain();
      head.last_ms = now;
      head.checkpoint = note;
      stats.batches++;
      stats.entries += appended;
      stats.largest_batch = std::max(stats.largest_batch, appended);
      size_t bucket = 0;
      while (bucket + 1 < stats.batch_buckets.size() && (uint64_t(1) << bucket) < appended) {
        ++bucket;
      }
      stats.batch_buckets[bucket]++;
    }
  }
  note = head.checkpoint;
  if (options.on_commit) options.on_commit(info);
  for (size_t i = 0; i < batch.size(); ++i) {
    Result<Receipt>& r = *results[i];
    if (r.ok()) {
      r->checkpoint = note;
      if (r->duplicate) {
        auto v = store.Get(keys::Entry(r->seq), "entry " + std::to_string(r->seq));
        if (v.ok() && v->has_value() && (*v)->size() > 32) {
          r->leaf_hash = LeafHash(std::string_view(**v).substr(32));
        }
      }
    }
    batch[i]->done(std::move(r));
    delete batch[i];
  }
}

Result<Receipt> Ledger::Submit(std::string_view envelope) {
  auto stx = DecodeSubmission(envelope);
  if (!stx.ok()) return stx.status();
  return Submit(*stx);
}

Result<Receipt> Ledger::Submit(const SignedTransaction& stx) {
  std::promise<Result<Receipt>> promise;
  auto future = promise.get_future();
  SubmitAsync(stx, [&promise](Result<Receipt> r) { promise.set_value(std::move(r)); });
  return future.get();
}

void Ledger::SubmitAsync(const SignedTransaction& stx, Callback done) {
  if (impl_->mirror) {
    return done(Status::PermissionDenied(
        "mirror.read_only", "this is a read-only mirror; submit transactions to the log itself"));
  }
  // The pure checks, and the body's typed validation, on the caller's thread.
  auto admission = Admit(*impl_->types, stx.tx, impl_->params, /*first_entry=*/false);
  if (!admission.ok()) return done(admission.status());
  // While the store refuses writes, refuse at once (the writer reopens it on its own).
  if (Status s = health(); !s.ok()) return done(s);
  // Verified here, on the caller's thread, against the committed key; the writer re-checks
  // only if the key changed meanwhile.
  auto signer = impl_->types->signers().find(stx.tx.signer, impl_->committed);
  if (!signer.ok()) return done(signer.status());
  if (!VerifySignature(signer->key, stx.tx.canonical, stx.signature)) {
    return done(Status::Unauthenticated(
        "tx.signature", "signature does not verify under the key of \"" + stx.tx.signer + "\""));
  }
  const size_t bytes = stx.tx.canonical.size() +
                       (stx.tx.confidential.is_null() ? 0 : stx.tx.confidential.dump().size());
  auto* p = new Pending{stx, std::move(*admission), signer->key, std::move(done), bytes};
  Status refused;
  {
    std::lock_guard lock(impl_->queue_mu);
    if (impl_->stopping) {
      refused = Status::Unavailable("ledger.stopping", "the ledger is closing");
    } else if (impl_->queue.size() >= impl_->options.max_queue) {
      // Backpressure: the writer is behind; the client retries rather than the queue growing.
      refused = Status::ResourceExhausted(
          "ledger.busy", std::to_string(impl_->queue.size()) +
                             " transactions are waiting to be committed; retry shortly");
    } else {
      impl_->queue.push_back(p);
      p = nullptr;
    }
  }
  if (p != nullptr) {
    p->done(refused);
    delete p;
    return;
  }
  impl_->queue_cv.notify_one();
}

}  // namespace carbonledger
