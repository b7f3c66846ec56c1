// Property test of the registry rules: thousands of random operation sequences (issue,
// transfer by range and by quantity, claim, retire, expire, freeze, cancel, rotate key, and
// invalid operations of every kind) run against the ledger and against a reference model
// written from docs/registry-rules.md alone: an interval set of serial numbers per instrument.
// After every step: the outcome (accepted, or the reason of the refusal) is the model's; every
// block and every holding is the model's; issued = held + claimed + retired + expired +
// cancelled; every serial lies in exactly one block and every movable block is indexed once.
//
// Two drivers run the same sequences: the replay path in memory (ApplyTransaction over a
// MemoryState, with a clock the test moves, so GECs cross their validity edges), and a real
// ledger on disk (then VerifyLedger must pass on the result).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <set>

#include "crypto/canonical_json.h"
#include "crypto/encoding.h"
#include "ledger/certification/transaction_types.h"
#include "ledger/log/pipeline.h"
#include "ledger/log/verify.h"
#include "tests/ledger/registry_test_util.h"

using namespace carbonledger;
using namespace carbonledger::testing;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kMemorySequences = 200;
constexpr int kLedgerSequences = 8;
#else
constexpr int kMemorySequences = 2000;
constexpr int kLedgerSequences = 30;
#endif
constexpr int kSteps = 30;

// ---------------------------------------------------------------- the reference model

int ParseMonthIndex(const std::string& s) {  // "YYYY-MM", known good
  return std::stoi(s.substr(0, 4)) * 12 + std::stoi(s.substr(5, 2)) - 1;
}
std::string MonthText(int m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}
int DaysIn(int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = m / 12, mo = m % 12;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return days[mo] + (mo == 1 && leap ? 1 : 0);
}
// Month of a Unix-ms time in UTC+8, by civil-from-days (H. Hinnant), written independently.
int MonthOfMs(uint64_t ms) {
  int64_t z = int64_t((ms + 8ull * 3600 * 1000) / 86400000) + 719468;
  int64_t era = z / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t mo = mp < 10 ? mp + 3 : mp - 9;
  return int((y + (mo <= 2 ? 1 : 0)) * 12 + mo - 1);
}

struct Interval {
  uint64_t last = 0;
  std::string holder, status;
  int vfrom = 0, vto = 0;
  std::string gen;        // GEC: its generator
  std::string recipient;  // who the issuance went to
  uint64_t issuance = 0;  // credits: the first serial of their issuance
};

// A credit issuance: cancelling all of it releases its period and generator-months.
struct CreditIssuance {
  std::string project;
  int from = 0, to = 0;
  uint64_t quantity = 0, cancelled = 0;
};

struct GenMonth {
  uint64_t gec = 0, frozen = 0;
  std::string ccer;
};

struct Model {
  struct Gen {
    std::string owner;
    uint64_t kw = 0;
  };
  struct Project {
    std::string instrument, owner, gen;
  };
  std::map<std::string, std::string> role;
  std::map<std::string, Gen> gens;
  std::map<std::string, Project> projects;
  int validity = 24;

  std::map<std::string, std::map<uint64_t, Interval>> units;  // instrument -> first -> interval
  std::map<std::string, uint64_t> issued;
  std::map<std::pair<std::string, int>, GenMonth> genmonths;
  std::map<std::string, std::vector<std::pair<int, int>>> periods;              // project -> issued
  std::map<std::pair<std::string, uint64_t>, CreditIssuance> credit_issuances;  // (inst, first)
  std::map<std::pair<std::string, int64_t>, uint64_t> claimed;                  // (park, year)
  std::map<std::tuple<std::string, int64_t, std::string>, uint64_t> retired;  // (park, year, inst)
};

const char* const kInstrumentNames[] = {"GEC", "CCER", "CIC"};
const std::vector<std::string> kHolders = {"park", "trader", "project_owner"};

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Roles that may sign each type (docs/registry-rules.md §Transaction types).
bool MaySign(const std::string& role, const std::string& type) {
  if (type == "account.rotate_key") return true;
  if (type == "unit.transfer" || type == "credit.retire") return Has(kHolders, role);
  if (type == "gec.claim") return role == "park";
  return role == "registry";
}

void Split(std::map<uint64_t, Interval>& iv, uint64_t at) {
  auto it = iv.upper_bound(at);
  if (it == iv.begin()) return;
  --it;
  if (it->first < at && at <= it->second.last) {
    Interval right = it->second;
    it->second.last = at - 1;
    iv[at] = right;
  }
}

uint64_t Size(uint64_t first, const Interval& u) { return u.last - first + 1; }

using EligibleFn = std::function<std::string(const Interval&)>;
using MutateFn = std::function<void(uint64_t first, Interval&)>;

std::string Spendable(const Model& m, const std::string& inst, const Interval& u,
                      const std::string& holder, int now) {
  if (u.status == "claimed" || u.status == "retired" || u.status == "cancelled") return "unit.used";
  if (u.status == "expired") return "gec.expired";
  if (u.holder != holder) return "holdings.not_held";
  if (u.status == "frozen") return "unit.frozen";
  if (inst == "GEC" && u.vfrom < now - m.validity + 1) return "gec.expired";
  return "";
}

std::string TakeRange(Model& m, const std::string& inst, uint64_t a, uint64_t b,
                      const EligibleFn& eligible, const MutateFn& mutate) {
  auto& iv = m.units[inst];
  std::string reason;
  auto it = iv.upper_bound(a);
  if (it != iv.begin()) --it;
  for (; it != iv.end() && it->first <= b; ++it) {
    if (it->second.last < a) continue;
    std::string r = eligible(it->second);
    if (!r.empty() && reason.empty()) reason = r;
  }
  if (reason.empty() && b > m.issued[inst]) reason = "serial.unknown";
  if (!reason.empty()) return reason;
  Split(iv, a);
  Split(iv, b + 1);
  for (auto j = iv.find(a); j != iv.end() && j->first <= b; ++j) mutate(j->first, j->second);
  return "";
}

