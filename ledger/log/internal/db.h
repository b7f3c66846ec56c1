// OpenDatabase: opens the one LevelDB database that holds a ledger, with the options every
// caller must agree on (checksums verified on every read, paranoid checks on open), so that
// a damaged file is reported as Corruption instead of being read as data.
#pragma once

#include <leveldb/db.h>

#include <memory>
#include <string>

#include "crypto/status.h"

namespace carbonledger {

struct DatabaseOptions {
  bool create_if_missing = true;
  size_t block_cache_bytes = 64 << 20;
  size_t write_buffer_bytes = 16 << 20;
  // The file system LevelDB goes through; null is the real one. Tests put a fault-injecting
  // leveldb::EnvWrapper here (tests/support/fault_env.h). Must outlive the database.
  leveldb::Env* env = nullptr;
};

// A LevelDB handle that owns its block cache. Destroying it closes the database.
class Database {
 public:
  ~Database();
  leveldb::DB* db() const { return db_.get(); }
  // Options for reads: checksums are always verified.
  static leveldb::ReadOptions ReadOpts();

 private:
  friend Result<std::unique_ptr<Database>> OpenDatabase(const std::string&, const DatabaseOptions&);
  Database() = default;
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<leveldb::DB> db_;
};

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& path,
                                               const DatabaseOptions& options = {});

// Maps a LevelDB status onto ours, keeping LevelDB's message.
Status FromLevelDB(const leveldb::Status& s, const std::string& context);

}  // namespace carbonledger
