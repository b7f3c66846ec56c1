// Registry queries (ledger/registry.h): read-only walks over the records the registry rules
// keep. Each reads only what it reports: the holder's index entries, a block's chain of
// parents, a park-year's claim and retirement records.
#include <algorithm>
#include <map>
#include <tuple>

#include "ledger/registry/internal/records.h"
#include "ledger/registry/queries.h"

namespace carbonledger {

using namespace registry;

std::string FormatSerials(std::string_view instrument, uint64_t first, uint64_t last) {
  std::string s = std::string(instrument) + "-" + std::to_string(first);
  if (last != first) s += "-" + std::to_string(last);
  return s;
}

namespace {

Status CheckInstrument(const std::string& instrument) {
  if (IsInstrument(instrument)) return Status::OK();
  return Status::InvalidArgument("instrument.invalid",
                                 "instrument must be GEC, CCER or CIC, not \"" + instrument + "\"");
}

// Issuance attributes, read once per issuance.
class Attributes {
 public:
  Attributes(const StateReader& state, int validity) : state_(state), validity_(validity) {}

  Result<UnitAttributes> Of(const std::string& issuance) {
    auto it = cache_.find(issuance);
    if (it != cache_.end()) return it->second;
    auto r = RequireRecord(state_, IssuanceKey(issuance), "issuance.unknown",
                           "issuance \"" + issuance + "\"");
    if (!r.ok()) return r.status();
    const nlohmann::json& j = *r;
    UnitAttributes a;
    a.issuance = issuance;
    a.issuance_seq = j.value("seq", uint64_t(0));
    a.vintage = j.value("vintage", "");
    a.generator = j.value("generator", "");
    a.technology = j.value("technology", "");
    a.project = j.value("project", "");
    a.methodology = j.value("methodology", "");
    a.region = j.value("region", "");
    if (j.value("instrument", "") == kGec) {
      if (auto m = ParseMonth(a.vintage)) a.valid_through = FormatMonth(*m + validity_ - 1);
    }
    return cache_.emplace(issuance, std::move(a)).first->second;
  }