std::string TakeQuantity(Model& m, const std::string& inst, const std::string& holder, uint64_t q,
                         int now, const MutateFn& mutate) {
  auto& iv = m.units[inst];
  std::vector<uint64_t> firsts;
  uint64_t have = 0;
  for (auto& [f, u] : iv) {
    if (u.holder != holder || u.status != "active") continue;
    if (inst == "GEC" && u.vfrom < now - m.validity + 1) continue;
    firsts.push_back(f);
    have += Size(f, u);
  }
  if (have < q) return "holdings.insufficient";
  std::sort(firsts.begin(), firsts.end(), [&](uint64_t x, uint64_t y) {
    return std::tie(iv[x].vfrom, iv[x].vto, x) < std::tie(iv[y].vfrom, iv[y].vto, y);
  });
  uint64_t left = q;
  for (uint64_t f : firsts) {
    uint64_t n = std::min(left, Size(f, iv[f]));
    if (n < Size(f, iv[f])) Split(iv, f + n);
    mutate(f, iv[f]);
    left -= n;
    if (left == 0) break;
  }
  return "";
}

// Quantity or range from an op; "" when it reads; else the reason.
std::string Units(const nlohmann::json& op, bool* by_range, uint64_t* q, uint64_t* a, uint64_t* b) {
  *by_range = op.contains("first");
  if (*by_range) {
    *a = op["first"].get<uint64_t>();
    *b = op["last"].get<uint64_t>();
    return "";
  }
  if (op["quantity"].get<int64_t>() <= 0) return "quantity.range";
  *q = op["quantity"].get<uint64_t>();
  return "";
}

std::string Take(Model& m, const std::string& inst, const std::string& holder,
                 const nlohmann::json& op, int now, const MutateFn& mutate) {
  bool by_range;
  uint64_t q = 0, a = 0, b = 0;
  if (auto r = Units(op, &by_range, &q, &a, &b); !r.empty()) return r;
  if (!by_range) return TakeQuantity(m, inst, holder, q, now, mutate);
  return TakeRange(
      m, inst, a, b, [&](const Interval& u) { return Spendable(m, inst, u, holder, now); }, mutate);
}

std::string IssueGecOp(Model& m, const nlohmann::json& op, int now) {
  const std::string gen = op["generator"];
  const int month = ParseMonthIndex(op["month"]);
  if (op["quantity"].get<int64_t>() <= 0) return "quantity.range";
  const uint64_t q = op["quantity"];
  if (!m.gens.count(gen)) return "generator.unknown";
  if (month >= now) return "issuance.future_month";
  GenMonth& gm = m.genmonths[{gen, month}];
  if (!gm.ccer.empty()) return "double_counting.gec_ccer";
  const uint64_t cap = m.gens[gen].kw * uint64_t(DaysIn(month) * 24) / 1000;
  if (gm.gec + q > cap) return "issuance.over_capacity";
  gm.gec += q;
  const std::string owner = m.gens[gen].owner;
  m.units["GEC"][m.issued["GEC"] + 1] =
      Interval{m.issued["GEC"] + q, owner, "active", month, month, gen, owner};
  m.issued["GEC"] += q;
  return "";
}

std::string IssueCreditOp(Model& m, const nlohmann::json& op, int now) {
  const std::string p = op["project"], v = op["vintage"];
  if (op["quantity"].get<int64_t>() <= 0) return "quantity.range";
  const uint64_t q = op["quantity"];
  if (!m.projects.count(p)) return "project.unknown";
  int from, to;
  if (v.size() == 4) {
    from = std::stoi(v) * 12;
    to = from + 11;
  } else {
    from = ParseMonthIndex(v.substr(0, 7));
    to = ParseMonthIndex(v.substr(8));
  }
  if (to >= now) return "issuance.future_month";
  const Model::Project& proj = m.projects[p];
  if (!proj.gen.empty()) {
    // At most 1 t per MWh of capacity x hours over the period.
    uint64_t mwh = 0;
    for (int mo = from; mo <= to; ++mo)
      mwh += m.gens[proj.gen].kw * uint64_t(DaysIn(mo) * 24) / 1000;
    if (q > mwh) return "issuance.over_generation";
    for (int mo = from; mo <= to; ++mo) {
      const GenMonth& gm = m.genmonths[{proj.gen, mo}];
      if ((!gm.ccer.empty() && gm.ccer != p) || gm.gec > gm.frozen) {
        return "double_counting.gec_ccer";
      }
    }
  }
  // A project's issuance periods never overlap.
  for (auto [f, t] : m.periods[p]) {
    if (from <= t && f <= to) return "issuance.period_overlap";
  }
  m.periods[p].push_back({from, to});
  if (!proj.gen.empty()) {
    for (int mo = from; mo <= to; ++mo) {
      GenMonth& gm = m.genmonths[{proj.gen, mo}];
      for (auto& [f, u] : m.units["GEC"]) {
        if (u.gen == proj.gen && u.vfrom == mo && u.status == "frozen") u.status = "cancelled";
      }
      gm.gec -= gm.frozen;
      gm.frozen = 0;
      gm.ccer = p;
    }
  }
  const std::string& inst = proj.instrument;
  const uint64_t first = m.issued[inst] + 1;
  m.units[inst][first] =
      Interval{m.issued[inst] + q, proj.owner, "active", from, to, "", proj.owner, first};
  m.credit_issuances[{inst, first}] = CreditIssuance{p, from, to, q, 0};
  m.issued[inst] += q;
  return "";
}

// Runs body.ops one by one on a working copy: all or nothing, the first failure's reason.
std::string Batch(Model& m, const nlohmann::json& ops,
                  const std::function<std::string(Model&, const nlohmann::json&, size_t)>& fn) {
  Model work = m;
  std::string first;
  for (size_t i = 0; i < ops.size(); ++i) {
    Model attempt = work;
    std::string r = fn(attempt, ops[i], i);
    if (r.empty()) {
      work = std::move(attempt);
    } else if (first.empty()) {
      first = r;
    }
  }
  if (first.empty()) m = std::move(work);
  return first;
}

