// Each registry type's Validate alone (ledger/registry/internal/bodies.h): a transaction in, a
// typed body or the refusal out, with no ledger, no state and no clock. What a rule checks
// against state (accounts, generators, holdings, the acceptance month) is not here but in
// registry_rules_test.cc; what is here is every check that needs nothing but the body, and
// where a field problem is kept in the body because the rules report it after a state check.
#include <catch2/catch.hpp>
#include <string>

#include "crypto/encoding.h"
#include "ledger/registry/genesis.h"
#include "ledger/registry/internal/bodies.h"
#include "ledger/registry/transaction_types.h"

using namespace carbonledger;
using namespace carbonledger::registry;
using J = nlohmann::json;

namespace {

Transaction Tx(const std::string& type, J body, const std::string& signer = "operator") {
  Transaction tx;
  tx.type = type;
  tx.ledger = "carbonledger.local/ledger";
  tx.signer = signer;
  tx.nonce = 2;
  tx.body = std::move(body);
  return tx;
}

// The reason Validate refuses with, "" when it accepts.
template <typename Body>
std::string Refusal(const Result<Body>& r) {
  return r.ok() ? "" : r.status().reason();
}

// The reason of one decoded operation, "" when it decoded.
template <typename Op>
std::string OpRefusal(const Ops<Op>& ops, size_t i) {
  REQUIRE(i < ops.size());
  return ops[i].ok() ? "" : ops[i].status().reason();
}

// `base` with `field` set to `value` (or removed, for null).
J With(J base, const std::string& field, J value) {
  if (value.is_null()) {
    base.erase(field);
  } else {
    base[field] = std::move(value);
  }
  return base;
}

std::string NewKey() { return Base64Encode(AsBytes(SigningKey::Generate().public_key())); }

}  // namespace

TEST_CASE("registry validation: the registry's table runs these Validate functions",
          "[registry][validation]") {
  // One malformed body per type, through the table the log is given: the same reason.
  struct Case {
    std::string type;
    J body;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"generator.register", {{"generator", "Hydro 1"}}, "generator.id"},
      {"project.register", {{"project", "Bad Id"}}, "project.id"},
      {"gec.issue", {{"ops", J::array()}}, "batch.size"},
      {"credit.issue", {{"ops", 5}}, "field.missing"},
      {"gec.freeze", {{"project", "p"}, {"from", "2025-13"}}, "month.invalid"},
      {"gec.expire", {{"limit", 0}}, "quantity.range"},
      {"unit.cancel", {{"ops", J::array()}}, "field.missing"},  // the reason comes first
      {"unit.transfer", {{"to", "operator"}}, "transfer.self"},
      {"gec.claim", {{"colour", "green"}}, "field.unknown"},
      {"credit.retire", {{"ops", J::array()}}, "batch.size"},
      {"retirement.accept", {{"retirement", 7}}, "field.missing"},
  };
  for (const Case& c : cases) {
    const TxType* type = RegistryTable().Find(c.type);
    REQUIRE(type != nullptr);
    auto body = type->ValidateBody(Tx(c.type, c.body));
    INFO(c.type);
    REQUIRE_FALSE(body.ok());
    CHECK(body.status().reason() == c.reason);
  }
}

