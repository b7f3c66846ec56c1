#include "ledger/log/state.h"

#include "crypto/canonical_json.h"

namespace carbonledger {

Result<std::optional<std::string>> StateTxn::Get(const std::string& key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_.Get(key);
}

Status StateReader::ScanFrom(const std::string& prefix, const std::string& start,
                             const ScanFn& fn) const {
  return Scan(prefix, [&](const std::string& key, const std::string& value) {
    return key < start || fn(key, value);
  });
}

Status StateTxn::Scan(const std::string& prefix, const ScanFn& fn) const {
  return ScanFrom(prefix, prefix, fn);
}

Status StateTxn::ScanFrom(const std::string& prefix, const std::string& start,
                          const ScanFn& fn) const {
  // Merge the base's ordered scan with the pending writes in the same range.
  auto w = writes_.lower_bound(std::max(prefix, start));
  auto in_range = [&](auto it) {
    return it != writes_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
  };
  bool stopped = false;
  Status s = base_.ScanFrom(prefix, start, [&](const std::string& key, const std::string& value) {
    for (; in_range(w) && w->first < key; ++w) {
      if (w->second && !fn(w->first, *w->second)) return !(stopped = true);
    }
    if (in_range(w) && w->first == key) {
      auto pending = w++;
      if (pending->second) return fn(key, *pending->second) || !(stopped = true);
      return true;  // deleted by a pending write
    }
    return fn(key, value) || !(stopped = true);
  });
  if (!s.ok() || stopped) return s;
  for (; in_range(w); ++w) {
    if (w->second && !fn(w->first, *w->second)) break;
  }
  return Status::OK();
}

void StateTxn::Absorb(StateTxn& child) {
  for (auto& [k, v] : child.writes_) writes_[k] = std::move(v);
  child.writes_.clear();
}

Result<std::optional<std::string>> MemoryState::Get(const std::string& key) const {
  auto it = data_.find(key);
  if (it == data_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemoryState::Scan(const std::string& prefix, const ScanFn& fn) const {
  return ScanFrom(prefix, prefix, fn);
}

Status MemoryState::ScanFrom(const std::string& prefix, const std::string& start,
                             const ScanFn& fn) const {
  for (auto it = data_.lower_bound(std::max(prefix, start));
       it != data_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (!fn(it->first, it->second)) break;
  }
  return Status::OK();
}

void MemoryState::Apply(const StateTxn& txn) {
  for (const auto& [k, v] : txn.writes()) {
    if (v) {
      data_[k] = *v;
    } else {
      data_.erase(k);
    }
  }
}

Result<std::optional<nlohmann::json>> GetRecord(const StateReader& state, const std::string& key) {
  auto raw = state.Get(key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<nlohmann::json>();
  JsonLimits limits;
  limits.max_bytes = size_t(16) << 20;  // state records are written by us, not by clients
  limits.max_depth = 64;
  auto parsed = ParseStrictJson(**raw, limits);
  if (!parsed.ok()) {
    return Status::Corruption("state.record", "state record " + key + " is not valid JSON");
  }
  return std::optional<nlohmann::json>(std::move(*parsed));
}

Status PutRecord(StateTxn& txn, const std::string& key, const nlohmann::json& record) {
  auto c = CanonicalJson(record);
  if (!c.ok()) return c.status();
  txn.Put(key, std::move(*c));
  return Status::OK();
}

}  // namespace carbonledger