// The model's outcome of one transaction: "" (accepted, applied to `m`) or the refusal reason.
std::string Predict(Model& m, const std::string& signer, const std::string& type,
                    const nlohmann::json& body, int now) {
  if (!MaySign(m.role[signer], type)) return "tx.role";
  if (type == "account.rotate_key") return "";
  if (type == "gec.issue") {
    return Batch(m, body["ops"], [&](Model& w, const nlohmann::json& op, size_t) {
      return IssueGecOp(w, op, now);
    });
  }
  if (type == "credit.issue") {
    return Batch(m, body["ops"], [&](Model& w, const nlohmann::json& op, size_t) {
      return IssueCreditOp(w, op, now);
    });
  }
  if (type == "unit.transfer") {
    const std::string to = body["to"];
    if (to == signer) return "transfer.self";
    if (!m.role.count(to)) return "account.unknown";
    if (!Has(kHolders, m.role[to])) return "account.role";
    return Batch(m, body["ops"], [&](Model& w, const nlohmann::json& op, size_t) -> std::string {
      const std::string inst = op["instrument"];
      if (inst != "GEC" && inst != "CCER" && inst != "CIC") return "instrument.invalid";
      return Take(w, inst, signer, op, now, [&](uint64_t, Interval& u) { u.holder = to; });
    });
  }
  if (type == "gec.claim") {
    return Batch(m, body["ops"], [&](Model& w, const nlohmann::json& op, size_t) {
      const int64_t year = op["reporting_year"];
      return Take(w, "GEC", signer, op, now, [&](uint64_t f, Interval& u) {
        u.status = "claimed";
        w.claimed[{signer, year}] += Size(f, u);
      });
    });
  }
  if (type == "credit.retire") {
    return Batch(m, body["ops"], [&](Model& w, const nlohmann::json& op, size_t) -> std::string {
      const std::string inst = op["instrument"];
      if (inst == "GEC") return "instrument.not_retirable";
      bool by_range;
      uint64_t q, a, b;
      if (auto r = Units(op, &by_range, &q, &a, &b); !r.empty()) return r;
      const std::string purpose = op["purpose"];
      if (purpose != "carbon_neutrality" && purpose != "compliance" && purpose != "voluntary") {
        return "purpose.invalid";
      }
      const std::string park = op["beneficiary"];
      if (!w.role.count(park)) return "account.unknown";
      if (w.role[park] != "park") return "account.role";
      const int64_t year = op["reporting_year"];
      return Take(w, inst, signer, op, now, [&](uint64_t f, Interval& u) {
        u.status = "retired";
        w.retired[{park, year, inst}] += Size(f, u);
      });
    });
  }
  if (type == "gec.expire") {
    std::vector<uint64_t> due;
    auto& iv = m.units["GEC"];
    for (auto& [f, u] : iv) {
      if (u.status == "active" && u.vfrom < now - m.validity + 1) due.push_back(f);
    }
    if (due.empty()) return "expire.none";
    std::sort(due.begin(), due.end(), [&](uint64_t x, uint64_t y) {
      return std::tie(iv[x].vfrom, iv[x].gen, x) < std::tie(iv[y].vfrom, iv[y].gen, y);
    });
    due.resize(std::min<size_t>(due.size(), body["limit"].get<size_t>()));
    for (uint64_t f : due) iv[f].status = "expired";
    return "";
  }
  if (type == "gec.freeze") {
    const std::string p = body["project"];
    if (!m.projects.count(p)) return "project.unknown";
    const Model::Project& proj = m.projects[p];
    if (proj.instrument != "CCER" || proj.gen.empty()) return "project.not_linked";
    const std::string owner = m.gens[proj.gen].owner;
    for (int mo = ParseMonthIndex(body["from"]); mo <= ParseMonthIndex(body["to"]); ++mo) {
      GenMonth& gm = m.genmonths[{proj.gen, mo}];
      gm.ccer = p;
      for (auto& [f, u] : m.units["GEC"]) {
        if (u.gen != proj.gen || u.vfrom != mo || u.status != "active" || u.holder != owner ||
            u.vfrom < now - m.validity + 1) {
          continue;
        }
        u.status = "frozen";
        gm.frozen += Size(f, u);
      }
    }
    return "";
  }
  if (type == "unit.cancel") {
    return Batch(m, body["ops"], [&](Model& w, const nlohmann::json& op, size_t) {
      const std::string inst = op["instrument"];
      auto eligible = [&](const Interval& u) -> std::string {
        if (u.status != "active" && u.status != "frozen") return "unit.used";
        if (u.holder != u.recipient) return "cancel.not_original";
        return "";
      };
      return TakeRange(w, inst, op["first"], op["last"], eligible, [&](uint64_t f, Interval& u) {
        if (inst == "GEC") {
          GenMonth& gm = w.genmonths[{u.gen, u.vfrom}];
          gm.gec -= Size(f, u);
          if (u.status == "frozen") gm.frozen -= Size(f, u);
        } else {
          // The last unit of a credit issuance cancelled releases its period and months.
          CreditIssuance& ci = w.credit_issuances[{inst, u.issuance}];
          ci.cancelled += Size(f, u);
          if (ci.cancelled == ci.quantity) {
            auto& ps = w.periods[ci.project];
            ps.erase(std::remove(ps.begin(), ps.end(), std::make_pair(ci.from, ci.to)), ps.end());
            const std::string& gen = w.projects[ci.project].gen;
            for (int mo = ci.from; !gen.empty() && mo <= ci.to; ++mo) {
              w.genmonths[{gen, mo}].ccer.clear();
            }
          }
        }
        u.status = "cancelled";
      });
    });
  }
  return "model.unknown_type";
}