TEST_CASE("registry validation: genesis and accounts", "[registry][validation][accounts]") {
  auto genesis = MakeGenesis({}, SigningKey::Generate(), SigningKey::Generate().public_key());
  REQUIRE(genesis.ok());
  const Transaction& g = genesis->tx;
  auto valid = ValidateGenesis(g);
  REQUIRE(valid.ok());
  CHECK(valid->origin == g.ledger);
  CHECK(valid->gec_validity_months == 24);
  auto genesis_with = [&](const std::string& field, J value) {
    Transaction tx = g;
    tx.body = With(tx.body, field, std::move(value));
    return tx;
  };
  CHECK(Refusal(ValidateGenesis(genesis_with("origin", "elsewhere"))) == "genesis.origin");
  CHECK(Refusal(ValidateGenesis(genesis_with("log_key", "not a key"))) == "genesis.log_key");
  CHECK(Refusal(ValidateGenesis(genesis_with("gec_validity_months", 0))) == "field.range");
  CHECK(Refusal(ValidateGenesis(genesis_with("operator", nullptr))) == "field.missing");
  CHECK(Refusal(ValidateGenesis(
            genesis_with("operator", {{"account", "someone"}, {"public_key", NewKey()}}))) ==
        "genesis.operator");
  CHECK(Refusal(ValidateGenesis(genesis_with("colour", "green"))) == "field.unknown");

  const J trader = {{"account", "tr-1"}, {"role", "trader"}, {"public_key", NewKey()}};
  auto a = ValidateAccountCreate(Tx("account.create", trader));
  REQUIRE(a.ok());
  CHECK(a->role == "trader");
  CHECK_FALSE(a->name.has_value());
  auto create = [](J body) { return Refusal(ValidateAccountCreate(Tx("account.create", body))); };
  CHECK(create(With(trader, "account", "Trader 1")) == "account.id");
  CHECK(create(With(trader, "role", "king")) == "role.invalid");
  CHECK(create(With(trader, "public_key", "AAAA")) == "field.public_key");
  CHECK(create(With(trader, "public_key", nullptr)) == "field.missing");
  CHECK(create(With(trader, "region", "340100")) == "account.region");
  CHECK(create(With(trader, "colour", "green")) == "field.unknown");
  const J park = With(With(With(trader, "role", "park"), "name", "Park A"), "region", "340100");
  CHECK(create(park).empty());
  CHECK(create(With(park, "name", nullptr)) == "field.missing");
  CHECK(create(With(park, "region", "34010")) == "account.region");
  CHECK(create(With(park, "region", "34010a")) == "account.region");

  CHECK(Refusal(ValidateRotateKey(Tx("account.rotate_key", {{"public_key", NewKey()}}))).empty());
  CHECK(Refusal(ValidateRotateKey(Tx("account.rotate_key", J::object()))) == "field.missing");
  CHECK(Refusal(ValidateRotateKey(
            Tx("account.rotate_key", {{"public_key", NewKey()}, {"account", "x"}}))) ==
        "field.unknown");
  const J replace = {{"account", "tr-1"},
                     {"old_public_key", NewKey()},
                     {"public_key", NewKey()},
                     {"reason", "lost"}};
  CHECK(Refusal(ValidateReplaceKey(Tx("account.replace_key", replace))).empty());
  CHECK(Refusal(ValidateReplaceKey(Tx(
            "account.replace_key", With(replace, "old_public_key", nullptr)))) == "field.missing");
  CHECK(Refusal(ValidateReplaceKey(Tx("account.replace_key", With(replace, "old_public_key",
                                                                  "AAAA")))) == "field.public_key");
  CHECK(Refusal(ValidateReplaceKey(Tx("account.replace_key", With(replace, "reason", "")))) ==
        "field.length");
  CHECK(Refusal(ValidateReplaceKey(Tx("account.replace_key", With(replace, "account", 5)))) ==
        "field.missing");
}

TEST_CASE("registry validation: account.confirm_key", "[registry][validation]") {
  const J confirm = {{"account", "tr-1"}, {"public_key", NewKey()}};
  CHECK(Refusal(ValidateConfirmKey(Tx("account.confirm_key", confirm))).empty());
  CHECK(Refusal(ValidateConfirmKey(
            Tx("account.confirm_key", With(confirm, "public_key", nullptr)))) == "field.missing");
  CHECK(Refusal(ValidateConfirmKey(Tx("account.confirm_key", With(confirm, "account", nullptr)))) ==
        "field.missing");
  CHECK(Refusal(ValidateConfirmKey(Tx("account.confirm_key", With(confirm, "reason", "x")))) ==
        "field.unknown");
}

