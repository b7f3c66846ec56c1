// FaultEnv: a leveldb::Env that fails file writes on command the way a full disk or a failing
// device does, for in-process tests of the ledger's storage-fault handling
// (LedgerOptions::store_env). Every file LevelDB writes — write-ahead log, tables, manifest —
// and the ledger's own probe file go through it; reads are never touched.
//
//   kNoSpace    Append writes the first half of what it is given, then fails with "No space
//               left on device" (a torn write); Flush and Sync fail too.
//   kSyncError  Append and Flush pass, so the bytes reach the file system, but Sync fails
//               with "Input/output error" without syncing: the data may or may not be durable.
//
// A fault can be limited to some files: kAllButLogs lets the write-ahead log's small appends
// through while everything else fails (a disk that fills during a compaction), kTables fails
// only table files (a compaction failing by itself).
#pragma once

#include <leveldb/env.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace carbonledger::testing {

class FaultEnv : public leveldb::EnvWrapper {
 public:
  enum class Fault { kNone, kNoSpace, kSyncError };
  enum class Files { kAll, kAllButLogs, kTables };

  FaultEnv() : leveldb::EnvWrapper(leveldb::Env::Default()) {}

  void Set(Fault fault, Files files = Files::kAll) {
    files_.store(files);
    fault_.store(fault);
  }
  void Clear() { fault_.store(Fault::kNone); }
  // Operations failed so far.
  uint64_t injected() const { return injected_.load(); }
  // A slow disk: each Sync decides whether to fail, then waits this long. With syncs() (Sync
  // calls begun) a test can hold the writer inside one write while it queues the next batch.
  void set_sync_delay(std::chrono::milliseconds d) { sync_delay_ms_.store(d.count()); }
  uint64_t syncs() const { return syncs_.load(); }

  leveldb::Status NewWritableFile(const std::string& name, leveldb::WritableFile** out) override {
    return Wrap(name, target()->NewWritableFile(name, out), out);
  }
  leveldb::Status NewAppendableFile(const std::string& name, leveldb::WritableFile** out) override {
    return Wrap(name, target()->NewAppendableFile(name, out), out);
  }

 private:
  class File : public leveldb::WritableFile {
   public:
    File(FaultEnv& env, std::string name, leveldb::WritableFile* target)
        : env_(env), name_(std::move(name)), target_(target) {}
    leveldb::Status Append(const leveldb::Slice& data) override {
      switch (env_.FaultFor(name_)) {
        case Fault::kNoSpace:
          target_->Append(leveldb::Slice(data.data(), data.size() / 2));
          return env_.Injected(name_, "No space left on device");
        default:
          return target_->Append(data);
      }
    }
    leveldb::Status Flush() override {
      if (env_.FaultFor(name_) == Fault::kNoSpace) {
        return env_.Injected(name_, "No space left on device");
      }
      return target_->Flush();
    }
    leveldb::Status Sync() override {
      Fault fault = env_.FaultFor(name_);
      env_.syncs_.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(env_.sync_delay_ms_.load()));
      switch (fault) {
        case Fault::kNoSpace:
          return env_.Injected(name_, "No space left on device");
        case Fault::kSyncError:
          target_->Flush();  // the bytes reach the file system, not the disk
          return env_.Injected(name_, "Input/output error");
        default:
          return target_->Sync();
      }
    }
    leveldb::Status Close() override { return target_->Close(); }

   private:
    FaultEnv& env_;
    const std::string name_;
    std::unique_ptr<leveldb::WritableFile> target_;
  };

  leveldb::Status Wrap(const std::string& name, leveldb::Status s, leveldb::WritableFile** out) {
    if (s.ok()) *out = new File(*this, name, *out);
    return s;
  }

  Fault FaultFor(const std::string& name) const {
    Fault f = fault_.load();
    if (f == Fault::kNone) return f;
    bool log = name.ends_with(".log"), table = name.ends_with(".ldb");
    switch (files_.load()) {
      case Files::kAll:
        return f;
      case Files::kAllButLogs:
        return log ? Fault::kNone : f;
      case Files::kTables:
        return table ? f : Fault::kNone;
    }
    return f;
  }

  leveldb::Status Injected(const std::string& name, const char* what) {
    injected_.fetch_add(1);
    return leveldb::Status::IOError(name, what);
  }

  std::atomic<Fault> fault_{Fault::kNone};
  std::atomic<Files> files_{Files::kAll};
  std::atomic<uint64_t> injected_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<int64_t> sync_delay_ms_{0};
};

}  // namespace carbonledger::testing