// ---------------------------------------------------------------- drivers

class Driver {
 public:
  virtual ~Driver() = default;
  virtual Status Send(const std::string& signer, const std::string& type, nlohmann::json body) = 0;
  virtual Status RotateKey(const std::string& account) = 0;
  virtual void CreateAccount(const std::string& id, const std::string& role,
                             const nlohmann::json& extra) {
    nlohmann::json body = {
        {"account", id},
        {"role", role},
        {"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}};
    body.update(extra);
    REQUIRE(Send("operator", "account.create", body).ok());
  }
  virtual const StateReader& state() = 0;
  virtual uint64_t now_ms() = 0;
  virtual bool moves_time() const = 0;
  virtual void Advance(uint64_t) {}
};

// The replay path: ApplyTransaction over a MemoryState, as verify-ledger runs it, with a clock
// the test controls.
class MemoryDriver : public Driver {
 public:
  MemoryDriver(uint64_t start_ms, int validity) : now_(start_ms) {
    GenesisOptions g;
    g.gec_validity_months = uint64_t(validity);
    g.not_after_ms = now_ + 1000;
    SigningKey op = SigningKey::Generate();
    auto genesis = MakeGenesis(g, op, SigningKey::Generate().public_key());
    REQUIRE(genesis.ok());
    origin_ = g.origin;
    StateTxn txn(state_);
    TxContext ctx{genesis->tx, 0, now_};
    REQUIRE(ApplyTransaction(LedgerTxTypes(), ctx, op.public_key(), txn).ok());
    state_.Apply(txn);
    nonce_["operator"] = 1;
    seq_ = 1;
  }

  Status Send(const std::string& signer, const std::string& type, nlohmann::json body) override {
    nlohmann::json o = {{"type", type},
                        {"ledger", origin_},
                        {"signer", signer},
                        {"nonce", ++nonce_[signer]},
                        {"not_after", now_ + 1000},
                        {"body", std::move(body)}};
    auto tx = TransactionFromJson(o);
    if (!tx.ok()) return tx.status();
    auto key = LedgerTxTypes().signers().find(tx->signer, state_);
    if (!key.ok()) return key.status();
    StateTxn txn(state_);
    TxContext ctx{*tx, seq_, now_};
    Status s = ApplyTransaction(LedgerTxTypes(), ctx, key->key, txn).status();
    if (s.ok()) {
      state_.Apply(txn);
      ++seq_;
    }
    return s;
  }
  Status RotateKey(const std::string& account) override {
    return Send(account, "account.rotate_key",
                {{"public_key", Base64Encode(AsBytes(SigningKey::Generate().public_key()))}});
  }
  const StateReader& state() override { return state_; }
  uint64_t now_ms() override { return now_; }
  bool moves_time() const override { return true; }
  void Advance(uint64_t ms) override { now_ += ms; }

 private:
  MemoryState state_;
  std::string origin_;
  uint64_t seq_ = 0, now_;
  std::map<std::string, uint64_t> nonce_;
};

// A real ledger on disk: signatures, group commit, LevelDB, and VerifyLedger at the end.
class LedgerDriver : public Driver {
 public:
  Status Send(const std::string& signer, const std::string& type, nlohmann::json body) override {
    return fx_.Send(signer, type, std::move(body)).status();
  }
  Status RotateKey(const std::string& account) override {
    SigningKey k = SigningKey::Generate();
    Status s = Send(account, "account.rotate_key",
                    {{"public_key", Base64Encode(AsBytes(k.public_key()))}});
    if (s.ok()) fx_.set_key(account, k);
    return s;
  }
  void CreateAccount(const std::string& id, const std::string& role,
                     const nlohmann::json& extra) override {
    fx_.CreateAccount(id, role, extra);
  }
  const StateReader& state() override { return fx_.ledger().state(); }
  uint64_t now_ms() override { return WallMs(); }
  bool moves_time() const override { return false; }
  LedgerFixture& fixture() { return fx_; }

 private:
  LedgerFixture fx_;
};

// ---------------------------------------------------------------- the world and the checks

void Setup(Driver& d, Model& m) {
  m.role["operator"] = "registry";
  auto account = [&](const std::string& id, const std::string& role) {
    nlohmann::json extra = nlohmann::json::object();
    if (role == "park") extra = {{"name", id}, {"region", "340100"}};
    d.CreateAccount(id, role, extra);
    m.role[id] = role;
  };
  account("po1", "project_owner");
  account("po2", "project_owner");
  account("park1", "park");
  account("park2", "park");
  account("tr1", "trader");
  account("cert", "certifier");
  auto gen = [&](const std::string& id, const std::string& owner, uint64_t kw) {
    REQUIRE(d.Send("operator", "generator.register",
                   {{"generator", id},
                    {"owner", owner},
                    {"technology", "solar"},
                    {"capacity_kw", kw},
                    {"region", "340000"}})
                .ok());
    m.gens[id] = {owner, kw};
  };
  gen("g0", "po1", 10);  // 6..7 MWh a month: capacity is reached often
  gen("g1", "po2", 1000);
  gen("g2", "park1", 10);
  auto project = [&](const std::string& id, const std::string& inst, const std::string& owner,
                     const std::string& g) {
    nlohmann::json body = {{"project", id},
                           {"instrument", inst},
                           {"owner", owner},
                           {"methodology", "m-1"},
                           {"region", "340000"}};
    if (inst == "CCER") body["sector"] = "energy";
    if (!g.empty()) body["generator"] = g;
    REQUIRE(d.Send("operator", "project.register", body).ok());
    m.projects[id] = {inst, owner, g};
  };
  project("ccer-l", "CCER", "po1", "g0");
  project("ccer-f", "CCER", "po2", "");
  project("cic", "CIC", "po1", "");
}

std::string Fmt(const std::string& what, uint64_t got, uint64_t want) {
  return what + ": ledger " + std::to_string(got) + ", model " + std::to_string(want) + "\n";
}

// Every check of the property, against the model. Returns what differs ("" when nothing).
std::string Compare(const StateReader& state, const Model& m, int now, uint64_t now_ms) {
  std::string diff;
  auto totals = QueryTotals(state);
  if (!totals.ok()) return "QueryTotals: " + totals.status().ToString();
  for (const InstrumentTotals& t : *totals) {
    if (t.issued != t.held + t.claimed + t.retired + t.expired + t.cancelled) {
      diff += t.instrument + ": issued != held + claimed + retired + expired + cancelled\n";
    }
    std::map<std::string, uint64_t> want;
    auto it = m.units.find(t.instrument);
    if (it != m.units.end()) {
      for (const auto& [f, u] : it->second) {
        uint64_t n = Size(f, u);
        want[u.status] += n;
        if (u.status == "active" || u.status == "frozen") want["held"] += n;
      }
    }
    auto issued = m.issued.find(t.instrument);
    uint64_t model_issued = issued == m.issued.end() ? 0 : issued->second;
    if (t.issued != model_issued) diff += Fmt(t.instrument + " issued", t.issued, model_issued);
    if (t.next_serial != model_issued + 1) diff += t.instrument + ": next_serial\n";
    using Field = std::pair<const char*, uint64_t>;
    for (auto [name, got] : {Field{"held", t.held}, Field{"frozen", t.frozen},
                             Field{"claimed", t.claimed}, Field{"retired", t.retired},
                             Field{"expired", t.expired}, Field{"cancelled", t.cancelled}}) {
      if (got != want[name]) diff += Fmt(t.instrument + " " + name, got, want[name]);
    }
  }
  // Blocks: the ledger's current blocks are exactly the model's intervals, which partition
  // [1, issued] — so no serial is in two places and none is missing.
  size_t movable = 0, movable_gec = 0;
  for (const char* inst : kInstrumentNames) {
    std::vector<registry::Block> blocks;
    Status s =
        state.Scan(registry::BlockPrefix(inst), [&](const std::string&, const std::string& v) {
          auto j = ParseStrictJson(v, JsonLimits{size_t(1) << 20, 64});
          auto b = j.ok() ? registry::BlockFromJson(*j) : j.status();
          if (b.ok()) blocks.push_back(*b);
          return b.ok();
        });
    if (!s.ok()) return "scan blocks: " + s.ToString();
    auto it = m.units.find(inst);
    const size_t want = it == m.units.end() ? 0 : it->second.size();
    if (blocks.size() != want) {
      diff += Fmt(std::string(inst) + " blocks", blocks.size(), want);
      continue;
    }
    uint64_t expect_first = 1;
    size_t i = 0;
    for (const auto& [f, u] : want ? it->second : std::map<uint64_t, Interval>{}) {
      const registry::Block& b = blocks[i++];
      if (b.first != expect_first) diff += std::string(inst) + ": gap or overlap before a block\n";
      expect_first = b.last + 1;
      if (b.first != f || b.last != u.last || b.holder != u.holder || b.status != u.status) {
        diff += std::string(inst) + " block " + FormatSerials(inst, b.first, b.last) + " " +
                b.holder + " " + b.status + " vs model " + FormatSerials(inst, f, u.last) + " " +
                u.holder + " " + u.status + "\n";
      }
      if (u.status == "active" || u.status == "frozen") {
        ++movable;
        if (std::string(inst) == "GEC") ++movable_gec;
      }
    }
  }
  // Each movable block indexed exactly once by holder, and each movable GEC by month.
  auto count = [&](const std::string& prefix) {
    size_t n = 0;
    (void)state.Scan(prefix, [&](const std::string&, const std::string&) { return ++n > 0; });
    return n;
  };
  if (count("rh/") + count("rz/") != movable) diff += "holdings index entries != movable blocks\n";
  if (count("re/") != movable_gec) diff += "validity index entries != movable GEC blocks\n";
  // Holdings per account and instrument.
  for (const auto& [account, role] : m.role) {
    HoldingsOptions o;
    o.include_blocks = false;
    o.as_of_ms = now_ms;
    auto h = QueryHoldings(state, account, o);
    if (!h.ok()) return "QueryHoldings: " + h.status().ToString();
    for (const char* inst : kInstrumentNames) {
      uint64_t held = 0, frozen = 0, past = 0;
      auto it = m.units.find(inst);
      if (it != m.units.end()) {
        for (const auto& [f, u] : it->second) {
          if (u.holder != account || (u.status != "active" && u.status != "frozen")) continue;
          held += Size(f, u);
          if (u.status == "frozen") frozen += Size(f, u);
          if (u.status == "active" && std::string(inst) == "GEC" &&
              u.vfrom < now - m.validity + 1) {
            past += Size(f, u);
          }
        }
      }
      InstrumentHolding got;
      for (const auto& x : *h) {
        if (x.instrument == inst) got = x;
      }
      if (got.held != held) diff += Fmt(account + " " + inst + " held", got.held, held);
      if (got.frozen != frozen) diff += Fmt(account + " " + inst + " frozen", got.frozen, frozen);
      if (got.past_validity != past) {
        diff += Fmt(account + " " + inst + " past validity", got.past_validity, past);
      }
    }
  }
  return diff;
}

// End-of-sequence checks: park-year reports and serial traces.
std::string CompareReports(const StateReader& state, const Model& m, std::mt19937& rng) {
  std::string diff;
  std::set<int64_t> years;
  for (const auto& [k, v] : m.claimed) years.insert(k.second);
  for (const auto& [k, v] : m.retired) years.insert(std::get<1>(k));
  for (const std::string park : {"park1", "park2"}) {
    for (int64_t y : years) {
      auto py = QueryParkYear(state, park, y);
      if (!py.ok()) return "QueryParkYear: " + py.status().ToString();
      auto c = m.claimed.find({park, y});
      uint64_t want = c == m.claimed.end() ? 0 : c->second;
      if (py->claimed_mwh != want) diff += Fmt(park + " claimed", py->claimed_mwh, want);
      using Field = std::pair<const char*, uint64_t>;
      for (auto [inst, got] : {Field{"CCER", py->retired_ccer}, Field{"CIC", py->retired_cic}}) {
        auto r = m.retired.find({park, y, inst});
        uint64_t w = r == m.retired.end() ? 0 : r->second;
        if (got != w) diff += Fmt(park + " retired " + inst, got, w);
      }
    }
  }
  for (const char* inst : kInstrumentNames) {
    auto it = m.issued.find(inst);
    if (it == m.issued.end() || it->second == 0) continue;
    for (int k = 0; k < 5; ++k) {
      uint64_t serial = std::uniform_int_distribution<uint64_t>(1, it->second)(rng);
      auto tr = TraceSerial(state, inst, serial);
      if (!tr.ok()) return "TraceSerial: " + tr.status().ToString();
      const auto& iv = m.units.at(inst);
      auto u = std::prev(iv.upper_bound(serial));
      const BlockView& last = tr->steps.back();
      if (tr->steps.front().event != "issue") diff += "trace does not start with its issuance\n";
      if (last.status != u->second.status || last.holder != u->second.holder) {
        diff += "trace does not end in the current block\n";
      }
      for (size_t i = 0; i < tr->steps.size(); ++i) {
        const BlockView& s = tr->steps[i];
        if (serial < s.first || serial > s.last) diff += "a trace step does not hold the serial\n";
        if (i > 0 && (s.seq < tr->steps[i - 1].seq || s.parent != tr->steps[i - 1].id)) {
          diff += "trace steps are not a chain of parents in entry order\n";
        }
      }
    }
  }
  return diff;
}

// ---------------------------------------------------------------- random operations

class Generator {
 public:
  Generator(uint32_t seed, bool stable_time, int validity)
      : rng_(seed), stable_(stable_time), validity_(validity) {}

  std::mt19937& rng() { return rng_; }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  uint64_t U(uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[size_t(Int(0, int(v.size()) - 1))];
  }

  // A month offset back from now. With a real clock, offsets whose outcome would change if the
  // month turned during the run are avoided (the issuance and validity edges).
  int MonthsBack() {
    for (;;) {
      int k = Int(-1, 36);
      if (!stable_ || (k != 0 && k != validity_ - 1 && k != validity_)) return k;
    }
  }

  struct Tx {
    std::string signer, type;
    nlohmann::json body;
  };

  Tx Next(const Model& m, int now, int step) {
    now_ = now;
    int roll = step < 4 ? Int(1, 24) : Int(1, 100);  // a sequence starts by issuing
    if (roll <= 14) return IssueGec(m, now);
    if (roll <= 24) return IssueCredit(now);
    if (roll <= 46) return Transfer(m);
    if (roll <= 60) return Claim(m);
    if (roll <= 72) return Retire(m);
    if (roll <= 78) return {"operator", "gec.expire", {{"limit", Int(1, 4)}}};
    if (roll <= 85) return Cancel(m);
    if (roll <= 91) return Freeze(now);
    if (roll <= 94)
      return {Pick(std::vector<std::string>{"po1", "park1", "tr1"}), "account.rotate_key", {}};
    return WrongSigner(m);
  }

 private:
  Tx IssueGec(const Model&, int now) {
    nlohmann::json ops = nlohmann::json::array();
    for (int i = Int(1, 3); i > 0; --i) {
      std::string gen = Chance(3) ? "g9" : Pick(std::vector<std::string>{"g0", "g1", "g2"});
      int64_t q = Chance(3) ? 0 : gen == "g1" ? Int(1, 400) : Int(1, 5);
      ops.push_back(
          {{"generator", gen}, {"month", MonthText(now - MonthsBack())}, {"quantity", q}});
    }
    return {"operator", "gec.issue", {{"ops", ops}}};
  }

  std::string Vintage(int now) {
    if (Chance(50)) {
      int back_years = stable_ ? Int(1, 3) : Int(0, 3);
      return std::to_string(now / 12 - back_years);
    }
    int to = now - Int(stable_ ? 2 : 0, 30);
    int from = to - Int(0, 2);
    return MonthText(from) + "/" + MonthText(to);
  }

  Tx IssueCredit(int now) {
    nlohmann::json ops = nlohmann::json::array();
    for (int i = Int(1, 2); i > 0; --i) {
      std::string p = Chance(3) ? "p9" : Pick(std::vector<std::string>{"ccer-l", "ccer-f", "cic"});
      ops.push_back(
          {{"project", p}, {"vintage", Vintage(now)}, {"quantity", Chance(3) ? 0 : Int(1, 50)}});
    }
    return {"operator", "credit.issue", {{"ops", ops}}};
  }

  // Units of `inst` named either by quantity (around what `holder` holds) or by a sub-range of
  // some block (usually one `holder` holds, sometimes anyone's, sometimes never issued).
  nlohmann::json UnitsOp(const Model& m, const std::string& inst, const std::string& holder) {
    auto it = m.units.find(inst);
    std::vector<uint64_t> own, any;
    uint64_t held = 0;  // spendable now
    if (it != m.units.end()) {
      for (const auto& [f, u] : it->second) {
        any.push_back(f);
        if (u.holder != holder) continue;
        own.push_back(f);
        if (u.status == "active" && (inst != "GEC" || u.vfrom >= now_ - m.validity + 1)) {
          held += Size(f, u);
        }
      }
    }
    if (Chance(45) || any.empty()) {
      int64_t q = Chance(4) ? 0 : int64_t(U(1, std::max<uint64_t>(held, 1) + (Chance(10) ? 5 : 0)));
      return {{"instrument", inst}, {"quantity", q}};
    }
    if (Chance(4)) {
      uint64_t top = it->second.rbegin()->second.last;
      const uint64_t back = U(0, 2);
      return {
          {"instrument", inst}, {"first", top > back ? top - back : 1}, {"last", top + U(1, 3)}};
    }
    uint64_t f = (own.empty() || Chance(25)) ? Pick(any) : Pick(own);
    const Interval& u = it->second.at(f);
    uint64_t a = U(f, u.last), b = U(a, u.last);
    if (Chance(15)) b = std::min<uint64_t>(b + U(1, 20), m.issued.at(inst));  // spans blocks
    return {{"instrument", inst}, {"first", a}, {"last", b}};
  }

  std::string Instrument() { return Pick(std::vector<std::string>{"GEC", "GEC", "CCER", "CIC"}); }

  // Usually an account (among `candidates`) that holds active units of an instrument among
  // `instruments`, with that instrument; otherwise any of them.
  std::pair<std::string, std::string> HolderOf(const Model& m,
                                               const std::vector<std::string>& candidates,
                                               const std::vector<std::string>& instruments) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const std::string& inst : instruments) {
      auto it = m.units.find(inst);
      if (it == m.units.end()) continue;
      for (const auto& [f, u] : it->second) {
        if (u.status == "active" && Has(candidates, u.holder) &&
            (inst != "GEC" || u.vfrom >= now_ - m.validity + 1)) {
          pairs.emplace_back(u.holder, inst);
        }
      }
    }
    if (pairs.empty() || Chance(15)) return {Pick(candidates), Pick(instruments)};
    return Pick(pairs);
  }

