// Registration by the operator: generators (the plants GECs are issued for) and credit
// projects (CCER and carbon inclusive credit projects), docs/registry-rules.md §Registration.
#include <algorithm>
#include <map>
#include <set>

#include "ledger/log/fields.h"
#include "ledger/registry/internal/operations.h"

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

Status RequireNewId(const StateReader& state, const nlohmann::json& b, const std::string& field,
                    const std::string& key_prefix, const std::string& what) {
  auto id = RequireString(b, field, 64);
  if (!id.ok()) return id.status();
  if (!IsValidAccountId(*id)) {
    return Status::InvalidArgument(what + ".id",
                                   field + " \"" + *id + "\" must be 1..64 of [a-z0-9._-]");
  }
  auto existing = state.Get(key_prefix + *id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::Conflict(what + ".exists", what + " \"" + *id + "\" is already registered");
  }
  return Status::OK();
}

// Copies optional string fields that were given.
Status CopyOptional(const nlohmann::json& b, nlohmann::json& record,
                    std::initializer_list<std::pair<const char*, size_t>> fields) {
  for (auto [field, max_len] : fields) {
    if (!b.contains(field)) continue;
    auto v = RequireString(b, field, max_len);
    if (!v.ok()) return v.status();
    record[field] = *v;
  }
  return Status::OK();
}

Status ApplyGeneratorRegister(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(
      OnlyFields(b, {"generator", "name", "owner", "technology", "capacity_kw", "region"}, "body"));
  REGISTRY_RETURN_IF_ERROR(RequireNewId(state, b, "generator", "rg/", "generator"));
  auto owner = RequireString(b, "owner", 64);
  if (!owner.ok()) return owner.status();
  auto tech = RequireString(b, "technology", 16);
  if (!tech.ok()) return tech.status();
  if (std::find(std::begin(kTechnologies), std::end(kTechnologies), *tech) ==
      std::end(kTechnologies)) {
    return Status::InvalidArgument(
        "technology.invalid",
        "technology must be wind, solar, hydro, biomass, geothermal or other, not \"" + *tech +
            "\"");
  }
  auto kw = RequireQuantity(b, "capacity_kw");
  if (!kw.ok() || *kw > kMaxCapacityKw) {
    return Status::InvalidArgument(
        "capacity.invalid",
        "capacity_kw must be an integer number of kW, 1.." + std::to_string(kMaxCapacityKw));
  }
  auto region = RequireString(b, "region", 6);
  if (!region.ok()) return region.status();
  if (!IsRegion(*region) || region->substr(2) != "0000") {
    return Status::InvalidArgument("region.invalid",
                                   "region must be a province-level GB/T 2260 code (\"340000\")");
  }
  auto acct = RequireAccount(state, *owner, kOwnerRoles, "owner");
  if (!acct.ok()) return acct.status();
  const std::string id = b["generator"].get<std::string>();
  nlohmann::json g = {{"id", id},           {"owner", *owner},   {"technology", *tech},
                      {"capacity_kw", *kw}, {"region", *region}, {"registered_seq", ctx.seq}};
  REGISTRY_RETURN_IF_ERROR(CopyOptional(b, g, {{"name", 256}}));
  return PutRecord(state, GeneratorKey(id), g);
}

Status ApplyProjectRegister(const TxContext& ctx, StateTxn& state) {
  const nlohmann::json& b = ctx.tx.body;
  REGISTRY_RETURN_IF_ERROR(OnlyFields(b,
                                      {"project", "instrument", "name", "owner", "methodology",
                                       "sector", "scenario", "region", "generator"},
                                      "body"));
  REGISTRY_RETURN_IF_ERROR(RequireNewId(state, b, "project", "rp/", "project"));
  auto instrument = RequireInstrument(b, "instrument");
  if (!instrument.ok()) return instrument.status();
  if (*instrument == kGec) {
    return Status::InvalidArgument("instrument.invalid",
                                   "projects issue CCER or CIC; GECs are issued to generators");
  }
  auto owner = RequireString(b, "owner", 64);
  if (!owner.ok()) return owner.status();
  auto methodology = RequireString(b, "methodology", 64);
  if (!methodology.ok()) return methodology.status();
  auto region = RequireString(b, "region", 6);
  if (!region.ok()) return region.status();
  if (!IsRegion(*region)) {
    return Status::InvalidArgument("region.invalid", "region must be a six-digit GB/T 2260 code");
  }
  const bool ccer = *instrument == kCcer;
  if (ccer && !b.contains("sector")) {
    return Status::InvalidArgument("field.missing", "sector is required for a CCER project");
  }
  if (!ccer && (b.contains("sector") || b.contains("generator"))) {
    return Status::InvalidArgument("field.unknown",
                                   "sector and generator are for CCER projects only");
  }
  if (ccer && b.contains("scenario")) {
    return Status::InvalidArgument("field.unknown", "scenario is for CIC projects only");
  }
  const std::string id = b["project"].get<std::string>();
  nlohmann::json p = {{"id", id},          {"instrument", *instrument},
                      {"owner", *owner},   {"methodology", *methodology},
                      {"region", *region}, {"registered_seq", ctx.seq}};
  REGISTRY_RETURN_IF_ERROR(
      CopyOptional(b, p, {{"name", 256}, {"sector", 64}, {"scenario", 128}, {"generator", 64}}));
  auto acct = RequireAccount(state, *owner, kOwnerRoles, "owner");
  if (!acct.ok()) return acct.status();
  if (p.contains("generator")) {
    const std::string gen = p["generator"].get<std::string>();
    auto g =
        RequireRecord(state, GeneratorKey(gen), "generator.unknown", "generator \"" + gen + "\"");
    if (!g.ok()) return g.status();
    if (g->contains("ccer_project")) {
      return Status::Conflict("generator.linked",
                              "generator \"" + gen + "\" is already linked to CCER project \"" +
                                  (*g)["ccer_project"].get<std::string>() + "\"");
    }
    (*g)["ccer_project"] = id;
    REGISTRY_RETURN_IF_ERROR(PutRecord(state, GeneratorKey(gen), *g));
  }
  return PutRecord(state, ProjectKey(id), p);
}

}  // namespace

std::vector<TxType> RegistrationTypes() {
  return {
      Untyped<&ApplyGeneratorRegister>("generator.register", {"registry"}),
      Untyped<&ApplyProjectRegister>("project.register", {"registry"}),
  };
}

}  // namespace carbonledger::registry