TEST_CASE("registry validation: generator.register", "[registry][validation][register]") {
  const J gen = {{"generator", "hydro-1"}, {"owner", "po"},      {"technology", "hydro"},
                 {"capacity_kw", 5000},    {"region", "530000"}, {"name", "Lancang 1"}};
  auto validate = [](J body) { return ValidateGeneratorRegister(Tx("generator.register", body)); };
  auto g = validate(gen);
  REQUIRE(g.ok());
  CHECK(g->id == "hydro-1");
  CHECK(g->owner == "po");
  CHECK(g->technology == "hydro");
  CHECK(g->capacity_kw == 5000);
  CHECK(g->region == "530000");
  CHECK(g->name == "Lancang 1");
  CHECK(g->after_id.ok());
  CHECK(g->after_owner.ok());
  CHECK_FALSE(validate(With(gen, "name", nullptr))->name.has_value());

  // Refused by Validate: the body's shape and the id.
  CHECK(Refusal(validate(With(gen, "colour", "blue"))) == "field.unknown");
  CHECK(Refusal(validate(With(gen, "generator", nullptr))) == "field.missing");
  CHECK(Refusal(validate(With(gen, "generator", "Hydro 1"))) == "generator.id");

  // Kept for after the id is found free ("generator.exists" comes first).
  auto after_id = [&](const std::string& field, J value) {
    auto b = validate(With(gen, field, std::move(value)));
    REQUIRE(b.ok());
    CHECK(b->after_owner.ok());
    return b->after_id.reason();
  };
  CHECK(after_id("owner", nullptr) == "field.missing");
  CHECK(after_id("owner", 5) == "field.missing");
  CHECK(after_id("technology", "coal") == "technology.invalid");
  CHECK(after_id("capacity_kw", 0) == "capacity.invalid");
  CHECK(after_id("capacity_kw", "5 MW") == "capacity.invalid");
  CHECK(after_id("capacity_kw", 1000000001) == "capacity.invalid");
  CHECK(after_id("region", "530100") == "region.invalid");  // not province-level
  CHECK(after_id("region", "000000") == "region.invalid");
  CHECK(after_id("region", nullptr) == "field.missing");
  // The first of several, in the rules' order.
  CHECK(validate(With(With(gen, "region", "x"), "technology", "coal"))->after_id.reason() ==
        "technology.invalid");

  // Kept for after the owner is found ("account.unknown" comes first).
  auto named = validate(With(gen, "name", 5));
  REQUIRE(named.ok());
  CHECK(named->after_id.ok());
  CHECK(named->after_owner.reason() == "field.missing");
  CHECK(validate(With(gen, "name", ""))->after_owner.reason() == "field.length");
}

TEST_CASE("registry validation: project.register", "[registry][validation][register]") {
  const J ccer = {{"project", "ccer-2"},   {"instrument", "CCER"}, {"owner", "po2"},
                  {"methodology", "m-1"},  {"sector", "energy"},   {"region", "530000"},
                  {"generator", "hydro-1"}};
  const J cic = {{"project", "cic-2"},     {"instrument", "CIC"}, {"owner", "po"},
                 {"methodology", "PHCER"}, {"region", "320500"},  {"scenario", "rooftop"}};
  auto validate = [](J body) { return ValidateProjectRegister(Tx("project.register", body)); };
  auto p = validate(ccer);
  REQUIRE(p.ok());
  CHECK(p->after_id.ok());
  CHECK(p->instrument == "CCER");
  CHECK(p->region == "530000");  // any GB/T 2260 code, not only a province
  CHECK(p->sector == "energy");
  CHECK(p->generator == "hydro-1");
  CHECK_FALSE(p->scenario.has_value());
  auto c = validate(cic);
  REQUIRE(c.ok());
  CHECK(c->after_id.ok());
  CHECK(c->scenario == "rooftop");

  CHECK(Refusal(validate(With(ccer, "colour", "blue"))) == "field.unknown");
  CHECK(Refusal(validate(With(ccer, "project", "Bad Id"))) == "project.id");
  CHECK(Refusal(validate(With(ccer, "project", nullptr))) == "field.missing");

  // Kept for after the id is found free ("project.exists" comes first).
  auto after_id = [&](const J& base, const std::string& field, J value) {
    auto b = validate(With(base, field, std::move(value)));
    REQUIRE(b.ok());
    return b->after_id.reason();
  };
  CHECK(after_id(ccer, "instrument", "GEC") == "instrument.invalid");
  CHECK(after_id(ccer, "instrument", "VER") == "instrument.invalid");
  CHECK(after_id(ccer, "owner", nullptr) == "field.missing");
  CHECK(after_id(ccer, "methodology", nullptr) == "field.missing");
  CHECK(after_id(ccer, "region", "5300") == "region.invalid");
  CHECK(after_id(ccer, "sector", nullptr) == "field.missing");  // CCER requires a sector
  CHECK(after_id(ccer, "scenario", "rooftop") == "field.unknown");
  CHECK(after_id(ccer, "generator", 5) == "field.missing");
  CHECK(after_id(cic, "sector", "energy") == "field.unknown");
  CHECK(after_id(cic, "generator", "hydro-1").empty());  // CIC projects may name a generator
  CHECK(after_id(cic, "generator", 5) == "field.missing");
  CHECK(after_id(cic, "name", 5) == "field.missing");
}