  int OpCount(int most) { return Chance(70) ? 1 : Int(2, most); }

  Tx Transfer(const Model& m) {
    const std::vector<std::string> accounts = {"po1", "po2", "park1", "park2", "tr1"};
    auto [signer, inst] = HolderOf(m, accounts, {"GEC", "CCER", "CIC"});
    std::string to = Chance(40) ? Pick(std::vector<std::string>{"park1", "park2"}) : Pick(accounts);
    while (to == signer && !Chance(10)) to = Pick(accounts);
    if (Chance(3)) to = "ghost";
    if (Chance(3)) to = "cert";
    nlohmann::json ops = nlohmann::json::array();
    for (int i = OpCount(3); i > 0; --i) {
      auto op = UnitsOp(m, Chance(80) ? inst : Instrument(), signer);
      if (Chance(2)) op["instrument"] = "VER";
      ops.push_back(op);
    }
    return {signer, "unit.transfer", {{"to", to}, {"ops", ops}}};
  }

  Tx Claim(const Model& m) {
    std::string signer = HolderOf(m, {"park1", "park2"}, {"GEC"}).first;
    nlohmann::json ops = nlohmann::json::array();
    for (int i = OpCount(2); i > 0; --i) {
      auto op = UnitsOp(m, "GEC", signer);
      op.erase("instrument");
      op["reporting_year"] = 2020 + Int(0, 2);
      ops.push_back(op);
    }
    return {signer, "gec.claim", {{"ops", ops}}};
  }

