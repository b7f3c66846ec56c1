#include "ledger/registry/internal/records.h"

#include <chrono>
#include <cstdio>

namespace carbonledger::registry {

bool IsInstrument(std::string_view s) { return s == kGec || s == kCcer || s == kCic; }

// ---- Months.

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> ParseYear(std::string_view s) {
  if (s.size() != 4 || !AllDigits(s) || s[0] == '0') return std::nullopt;
  return std::stoi(std::string(s));
}

}  // namespace

std::optional<int> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-' || !AllDigits(text.substr(5))) return std::nullopt;
  auto year = ParseYear(text.substr(0, 4));
  int month = std::stoi(std::string(text.substr(5)));
  if (!year || month < 1 || month > 12) return std::nullopt;
  return *year * 12 + month - 1;
}

std::string FormatMonth(int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", month / 12, month % 12 + 1);
  return buf;
}

std::string CompactMonth(int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d", month / 12, month % 12 + 1);
  return buf;
}

int HoursInMonth(int month) {
  using namespace std::chrono;
  year_month_day_last last{year(month / 12), month_day_last(std::chrono::month(month % 12 + 1))};
  return int(unsigned(last.day())) * 24;
}

int AcceptanceMonth(uint64_t accepted_ms) {
  using namespace std::chrono;
  constexpr uint64_t kChinaOffsetMs = 8ull * 3600 * 1000;
  sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(accepted_ms + kChinaOffsetMs)));
  year_month_day ymd(day);
  return int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1;
}

std::optional<Vintage> ParseVintage(std::string_view instrument, std::string_view text) {
  if (instrument == kGec) {
    auto m = ParseMonth(text);
    if (!m) return std::nullopt;
    return Vintage{*m, *m};
  }
  if (text.size() == 4) {
    auto y = ParseYear(text);
    if (!y) return std::nullopt;
    return Vintage{*y * 12, *y * 12 + 11};
  }
  if (text.size() != 15 || text[7] != '/') return std::nullopt;
  auto from = ParseMonth(text.substr(0, 7));
  auto to = ParseMonth(text.substr(8));
  if (!from || !to || *from > *to || *to - *from + 1 > kMaxPeriodMonths) return std::nullopt;
  return Vintage{*from, *to};
}

std::string VintageKey(const Vintage& v) { return CompactMonth(v.from) + CompactMonth(v.to); }

Result<int> GecValidityMonths(const StateReader& state) {
  auto config = GetRecord(state, kConfigKey);
  if (!config.ok()) return config.status();
  if (!config->has_value() || !(**config).contains("gec_validity_months") ||
      !(**config)["gec_validity_months"].is_number_integer() ||
      (**config)["gec_validity_months"].get<int64_t>() <= 0) {
    return Status::Corruption("state.config", "the config record has no gec_validity_months");
  }
  return int(std::min<int64_t>((**config)["gec_validity_months"].get<int64_t>(), 12 * 1000));
}

// ---- Blocks.

int Block::month() const { return ParseMonth(vintage).value_or(0); }

nlohmann::json BlockToJson(const Block& b) {
  nlohmann::json j = {{"id", b.id},
                      {"instrument", b.instrument},
                      {"first", b.first},
                      {"last", b.last},
                      {"holder", b.holder},
                      {"status", b.status},
                      {"issuance", b.issuance},
                      {"vintage", b.vintage},
                      {"seq", b.seq},
                      {"event", b.event}};
  if (!b.generator.empty()) j["generator"] = b.generator;
  if (!b.parent.empty()) j["parent"] = b.parent;
  if (!b.ref.empty()) j["ref"] = b.ref;
  return j;
}

Result<Block> BlockFromJson(const nlohmann::json& j) {
  try {
    Block b;
    b.id = j.at("id").get<std::string>();
    b.instrument = j.at("instrument").get<std::string>();
    b.first = j.at("first").get<uint64_t>();
    b.last = j.at("last").get<uint64_t>();
    b.holder = j.at("holder").get<std::string>();
    b.status = j.at("status").get<std::string>();
    b.issuance = j.at("issuance").get<std::string>();
    b.vintage = j.at("vintage").get<std::string>();
    b.seq = j.at("seq").get<uint64_t>();
    b.event = j.at("event").get<std::string>();
    b.generator = j.value("generator", "");
    b.parent = j.value("parent", "");
    b.ref = j.value("ref", "");
    if (b.first == 0 || b.first > b.last) throw std::out_of_range("range");
    return b;
  } catch (const std::exception&) {
    return Status::Corruption("state.block", "a block record is malformed");
  }
}