TEST_CASE("registry validation: batches", "[registry][validation][batch]") {
  auto issue = [](J body) { return ValidateGecIssue(Tx("gec.issue", body)); };
  const J op = {{"generator", "wind-1"}, {"month", "2025-03"}, {"quantity", 10}};
  CHECK(Refusal(issue(J::object())) == "field.missing");
  CHECK(Refusal(issue({{"ops", op}})) == "field.missing");  // an object, not an array
  CHECK(Refusal(issue({{"ops", J::array()}})) == "batch.size");
  CHECK(Refusal(issue({{"ops", J(1001, op)}})) == "batch.size");
  CHECK(Refusal(issue({{"ops", J(1000, op)}})).empty());
  CHECK(Refusal(issue({{"ops", {op}}, {"note", "x"}})) == "field.unknown");

  // An operation's problem stays with it: the others decode, and Apply reports them in order.
  auto b = issue({{"ops", {op, 5, With(op, "month", "2025-13"), op}}});
  REQUIRE(b.ok());
  REQUIRE(b->ops.size() == 4);
  CHECK(OpRefusal(b->ops, 0).empty());
  CHECK(OpRefusal(b->ops, 1) == "field.type");
  CHECK(b->ops[1].status().message() == "body.ops[1] must be an object");
  CHECK(OpRefusal(b->ops, 2) == "month.invalid");
  CHECK(OpRefusal(b->ops, 3).empty());
}