  Tx Retire(const Model& m) {
    auto [signer, inst] = HolderOf(m, {"po1", "po2", "park1", "park2", "tr1"}, {"CCER", "CIC"});
    nlohmann::json ops = nlohmann::json::array();
    for (int i = OpCount(2); i > 0; --i) {
      auto op = UnitsOp(m, Chance(5) ? "GEC" : inst, signer);
      op["beneficiary"] = Chance(5) ? "tr1" : Pick(std::vector<std::string>{"park1", "park2"});
      op["reporting_year"] = 2020 + Int(0, 2);
      op["purpose"] =
          Chance(4)
              ? "offsetting"
              : Pick(std::vector<std::string>{"carbon_neutrality", "compliance", "voluntary"});
      ops.push_back(op);
    }
    return {signer, "credit.retire", {{"ops", ops}}};
  }

  Tx Cancel(const Model& m) {
    std::vector<std::string> issued;
    for (const auto& [inst, n] : m.issued) {
      if (n > 0) issued.push_back(inst);
    }
    std::string inst = issued.empty() || Chance(5) ? Instrument() : Pick(issued);
    auto op = UnitsOp(m, inst, Pick(std::vector<std::string>{"po1", "po2", "park1"}));
    if (!op.contains("first")) {
      op.erase("quantity");
      op["first"] = 1;
      op["last"] = U(1, 3);
    }
    return {"operator", "unit.cancel", {{"reason", "issued in error"}, {"ops", {op}}}};
  }

