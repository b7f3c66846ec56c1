#include "ledger/log/internal/db.h"

#include <leveldb/cache.h>
#include <leveldb/filter_policy.h>

namespace carbonledger {
namespace {

const leveldb::FilterPolicy* BloomFilter() {
  static const leveldb::FilterPolicy* policy = leveldb::NewBloomFilterPolicy(10);
  return policy;
}

}  // namespace

Database::~Database() {
  db_.reset();  // the DB must close before its cache is freed
  cache_.reset();
}

leveldb::ReadOptions Database::ReadOpts() {
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  return ro;
}

Status FromLevelDB(const leveldb::Status& s, const std::string& context) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound("store.not_found", context + ": " + s.ToString());
  if (s.IsCorruption())
    return Status::Corruption("store.corruption", context + ": " + s.ToString());
  return Status::IOError("store.io", context + ": " + s.ToString());
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& path,
                                               const DatabaseOptions& options) {
  std::unique_ptr<Database> d(new Database());
  d->cache_.reset(leveldb::NewLRUCache(options.block_cache_bytes));
  leveldb::Options o;
  o.create_if_missing = options.create_if_missing;
  o.paranoid_checks = true;
  o.block_cache = d->cache_.get();
  o.write_buffer_size = options.write_buffer_bytes;
  o.filter_policy = BloomFilter();
  if (options.env != nullptr) o.env = options.env;
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(o, path, &raw);
  if (!s.ok()) return FromLevelDB(s, "open " + path);
  d->db_.reset(raw);
  return d;
}

}  // namespace carbonledger
