// State: the key-value view of everything the log's transactions imply (for carbonledger:
// accounts, keys, nonces, holdings), kept in LevelDB under the "s/" prefix for fast reads and
// always rebuildable by replaying the log. Transaction rules read and write state only through
// these interfaces, so the same rule code runs in the sequencer (over LevelDB) and in
// verify-ledger's replay (over memory).
//
// Values are canonical JSON (RFC 8785), so a replayed state equals the stored one byte for byte.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "crypto/status.h"

namespace carbonledger {

// Called for each key in order; return false to stop early.
using ScanFn = std::function<bool(const std::string& key, const std::string& value)>;

class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual Result<std::optional<std::string>> Get(const std::string& key) const = 0;
  // Visits every key starting with `prefix`, in byte order.
  virtual Status Scan(const std::string& prefix, const ScanFn& fn) const = 0;
  // The same, starting at the first key >= `start` (a seek: keys before it are not read).
  // The default filters Scan(); stores override it with a real seek.
  virtual Status ScanFrom(const std::string& prefix, const std::string& start,
                          const ScanFn& fn) const;
};

// Pending writes over a base: one transaction's changes, or one batch's. Reads see the
// pending writes first. Nothing reaches the base until the owner commits the writes.
class StateTxn : public StateReader {
 public:
  explicit StateTxn(const StateReader& base) : base_(base) {}
  // A nested transaction over another: reads fall through to the parent's pending writes.
  // (Without this overload `StateTxn child(parent)` would pick the copy constructor and
  // duplicate the parent's writes instead of layering over them.)
  explicit StateTxn(StateTxn& parent) : base_(parent) {}
  StateTxn(const StateTxn&) = delete;
  StateTxn& operator=(const StateTxn&) = delete;

  Result<std::optional<std::string>> Get(const std::string& key) const override;
  Status Scan(const std::string& prefix, const ScanFn& fn) const override;
  Status ScanFrom(const std::string& prefix, const std::string& start,
                  const ScanFn& fn) const override;

  void Put(const std::string& key, std::string value) { writes_[key] = std::move(value); }
  void Delete(const std::string& key) { writes_[key] = std::nullopt; }

  // nullopt marks a deletion.
  const std::map<std::string, std::optional<std::string>>& writes() const { return writes_; }
  // Moves another transaction's writes on top of these (a nested transaction committing).
  void Absorb(StateTxn& child);
  void Clear() { writes_.clear(); }

 private:
  const StateReader& base_;
  std::map<std::string, std::optional<std::string>> writes_;
};

// A whole state in memory: verify-ledger's replay target and the tests' reference.
class MemoryState : public StateReader {
 public:
  Result<std::optional<std::string>> Get(const std::string& key) const override;
  Status Scan(const std::string& prefix, const ScanFn& fn) const override;
  Status ScanFrom(const std::string& prefix, const std::string& start,
                  const ScanFn& fn) const override;
  void Apply(const StateTxn& txn);
  const std::map<std::string, std::string>& data() const { return data_; }

 private:
  std::map<std::string, std::string> data_;
};

// JSON records: stored as canonical JSON.
Result<std::optional<nlohmann::json>> GetRecord(const StateReader& state, const std::string& key);
Status PutRecord(StateTxn& txn, const std::string& key, const nlohmann::json& record);

}  // namespace carbonledger