  Tx Freeze(int now) {
    int to = now - Int(2, stable_ ? validity_ - 2 : 30);
    int from = to - Int(0, 3);
    std::string p = Chance(10) ? "ccer-f" : "ccer-l";
    return {"operator",
            "gec.freeze",
            {{"project", p}, {"from", MonthText(from)}, {"to", MonthText(to)}, {"reason", "CCER"}}};
  }

  Tx WrongSigner(const Model& m) {
    switch (Int(0, 2)) {
      case 0:
        return {"cert", "unit.transfer", {{"to", "tr1"}, {"ops", {UnitsOp(m, "GEC", "cert")}}}};
      case 1: {
        auto op = UnitsOp(m, "GEC", "po1");
        op.erase("instrument");
        op["reporting_year"] = 2021;
        return {"po1", "gec.claim", {{"ops", {op}}}};
      }
      default:
        return {"tr1", "gec.expire", {{"limit", 1}}};
    }
  }

  std::mt19937 rng_;
  bool stable_;
  int validity_;
  int now_ = 0;
};

std::string Describe(const Generator::Tx& tx) {
  return tx.signer + " " + tx.type + " " + tx.body.dump();
}

struct Counts {
  std::map<std::string, int> outcomes;  // "type: reason|ok"
};

// One random sequence. Returns "" or the first difference with the log that led to it.
std::string RunSequence(Driver& d, uint32_t seed, int validity, Counts* counts) {
  Model m;
  m.validity = validity;
  Setup(d, m);
  Generator gen(seed, !d.moves_time(), validity);
  std::string log;
  for (int step = 0; step < kSteps; ++step) {
    if (d.moves_time() && gen.Chance(15)) {
      uint64_t days = gen.U(1, 75);
      d.Advance(days * 86400000);
      log += "advance " + std::to_string(days) + " days\n";
    }
    const uint64_t now_ms = d.now_ms();
    const int now = MonthOfMs(now_ms);
    Generator::Tx tx = gen.Next(m, now, step);
    log += Describe(tx) + "\n";
    std::string want;
    Status got;
    if (tx.type == "account.rotate_key") {
      want = "";
      got = d.RotateKey(tx.signer);
    } else {
      want = Predict(m, tx.signer, tx.type, tx.body, now);
      got = d.Send(tx.signer, tx.type, tx.body);
    }
    const std::string got_reason = got.ok() ? "" : got.reason();
    counts->outcomes[tx.type + ": " + (got.ok() ? "ok" : got_reason)]++;
    if (std::getenv("REGISTRY_PROPERTY_TRACE") &&
        got_reason == std::getenv("REGISTRY_PROPERTY_TRACE")) {
      std::cerr << Describe(tx) << " -> " << got.message() << "\n";
    }
    if (got_reason != want) {
      return log + "-> ledger: " + (got.ok() ? "ok" : got.ToString()) +
             "\n-> model:  " + (want.empty() ? "ok" : want) + "\n";
    }
    std::string diff = Compare(d.state(), m, now, now_ms);
    if (!diff.empty()) return log + "-> state differs after this step:\n" + diff;
  }
  std::string diff = CompareReports(d.state(), m, gen.rng());
  if (!diff.empty()) return log + "-> reports differ at the end:\n" + diff;
  return "";
}