TEST_CASE("registry validation: gec.issue and credit.issue", "[registry][validation][issue]") {
  const J op = {{"generator", "wind-1"}, {"month", "2025-03"}, {"quantity", 10}};
  auto gec_op = [](J o) {
    auto b = ValidateGecIssue(Tx("gec.issue", {{"ops", {o}}}));
    REQUIRE(b.ok());
    return b->ops[0];
  };
  auto g = gec_op(op);
  REQUIRE(g.ok());
  CHECK(g->generator == "wind-1");
  CHECK(g->month == *ParseMonth("2025-03"));
  CHECK(g->quantity == 10);
  // Neither the generator nor the acceptance month is Validate's business.
  CHECK(gec_op(With(With(op, "generator", "nowhere"), "month", "2999-01")).ok());
  auto reason = [&](J o) { return gec_op(std::move(o)).status().reason(); };
  CHECK(reason(With(op, "generator", nullptr)) == "field.missing");
  CHECK(reason(With(op, "generator", "")) == "field.length");
  CHECK(reason(With(op, "month", "2025-3")) == "month.invalid");
  CHECK(reason(With(op, "month", "0999-01")) == "month.invalid");
  CHECK(reason(With(op, "quantity", 0)) == "quantity.range");
  CHECK(reason(With(op, "quantity", -1)) == "quantity.range");
  CHECK(reason(With(op, "quantity", 9007199254740992ull)) == "quantity.range");
  CHECK(reason(With(op, "quantity", "10")) == "field.missing");
  CHECK(reason(With(op, "vintage", "2025")) == "field.unknown");
  // The first problem of the operation, in field order.
  CHECK(reason(With(With(op, "month", "bad"), "quantity", 0)) == "month.invalid");

  const J credit = {{"project", "ccer-free"}, {"vintage", "2024"}, {"quantity", 5}};
  auto credit_op = [](J o) {
    auto b = ValidateCreditIssue(Tx("credit.issue", {{"ops", {o}}}));
    REQUIRE(b.ok());
    return b->ops[0];
  };
  auto year = credit_op(credit);
  REQUIRE(year.ok());
  CHECK(year->vintage == "2024");
  CHECK(year->period.from == *ParseMonth("2024-01"));
  CHECK(year->period.to == *ParseMonth("2024-12"));
  CHECK(year->vintage_invalid.ok());
  auto period = credit_op(With(credit, "vintage", "2024-01/2024-06"));
  REQUIRE(period.ok());
  CHECK(period->period.to == *ParseMonth("2024-06"));
  // A bad vintage is kept for after the project is found ("project.unknown" comes first).
  for (const char* v : {"20x4", "2024-06/2024-01", "2014-01/2024-01", "2024-01"}) {
    INFO(v);
    auto bad = credit_op(With(credit, "vintage", v));
    REQUIRE(bad.ok());
    CHECK(bad->vintage_invalid.reason() == "vintage.invalid");
  }
  // ... but not a bad quantity, which the rules check before the project.
  CHECK(credit_op(With(With(credit, "vintage", "20x4"), "quantity", 0)).status().reason() ==
        "quantity.range");
  CHECK(credit_op(With(credit, "vintage", 2024)).status().reason() == "field.missing");
  CHECK(credit_op(With(credit, "project", nullptr)).status().reason() == "field.missing");
}

TEST_CASE("registry validation: gec.freeze, gec.expire and unit.cancel",
          "[registry][validation][corrections]") {
  const J freeze = {
      {"project", "ccer-wind"}, {"from", "2025-01"}, {"to", "2025-03"}, {"reason", "CCER"}};
  auto f = [](J body) { return ValidateGecFreeze(Tx("gec.freeze", body)); };
  auto valid = f(freeze);
  REQUIRE(valid.ok());
  CHECK(valid->from == *ParseMonth("2025-01"));
  CHECK(valid->to == *ParseMonth("2025-03"));
  CHECK(Refusal(f(With(freeze, "from", "2025-04"))) == "month.invalid");  // after `to`
  CHECK(Refusal(f(With(freeze, "from", "2015-03"))) == "month.invalid");  // 121 months
  CHECK(Refusal(f(With(freeze, "from", "2015-04"))).empty());             // 120 months
  CHECK(Refusal(f(With(freeze, "to", "March"))) == "month.invalid");
  CHECK(Refusal(f(With(freeze, "reason", nullptr))) == "field.missing");
  CHECK(Refusal(f(With(freeze, "project", 5))) == "field.missing");
  CHECK(Refusal(f(With(freeze, "generator", "wind-1"))) == "field.unknown");

  auto e = [](J body) { return ValidateGecExpire(Tx("gec.expire", body)); };
  CHECK(e({{"limit", 10000}})->limit == 10000);
  CHECK(Refusal(e({{"limit", 10001}})) == "quantity.range");
  CHECK(Refusal(e({{"limit", 0}})) == "quantity.range");
  CHECK(Refusal(e({{"limit", "all"}})) == "field.missing");
  CHECK(Refusal(e(J::object())) == "field.missing");
  CHECK(Refusal(e({{"limit", 1}, {"before", "2025-01"}})) == "field.unknown");

  const J range = {{"instrument", "GEC"}, {"first", 1}, {"last", 10}};
  auto c = [](J body) { return ValidateUnitCancel(Tx("unit.cancel", body)); };
  CHECK(Refusal(c({{"ops", {range}}})) == "field.missing");  // a reason is required
  CHECK(Refusal(c({{"reason", ""}, {"ops", {range}}})) == "field.length");
  CHECK(Refusal(c({{"reason", "error"}})) == "field.missing");
  auto cancel = c(
      {{"reason", "error"},
       {"ops",
        {range, With(range, "quantity", 10), With(range, "first", 11), With(range, "last", nullptr),
         With(range, "instrument", "VER"), With(range, "first", 0)}}});
  REQUIRE(cancel.ok());
  REQUIRE(cancel->ops[0].ok());
  CHECK(cancel->ops[0]->by_range);
  CHECK(cancel->ops[0]->first == 1);
  CHECK(cancel->ops[0]->last == 10);
  CHECK(OpRefusal(cancel->ops, 1) == "field.unknown");  // by range only
  CHECK(OpRefusal(cancel->ops, 2) == "serial.range");   // first above last
  CHECK(OpRefusal(cancel->ops, 3) == "field.missing");  // first without last
  CHECK(OpRefusal(cancel->ops, 4) == "instrument.invalid");
  CHECK(OpRefusal(cancel->ops, 5) == "serial.range");
}

