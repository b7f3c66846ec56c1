// Registration by the operator: generators (the plants GECs are issued for) and credit
// projects (CCER and carbon inclusive credit projects), docs/registry-rules.md §generator.register,
// §project.register.
#include <algorithm>

#include "ledger/log/fields.h"
#include "ledger/registry/internal/bodies.h"

namespace carbonledger::registry {
namespace {

constexpr const char* kTechnologies[] = {"wind",    "solar",      "hydro",
                                         "biomass", "geothermal", "other"};
constexpr uint64_t kMaxCapacityKw = 1000000000;  // 1 TW: keeps kW x hours far inside 2^53
const std::vector<std::string> kOwnerRoles = {"project_owner", "park"};

bool IsRegion(const std::string& s) {
  return s.size() == 6 && s != "000000" &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The id of a new generator or project, body.<what>: "<what>.id" unless 1..64 of [a-z0-9._-].
Result<std::string> NewIdField(const nlohmann::json& b, const std::string& what) {
  auto id = RequireString(b, what, 64);
  if (!id.ok()) return id.status();
  if (!IsValidAccountId(*id)) {
    return Status::InvalidArgument(what + ".id",
                                   what + " \"" + *id + "\" must be 1..64 of [a-z0-9._-]");
  }
  return id;
}

// "<what>.exists" if `key`, the record of `id`, is taken.
Status RequireIdFree(const StateReader& state, const std::string& key, const std::string& id,
                     const std::string& what) {
  auto existing = state.Get(key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::Conflict(what + ".exists", what + " \"" + id + "\" is already registered");
  }
  return Status::OK();
}

// An optional string field, if given.
Status ReadOptional(const nlohmann::json& b, const char* field, size_t max_len,
                    std::optional<std::string>* out) {
  if (!b.contains(field)) return Status::OK();
  auto v = RequireString(b, field, max_len);
  if (!v.ok()) return v.status();
  *out = *v;
  return Status::OK();
}

// ---- generator.register

// owner, technology, capacity_kw and region, in that order.
Status ReadGenerator(const nlohmann::json& b, GeneratorRegisterBody* g) {
  auto owner = RequireString(b, "owner", 64);
  if (!owner.ok()) return owner.status();
  g->owner = *owner;
  auto tech = RequireString(b, "technology", 16);
  if (!tech.ok()) return tech.status();
  if (std::find(std::begin(kTechnologies), std::end(kTechnologies), *tech) ==
      std::end(kTechnologies)) {
    return Status::InvalidArgument(
        "technology.invalid",
        "technology must be wind, solar, hydro, biomass, geothermal or other, not \"" + *tech +
            "\"");
  }
  g->technology = *tech;
  auto kw = RequireQuantity(b, "capacity_kw");
  if (!kw.ok() || *kw > kMaxCapacityKw) {
    return Status::InvalidArgument(
        "capacity.invalid",
        "capacity_kw must be an integer number of kW, 1.." + std::to_string(kMaxCapacityKw));
  }
  g->capacity_kw = *kw;
  auto region = RequireString(b, "region", 6);
  if (!region.ok()) return region.status();
  if (!IsRegion(*region) || region->substr(2) != "0000") {
    return Status::InvalidArgument("region.invalid",
                                   "region must be a province-level GB/T 2260 code (\"340000\")");
  }
  g->region = *region;
  return Status::OK();
}

Status ApplyGeneratorRegister(const TxContext& ctx, const GeneratorRegisterBody& g,
                              StateTxn& state) {
  REGISTRY_RETURN_IF_ERROR(RequireIdFree(state, GeneratorKey(g.id), g.id, "generator"));
  REGISTRY_RETURN_IF_ERROR(g.after_id);
  auto acct = RequireAccount(state, g.owner, kOwnerRoles, "owner");
  if (!acct.ok()) return acct.status();
  REGISTRY_RETURN_IF_ERROR(g.after_owner);
  nlohmann::json record = {{"id", g.id},
                           {"owner", g.owner},
                           {"technology", g.technology},
                           {"capacity_kw", g.capacity_kw},
                           {"region", g.region},
                           {"registered_seq", ctx.seq}};
  if (g.name) record["name"] = *g.name;
  return PutRecord(state, GeneratorKey(g.id), record);
}

// ---- project.register

// Every field but the id, in the rules' order.
Status ReadProject(const nlohmann::json& b, ProjectRegisterBody* p) {
  auto instrument = RequireInstrument(b, "instrument");
  if (!instrument.ok()) return instrument.status();
  if (*instrument == kGec) {
    return Status::InvalidArgument("instrument.invalid",
                                   "projects issue CCER or CIC; GECs are issued to generators");
  }
  p->instrument = *instrument;
  auto owner = RequireString(b, "owner", 64);
  if (!owner.ok()) return owner.status();
  p->owner = *owner;
  auto methodology = RequireString(b, "methodology", 64);
  if (!methodology.ok()) return methodology.status();
  p->methodology = *methodology;
  auto region = RequireString(b, "region", 6);
  if (!region.ok()) return region.status();
  if (!IsRegion(*region)) {
    return Status::InvalidArgument("region.invalid", "region must be a six-digit GB/T 2260 code");
  }
  p->region = *region;
  const bool ccer = *instrument == kCcer;
  if (ccer && !b.contains("sector")) {
    return Status::InvalidArgument("field.missing", "sector is required for a CCER project");
  }
  if (!ccer && b.contains("sector")) {
    return Status::InvalidArgument("field.unknown", "sector is for CCER projects only");
  }
  if (ccer && b.contains("scenario")) {
    return Status::InvalidArgument("field.unknown", "scenario is for CIC projects only");
  }
  REGISTRY_RETURN_IF_ERROR(ReadOptional(b, "name", 256, &p->name));
  REGISTRY_RETURN_IF_ERROR(ReadOptional(b, "sector", 64, &p->sector));
  REGISTRY_RETURN_IF_ERROR(ReadOptional(b, "scenario", 128, &p->scenario));
  return ReadOptional(b, "generator", 64, &p->generator);
}

// A credit project's generator (CCER or CIC): its months back this project's credits or GECs,
// never both, and one project per generator.
Status LinkGenerator(StateTxn& state, const std::string& gen, const std::string& project) {
  auto g =
      RequireRecord(state, GeneratorKey(gen), "generator.unknown", "generator \"" + gen + "\"");
  if (!g.ok()) return g.status();
  if (g->contains("ccer_project")) {
    return Status::Conflict("generator.linked", "generator \"" + gen +
                                                    "\" is already linked to credit project \"" +
                                                    (*g)["ccer_project"].get<std::string>() + "\"");
  }
  (*g)["ccer_project"] = project;
  return PutRecord(state, GeneratorKey(gen), *g);
}

// Methodologies whose reductions are a grid-connected plant's generation: a project of one of
// them must name its generator, so that its months are checked against that plant's GECs.
// Source: the CCER methodologies published by the Ministry of Ecology and Environment on
// 2023-10-24 (温室气体自愿减排项目方法学: 并网光热发电 CCER-01-001-V01, 并网海上风力发电
// CCER-01-002-V01; the other two of that list, CCER-14-001-V01 造林碳汇 and CCER-14-002-V01
// 红树林营造, are sinks). The list and its reading: docs/registry-rules.md §`project.register`
// (registry)
constexpr std::string_view kPowerMethodologies[] = {"CCER-01-001-V01", "CCER-01-002-V01"};

bool IsPowerMethodology(std::string_view methodology) {
  return std::find(std::begin(kPowerMethodologies), std::end(kPowerMethodologies), methodology) !=
         std::end(kPowerMethodologies);
}

Status ApplyProjectRegister(const TxContext& ctx, const ProjectRegisterBody& p, StateTxn& state) {
  REGISTRY_RETURN_IF_ERROR(RequireIdFree(state, ProjectKey(p.id), p.id, "project"));
  REGISTRY_RETURN_IF_ERROR(p.after_id);
  auto acct = RequireAccount(state, p.owner, kOwnerRoles, "owner");
  if (!acct.ok()) return acct.status();
  if (!p.generator && IsPowerMethodology(p.methodology)) {
    return Status::InvalidArgument("project.generator_required",
                                   "methodology " + p.methodology +
                                       " credits a plant's generation: body.generator must name "
                                       "the registered generator");
  }
  if (p.generator) REGISTRY_RETURN_IF_ERROR(LinkGenerator(state, *p.generator, p.id));
  nlohmann::json record = {{"id", p.id},         {"instrument", p.instrument},
                           {"owner", p.owner},   {"methodology", p.methodology},
                           {"region", p.region}, {"registered_seq", ctx.seq}};
  for (auto [field, value] :
       {std::pair{"name", &p.name}, std::pair{"sector", &p.sector},
        std::pair{"scenario", &p.scenario}, std::pair{"generator", &p.generator}}) {
    if (*value) record[field] = **value;
  }
  return PutRecord(state, ProjectKey(p.id), record);
}

}  // namespace

Result<GeneratorRegisterBody> ValidateGeneratorRegister(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  REGISTRY_RETURN_IF_ERROR(
      OnlyFields(b, {"generator", "name", "owner", "technology", "capacity_kw", "region"}, "body"));
  auto id = NewIdField(b, "generator");
  if (!id.ok()) return id.status();
  GeneratorRegisterBody g;
  g.id = *id;
  g.after_id = ReadGenerator(b, &g);
  g.after_owner = ReadOptional(b, "name", 256, &g.name);
  return g;
}

Result<ProjectRegisterBody> ValidateProjectRegister(const Transaction& tx) {
  const nlohmann::json& b = tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b,
                                      {"project", "instrument", "name", "owner", "methodology",
                                       "sector", "scenario", "region", "generator"},
                                      "body"));
  auto id = NewIdField(b, "project");
  if (!id.ok()) return id.status();
  ProjectRegisterBody p;
  p.id = *id;
  p.after_id = ReadProject(b, &p);
  return p;
}

std::vector<TxType> RegistrationTypes() {
  return {
      TxType("generator.register", {"registry"}, &ValidateGeneratorRegister,
             &ApplyGeneratorRegister),
      TxType("project.register", {"registry"}, &ValidateProjectRegister, &ApplyProjectRegister),
  };
}

}  // namespace carbonledger::registry