void Summarise(const Counts& c) {
  int refused = 0, total = 0;
  for (const auto& [k, n] : c.outcomes) {
    total += n;
    if (k.find(": ok") == std::string::npos) refused += n;
  }
  if (std::getenv("REGISTRY_PROPERTY_VERBOSE")) {
    for (const auto& [k, n] : c.outcomes) std::cerr << "  " << k << " " << n << "\n";
  }
  WARN("registry property: " << total << " transactions, " << refused << " refused, "
                             << c.outcomes.size() << " distinct outcomes");
}

}  // namespace

TEST_CASE("registry property: random sequences on the replay path match the reference model",
          "[registry][property]") {
  Counts counts;
  // 2026-01-10 and onwards: the clock moves forward by days, across month and validity edges.
  const uint64_t start = 1768003200000ull;
  for (int s = 0; s < kMemorySequences; ++s) {
    const int validity = s % 3 == 0 ? 6 : 24;
    MemoryDriver d(start + uint64_t(s % 97) * 86400000ull * 7, validity);
    std::string failure = RunSequence(d, uint32_t(1000 + s), validity, &counts);
    if (!failure.empty())
      FAIL("seed " << (1000 + s) << ", validity " << validity << ":\n" << failure);
  }
  Summarise(counts);
  // Breadth: the sequences met every refusal the generator aims at, and every success.
  for (const char* outcome : {"unit.transfer: ok",
                              "unit.transfer: holdings.insufficient",
                              "unit.transfer: holdings.not_held",
                              "unit.transfer: unit.used",
                              "unit.transfer: gec.expired",
                              "unit.transfer: unit.frozen",
                              "unit.transfer: serial.unknown",
                              "unit.transfer: transfer.self",
                              "unit.transfer: account.unknown",
                              "unit.transfer: account.role",
                              "unit.transfer: quantity.range",
                              "unit.transfer: instrument.invalid",
                              "unit.transfer: tx.role",
                              "gec.claim: ok",
                              "gec.claim: unit.used",
                              "gec.claim: tx.role",
                              "credit.retire: ok",
                              "credit.retire: instrument.not_retirable",
                              "credit.retire: purpose.invalid",
                              "credit.retire: account.role",
                              "gec.issue: ok",
                              "gec.issue: issuance.over_capacity",
                              "gec.issue: issuance.future_month",
                              "gec.issue: double_counting.gec_ccer",
                              "gec.issue: generator.unknown",
                              "gec.issue: quantity.range",
                              "credit.issue: ok",
                              "credit.issue: double_counting.gec_ccer",
                              "credit.issue: project.unknown",
                              "credit.issue: issuance.future_month",
                              "credit.issue: issuance.period_overlap",
                              "credit.issue: issuance.over_generation",
                              "gec.expire: ok",
                              "gec.expire: expire.none",
                              "gec.expire: tx.role",
                              "gec.freeze: ok",
                              "gec.freeze: project.not_linked",
                              "unit.cancel: ok",
                              "unit.cancel: cancel.not_original",
                              "unit.cancel: unit.used",
                              "account.rotate_key: ok"}) {
    INFO(outcome);
    CHECK(counts.outcomes[outcome] > 0);
  }
}

TEST_CASE("registry property: random sequences on a real ledger match the model and verify",
          "[registry][property][verify]") {
  Counts counts;
  for (int s = 0; s < kLedgerSequences; ++s) {
    std::string failure, data_dir;
    {
      LedgerDriver d;
      failure = RunSequence(d, uint32_t(50000 + s), 24, &counts);
      if (failure.empty()) {
        d.fixture().Close();
        VerifyOptions o;
        o.data_dir = d.fixture().data_dir();
        auto r = VerifyLedger(o, LedgerTxTypes());
        if (!r.ok()) failure = "verify-ledger: " + r.status().ToString();
      }
    }
    if (!failure.empty()) FAIL("seed " << (50000 + s) << ":\n" << failure);
  }
  Summarise(counts);
  CHECK(counts.outcomes["unit.transfer: ok"] > 0);
  CHECK(counts.outcomes["gec.claim: ok"] > 0);
}