 private:
  const StateReader& state_;
  int validity_;
  std::map<std::string, UnitAttributes> cache_;
};

Result<BlockView> View(const Block& b, Attributes& attributes) {
  auto a = attributes.Of(b.issuance);
  if (!a.ok()) return a.status();
  BlockView v;
  v.id = b.id;
  v.instrument = b.instrument;
  v.first = b.first;
  v.last = b.last;
  v.holder = b.holder;
  v.status = b.status;
  v.event = b.event;
  v.seq = b.seq;
  v.parent = b.parent;
  v.ref = b.ref;
  v.attributes = std::move(*a);
  return v;
}

Result<Block> LoadVersion(const StateReader& state, const std::string& id) {
  auto r = RequireRecord(state, VersionKey(id), "state.block", "block version " + id);
  if (!r.ok()) return Status::Corruption("state.block", r.status().message());
  return BlockFromJson(*r);
}

struct IndexEntry {
  std::string key;
  IndexedRange range;
};

Result<std::vector<IndexEntry>> ReadIndex(const StateReader& state, const std::string& prefix) {
  std::vector<IndexEntry> out;
  Status parse;
  Status s = state.Scan(prefix, [&](const std::string& key, const std::string& value) {
    auto r = ParseIndexEntry(key, value);
    if (!r.ok()) parse = r.status();
    if (r.ok()) out.push_back({key, *r});
    return r.ok();
  });
  if (!s.ok()) return s;
  if (!parse.ok()) return parse;
  return out;
}

// The generation month of a GEC holdings index key ".../<YYYYMMYYYYMM>/<first>".
int IndexMonth(const std::string& key) {
  std::string v = key.substr(key.size() - 16 - 1 - 12, 6);
  return std::stoi(v.substr(0, 4)) * 12 + std::stoi(v.substr(4)) - 1;
}

}  // namespace

Result<std::vector<InstrumentHolding>> QueryHoldings(const StateReader& state,
                                                     const std::string& account,
                                                     const HoldingsOptions& options) {
  if (!options.instrument.empty()) {
    if (Status s = CheckInstrument(options.instrument); !s.ok()) return s;
  }
  auto validity = GecValidityMonths(state);
  if (!validity.ok()) return validity.status();
  const int first_valid =
      options.as_of_ms ? FirstValidMonth(AcceptanceMonth(options.as_of_ms), *validity) : 0;
  Attributes attributes(state, *validity);
  std::vector<InstrumentHolding> out;
  for (const char* instrument : kInstruments) {
    if (!options.instrument.empty() && options.instrument != instrument) continue;
    InstrumentHolding h;
    h.instrument = instrument;
    for (bool frozen : {false, true}) {
      auto entries = ReadIndex(
          state, frozen ? FrozenPrefix(account, instrument) : HoldingPrefix(account, instrument));
      if (!entries.ok()) return entries.status();
      for (const IndexEntry& e : *entries) {
        const uint64_t q = e.range.last - e.range.first + 1;
        const bool past =
            !frozen && options.as_of_ms && h.instrument == kGec && IndexMonth(e.key) < first_valid;
        h.held += q;
        h.blocks += 1;
        if (frozen) h.frozen += q;
        if (past) h.past_validity += q;
        if (!options.include_blocks) continue;
        auto b = LoadCurrentBlock(state, instrument, e.range.last);
        if (!b.ok()) return b.status();
        if (!b->has_value()) return Status::Corruption("state.index", "index entry has no block");
        auto v = View(**b, attributes);
        if (!v.ok()) return v.status();
        v->past_validity = past;
        h.block_list.push_back(std::move(*v));
      }
    }
    if (h.blocks > 0) out.push_back(std::move(h));
  }
  return out;
}

Result<std::optional<BlockView>> BlockAt(const StateReader& state, const std::string& instrument,
                                         uint64_t serial) {
  if (Status s = CheckInstrument(instrument); !s.ok()) return s;
  auto validity = GecValidityMonths(state);
  if (!validity.ok()) return validity.status();
  auto b = LoadCurrentBlock(state, instrument, serial);
  if (!b.ok()) return b.status();
  if (!b->has_value() || serial == 0) return std::optional<BlockView>();
  Attributes attributes(state, *validity);
  auto v = View(**b, attributes);
  if (!v.ok()) return v.status();
  return std::optional<BlockView>(std::move(*v));
}

Result<SerialTrace> TraceSerial(const StateReader& state, const std::string& instrument,
                                uint64_t serial) {
  if (Status s = CheckInstrument(instrument); !s.ok()) return s;
  auto validity = GecValidityMonths(state);
  if (!validity.ok()) return validity.status();
  auto current = LoadCurrentBlock(state, instrument, serial);
  if (!current.ok()) return current.status();
  if (serial == 0 || !current->has_value()) {
    return Status::NotFound("serial.unknown",
                            FormatSerials(instrument, serial, serial) + " was never issued");
  }
  Attributes attributes(state, *validity);
  SerialTrace trace;
  trace.instrument = instrument;
  trace.serial = serial;
  for (std::optional<Block> b = std::move(**current); b;) {
    auto v = View(*b, attributes);
    if (!v.ok()) return v.status();
    trace.steps.push_back(std::move(*v));
    if (b->parent.empty()) break;
    auto parent = LoadVersion(state, b->parent);
    if (!parent.ok()) return parent.status();
    b = std::move(*parent);
  }
  std::reverse(trace.steps.begin(), trace.steps.end());
  trace.attributes = trace.steps.front().attributes;
  return trace;
}

Result<ParkYear> QueryParkYear(const StateReader& state, const std::string& park, int64_t year) {
  auto validity = GecValidityMonths(state);
  if (!validity.ok()) return validity.status();
  Attributes attributes(state, *validity);
  ParkYear out;
  out.park = park;
  out.year = year;
  std::vector<std::pair<char, std::string>> ids;
  const std::string prefix = ParkYearPrefix(park, year);
  Status s = state.Scan(prefix, [&](const std::string& key, const std::string&) {
    ids.emplace_back(key[prefix.size()], key.substr(prefix.size() + 2));
    return true;
  });
  if (!s.ok()) return s;
  for (const auto& [kind, id] : ids) {
    auto r = kind == 'c' ? RequireRecord(state, ClaimKey(id), "claim.unknown", "claim " + id)
                         : RequireRecord(state, RetirementKey(id), "retirement.unknown",
                                         "retirement " + id);
    if (!r.ok()) return Status::Corruption("state.park_year", r.status().message());
    const nlohmann::json& rec = *r;
    uint64_t accepted_seq = 0;
    if (kind == 'r' && rec["retired_by"] != rec["beneficiary"]) {
      auto accepted = GetRecord(state, AcceptanceKey(id));
      if (!accepted.ok()) return accepted.status();
      if (accepted->has_value()) accepted_seq = (**accepted)["seq"].get<uint64_t>();
    }
    for (const nlohmann::json& blk : rec["blocks"]) {
      auto a = attributes.Of(blk["issuance"].get<std::string>());
      if (!a.ok()) return a.status();
      const uint64_t first = blk["first"].get<uint64_t>(), last = blk["last"].get<uint64_t>();
      if (kind == 'c') {
        ClaimedBlock c{id,
                       rec["seq"].get<uint64_t>(),
                       first,
                       last,
                       last - first + 1,
                       a->generator,
                       a->technology,
                       a->region,
                       a->vintage,
                       a->issuance};
        out.claimed_mwh += c.quantity;
        out.claims.push_back(std::move(c));
        continue;
      }
      RetiredBlock rb;
      rb.retirement = id;
      rb.seq = rec["seq"].get<uint64_t>();
      rb.instrument = rec["instrument"].get<std::string>();
      rb.first = first;
      rb.last = last;
      rb.quantity = last - first + 1;
      rb.vintage = a->vintage;
      rb.project = a->project;
      rb.project_region = a->region;
      rb.methodology = a->methodology;
      rb.purpose = rec["purpose"].get<std::string>();
      rb.beneficiary = rec["beneficiary"].get<std::string>();
      rb.retired_by = rec["retired_by"].get<std::string>();
      rb.note = rec.value("note", "");
      rb.reporting_year = rec["reporting_year"].get<int64_t>();
      rb.issuance = a->issuance;
      rb.accepted_seq = accepted_seq;
      (rb.instrument == kCcer ? out.retired_ccer : out.retired_cic) += rb.quantity;
      out.retirements.push_back(std::move(rb));
    }
  }
  // By entry, then first serial, then operation (two operations of one entry may start at the
  // same serial of two instruments): a total order, which bundle/2's verifier derives again.
  auto op = [](const std::string& id) { return std::stoull(id.substr(id.find('.') + 1)); };
  std::sort(out.claims.begin(), out.claims.end(), [&](const auto& x, const auto& y) {
    return std::make_tuple(x.seq, x.first, op(x.claim)) <
           std::make_tuple(y.seq, y.first, op(y.claim));
  });
  std::sort(out.retirements.begin(), out.retirements.end(), [&](const auto& x, const auto& y) {
    return std::make_tuple(x.seq, x.first, op(x.retirement)) <
           std::make_tuple(y.seq, y.first, op(y.retirement));
  });
  return out;
}

Result<std::vector<int64_t>> ParkYearsWithUnits(const StateReader& state, std::string_view park) {
  // Index keys "ry/<park>/<year>/<c|r>/<id>" (ParkYearKey): the years are the third segment.
  // One seek per year: after year Y, the next key to read is the first past "…/Y/", which is
  // "…/Y0" ('0' sorts after '/'), so a park's years cost one read each, not one per entry.
  const std::string prefix = "ry/" + std::string(park) + "/";
  std::vector<int64_t> years;
  std::string from = prefix;
  for (;;) {
    std::optional<std::string> year;
    Status s = state.ScanFrom(prefix, from, [&](const std::string& key, const std::string&) {
      std::string_view y = std::string_view(key).substr(prefix.size());
      year = std::string(y.substr(0, y.find('/')));
      return false;
    });
    if (!s.ok()) return s;
    if (!year) break;
    const std::string& y = *year;
    if (!y.empty() && y.size() <= 4 && y.find_first_not_of("0123456789") == std::string::npos &&
        (y.size() == 1 || y[0] != '0')) {
      years.push_back(std::stoll(y));
    }
    from = prefix + y + "0";
  }
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  return years;
}

namespace {

Result<std::optional<uint64_t>> RegisteredSeq(const StateReader& state, const std::string& key) {
  auto record = GetRecord(state, key);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<uint64_t>();
  return std::optional<uint64_t>((**record)["registered_seq"].get<uint64_t>());
}

}  // namespace

Result<std::optional<uint64_t>> GeneratorRegistrationSeq(const StateReader& state,
                                                         std::string_view id) {
  return RegisteredSeq(state, GeneratorKey(id));
}

Result<std::optional<uint64_t>> ProjectRegistrationSeq(const StateReader& state,
                                                       std::string_view id) {
  return RegisteredSeq(state, ProjectKey(id));
}

Result<std::vector<InstrumentTotals>> QueryTotals(const StateReader& state) {
  std::vector<InstrumentTotals> out;
  for (const char* instrument : kInstruments) {
    auto t = LoadTotals(state, instrument);
    if (!t.ok()) return t.status();
    InstrumentTotals x;
    x.instrument = instrument;
    x.issued = t->issued;
    x.held = t->held;
    x.frozen = t->frozen;
    x.claimed = t->claimed;
    x.retired = t->retired;
    x.expired = t->expired;
    x.cancelled = t->cancelled;
    x.issuances = t->issuances;
    x.next_serial = t->next_serial;
    out.push_back(x);
  }
  return out;
}

std::string ParkYearScope(std::string_view park, int64_t year) {
  return std::string(park) + "/" + std::to_string(year);
}

}  // namespace carbonledger