TEST_CASE("registry validation: unit.transfer", "[registry][validation][transfer]") {
  auto t = [](J body) { return ValidateTransfer(Tx("unit.transfer", body, "po")); };
  const J qty = {{"instrument", "CCER"}, {"quantity", 5}};
  const J range = {{"instrument", "GEC"}, {"first", 101}, {"last", 200}};
  auto valid = t({{"to", "park-a"}, {"ops", {qty, range}}});
  REQUIRE(valid.ok());
  CHECK(valid->to == "park-a");
  REQUIRE(valid->ops.ok());
  REQUIRE(valid->ops->size() == 2);
  CHECK((*valid->ops)[0]->instrument == "CCER");
  CHECK((*valid->ops)[0]->quantity == 5);
  CHECK_FALSE((*valid->ops)[0]->by_range);
  CHECK((*valid->ops)[1]->by_range);
  CHECK((*valid->ops)[1]->first == 101);

  CHECK(Refusal(t({{"ops", {qty}}})) == "field.missing");
  CHECK(Refusal(t({{"to", "po"}, {"ops", {qty}}})) == "transfer.self");
  CHECK(Refusal(t({{"to", "park-a"}, {"ops", {qty}}, {"memo", "x"}})) == "field.unknown");
  // A malformed batch is kept for after the recipient is found ("account.unknown" first).
  for (const J& ops : {J(), J::array(), J(5)}) {
    J body = {{"to", "park-a"}};
    if (!ops.is_null()) body["ops"] = ops;
    auto b = t(body);
    REQUIRE(b.ok());
    CHECK_FALSE(b->ops.ok());
  }
  CHECK(t({{"to", "park-a"}, {"ops", J::array()}})->ops.status().reason() == "batch.size");
  CHECK(t({{"to", "park-a"}})->ops.status().reason() == "field.missing");

  auto b = t({{"to", "park-a"},
              {"ops",
               {With(qty, "first", 1), J{{"instrument", "GEC"}}, With(qty, "instrument", "EUA"),
                With(qty, "quantity", 0), With(range, "last", 9007199254740992ull),
                With(qty, "holder", "x")}}});
  REQUIRE(b.ok());
  REQUIRE(b->ops.ok());
  CHECK(OpRefusal(*b->ops, 0) == "units.spec");  // both forms
  CHECK(OpRefusal(*b->ops, 1) == "units.spec");  // neither
  CHECK(OpRefusal(*b->ops, 2) == "instrument.invalid");
  CHECK(OpRefusal(*b->ops, 3) == "quantity.range");
  CHECK(OpRefusal(*b->ops, 4) == "serial.range");
  CHECK(OpRefusal(*b->ops, 5) == "field.unknown");
}