// ---- Keys.

std::string Hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string GeneratorKey(std::string_view id) { return "rg/" + std::string(id); }
std::string ProjectKey(std::string_view id) { return "rp/" + std::string(id); }
std::string ProjectPeriodPrefix(std::string_view project) {
  return "rpv/" + std::string(project) + "/";
}
std::string ProjectPeriodKey(std::string_view project, int from_month) {
  return ProjectPeriodPrefix(project) + FormatMonth(from_month);
}
std::string IssuanceKey(std::string_view id) { return "ri/" + std::string(id); }
std::string TotalsKey(std::string_view instrument) { return "rt/" + std::string(instrument); }
std::string GenerationKey(std::string_view generator, int month) {
  return "ru/" + std::string(generator) + "/" + FormatMonth(month);
}
std::string BlockPrefix(std::string_view instrument) {
  return "rb/" + std::string(instrument) + "/";
}
std::string BlockKey(std::string_view instrument, uint64_t last) {
  return BlockPrefix(instrument) + Hex16(last);
}
std::string VersionKey(std::string_view block_id) { return "rv/" + std::string(block_id); }
std::string HoldingPrefix(std::string_view holder, std::string_view instrument) {
  return "rh/" + std::string(holder) + "/" + std::string(instrument) + "/";
}
std::string FrozenPrefix(std::string_view holder, std::string_view instrument) {
  return "rz/" + std::string(holder) + "/" + std::string(instrument) + "/";
}
std::string ValidityMonthPrefix(int month, std::string_view generator) {
  return kValidityPrefix + CompactMonth(month) + "/" + std::string(generator) + "/";
}
std::string ClaimKey(std::string_view id) { return "rc/" + std::string(id); }
std::string RetirementKey(std::string_view id) { return "rr/" + std::string(id); }
std::string AcceptanceKey(std::string_view id) { return "ra/" + std::string(id); }
std::string ParkYearPrefix(std::string_view park, int64_t year) {
  return "ry/" + std::string(park) + "/" + std::to_string(year) + "/";
}
std::string ParkYearKey(std::string_view park, int64_t year, char kind, std::string_view id) {
  return ParkYearPrefix(park, year) + kind + "/" + std::string(id);
}

Result<IndexedRange> ParseIndexEntry(const std::string& key, const std::string& value) {
  IndexedRange r;
  if (key.size() < 16 || value.empty() || value.size() > 16 || !AllDigits(value)) {
    return Status::Corruption("state.index", "index record " + key + " is malformed");
  }
  r.first = std::stoull(key.substr(key.size() - 16), nullptr, 16);
  r.last = std::stoull(value);
  if (r.first == 0 || r.first > r.last) {
    return Status::Corruption("state.index", "index record " + key + " is malformed");
  }
  return r;
}

namespace {

// The index keys a block has while it may still move.
std::vector<std::string> IndexKeys(const Block& b) {
  std::vector<std::string> keys;
  if (b.status != kActive && b.status != kFrozen) return keys;
  auto v = ParseVintage(b.instrument, b.vintage);
  std::string tail = (v ? VintageKey(*v) : std::string("?")) + "/" + Hex16(b.first);
  keys.push_back((b.status == kActive ? HoldingPrefix(b.holder, b.instrument)
                                      : FrozenPrefix(b.holder, b.instrument)) +
                 tail);
  if (b.instrument == kGec)
    keys.push_back(ValidityMonthPrefix(b.month(), b.generator) + Hex16(b.first));
  return keys;
}

}  // namespace

// ---- Records.

Result<Totals> LoadTotals(const StateReader& state, std::string_view instrument) {
  auto r = GetRecord(state, TotalsKey(instrument));
  if (!r.ok()) return r.status();
  Totals t;
  if (!r->has_value()) return t;
  try {
    const nlohmann::json& j = **r;
    t.issued = j.at("issued").get<uint64_t>();
    t.held = j.at("held").get<uint64_t>();
    t.frozen = j.at("frozen").get<uint64_t>();
    t.claimed = j.at("claimed").get<uint64_t>();
    t.retired = j.at("retired").get<uint64_t>();
    t.expired = j.at("expired").get<uint64_t>();
    t.cancelled = j.at("cancelled").get<uint64_t>();
    t.issuances = j.at("issuances").get<uint64_t>();
    t.next_serial = t.issued + 1;  // serials are allocated consecutively from 1
  } catch (const std::exception&) {
    return Status::Corruption("state.totals",
                              "the totals record of " + std::string(instrument) + " is malformed");
  }
  return t;
}