TEST_CASE("registry validation: gec.claim and credit.retire", "[registry][validation][spend]") {
  auto claim = [](J o) {
    auto b = ValidateClaim(Tx("gec.claim", {{"ops", {o}}}, "park-a"));
    REQUIRE(b.ok());
    return b->ops[0];
  };
  const J c = {{"reporting_year", 2025}, {"quantity", 10}};
  auto valid = claim(c);
  REQUIRE(valid.ok());
  CHECK(valid->reporting_year == 2025);
  CHECK(valid->units.instrument == "GEC");
  CHECK(valid->units.quantity == 10);
  CHECK(claim(With(c, "reporting_year", 1989)).status().reason() == "year.invalid");
  CHECK(claim(With(c, "reporting_year", 2201)).status().reason() == "year.invalid");
  CHECK(claim(With(c, "reporting_year", nullptr)).status().reason() == "field.missing");
  CHECK(claim(With(c, "instrument", "GEC")).status().reason() == "field.unknown");
  CHECK(claim(With(c, "quantity", nullptr)).status().reason() == "units.spec");
  CHECK(claim(With(With(c, "reporting_year", 1), "quantity", 0)).status().reason() ==
        "year.invalid");
  CHECK(Refusal(ValidateClaim(Tx("gec.claim", {{"ops", {c}}, {"year", 2025}}, "park-a"))) ==
        "field.unknown");

  auto retire = [](J o) {
    auto b = ValidateRetire(Tx("credit.retire", {{"ops", {o}}}, "po"));
    REQUIRE(b.ok());
    return b->ops[0];
  };
  const J r = {{"instrument", "CCER"},
               {"first", 1},
               {"last", 5},
               {"beneficiary", "park-a"},
               {"reporting_year", 2025},
               {"purpose", "compliance"},
               {"note", "2025 neutrality claim"}};
  auto ok = retire(r);
  REQUIRE(ok.ok());
  CHECK(ok->units.instrument == "CCER");
  CHECK(ok->units.by_range);
  CHECK(ok->beneficiary == "park-a");
  CHECK(ok->purpose == "compliance");
  CHECK(ok->note == "2025 neutrality claim");
  CHECK(retire(With(r, "note", nullptr))->note.empty());
  auto reason = [&](J o) { return retire(std::move(o)).status().reason(); };
  CHECK(reason(With(r, "instrument", "GEC")) == "instrument.not_retirable");
  CHECK(reason(With(r, "instrument", "VER")) == "instrument.invalid");
  CHECK(reason(With(r, "quantity", 5)) == "units.spec");
  CHECK(reason(With(r, "beneficiary", nullptr)) == "field.missing");
  CHECK(reason(With(r, "reporting_year", 1900)) == "year.invalid");
  CHECK(reason(With(r, "purpose", "offsetting")) == "purpose.invalid");
  CHECK(reason(With(r, "note", 5)) == "field.missing");
  CHECK(reason(With(r, "note", "")) == "field.length");
  CHECK(reason(With(r, "serials", "1-5")) == "field.unknown");
  // Whether the beneficiary is a park, and holds anything, is Apply's.
  CHECK(retire(With(r, "beneficiary", "nobody")).ok());
}

TEST_CASE("registry validation: retirement.accept", "[registry][validation][accept]") {
  auto accept = [](J body) { return ValidateAccept(Tx("retirement.accept", body, "park-a")); };
  auto ok = accept({{"retirement", "R12.0"}});
  REQUIRE(ok.ok());
  CHECK(ok->retirement == "R12.0");
  CHECK(Refusal(accept(J::object())) == "field.missing");
  CHECK(Refusal(accept({{"retirement", ""}})) == "field.length");
  CHECK(Refusal(accept({{"retirement", std::string(65, 'R')}})) == "field.length");
  CHECK(Refusal(accept({{"retirement", "R12.0"}, {"quantity", 1}})) == "field.unknown");
  // Whether it names a retirement, and one for the signer, is Apply's.
  CHECK(accept({{"retirement", "C12.0"}}).ok());
}