Status SaveTotals(StateTxn& txn, std::string_view instrument, const Totals& t) {
  return PutRecord(txn, TotalsKey(instrument),
                   {{"issued", t.issued},
                    {"held", t.held},
                    {"frozen", t.frozen},
                    {"claimed", t.claimed},
                    {"retired", t.retired},
                    {"expired", t.expired},
                    {"cancelled", t.cancelled},
                    {"issuances", t.issuances}});
}

Result<Generation> LoadGeneration(const StateReader& state, std::string_view generator, int month) {
  auto r = GetRecord(state, GenerationKey(generator, month));
  if (!r.ok()) return r.status();
  Generation g;
  if (!r->has_value()) return g;
  try {
    g.gec = (**r).at("gec").get<uint64_t>();
    g.frozen = (**r).at("frozen").get<uint64_t>();
    g.ccer = (**r).value("ccer", "");
    g.credit_t = (**r).value("credit_t", uint64_t(0));
    g.credit_issuance = (**r).value("credit_issuance", "");
  } catch (const std::exception&) {
    return Status::Corruption("state.generation",
                              "record " + GenerationKey(generator, month) + " is malformed");
  }
  return g;
}

Status SaveGeneration(StateTxn& txn, std::string_view generator, int month, const Generation& g) {
  nlohmann::json j = {{"gec", g.gec}, {"frozen", g.frozen}};
  if (!g.ccer.empty()) j["ccer"] = g.ccer;
  if (!g.credit_issuance.empty()) {
    j["credit_issuance"] = g.credit_issuance;
    j["credit_t"] = g.credit_t;
  }
  return PutRecord(txn, GenerationKey(generator, month), j);
}

Result<nlohmann::json> RequireRecord(const StateReader& state, const std::string& key,
                                     const std::string& reason, const std::string& what) {
  auto r = GetRecord(state, key);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return Status::NotFound(reason, what + " does not exist");
  return std::move(**r);
}

// ---- Current blocks.

Result<std::vector<Block>> CurrentBlocksIn(const StateReader& state, std::string_view instrument,
                                           uint64_t first, uint64_t last, size_t max_blocks) {
  std::vector<std::string> raw;
  const std::string prefix = BlockPrefix(instrument);
  Status s = state.ScanFrom(prefix, BlockKey(instrument, first),
                            [&](const std::string& key, const std::string& value) {
                              raw.push_back(value);
                              return raw.size() <= max_blocks &&
                                     std::stoull(key.substr(prefix.size()), nullptr, 16) < last;
                            });
  if (!s.ok()) return s;
  std::vector<Block> out;
  for (const std::string& v : raw) {
    JsonLimits limits;
    limits.max_bytes = size_t(1) << 20;
    auto j = ParseStrictJson(v, limits);
    if (!j.ok()) return Status::Corruption("state.block", "a block record is not valid JSON");
    auto b = BlockFromJson(*j);
    if (!b.ok()) return b.status();
    if (b->first > last) break;
    out.push_back(std::move(*b));
  }
  return out;
}

Result<std::optional<Block>> LoadCurrentBlock(const StateReader& state, std::string_view instrument,
                                              uint64_t serial) {
  auto blocks = CurrentBlocksIn(state, instrument, serial, serial);
  if (!blocks.ok()) return blocks.status();
  if (blocks->empty()) return std::optional<Block>();
  return std::optional<Block>(std::move(blocks->front()));
}

Status Supersede(StateTxn& txn, const Block* old, const std::vector<Block>& successors) {
  if (old != nullptr) {
    for (const std::string& k : IndexKeys(*old)) txn.Delete(k);
    txn.Delete(BlockKey(old->instrument, old->last));
    if (Status s = PutRecord(txn, VersionKey(old->id), BlockToJson(*old)); !s.ok()) return s;
  }
  for (const Block& b : successors) {
    if (Status s = PutRecord(txn, BlockKey(b.instrument, b.last), BlockToJson(b)); !s.ok()) {
      return s;
    }
    for (const std::string& k : IndexKeys(b)) txn.Put(k, std::to_string(b.last));
  }
  return Status::OK();
}

}  // namespace carbonledger::registry
