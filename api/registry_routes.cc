// The registry's endpoints: holdings, serial traces, park claims and retirements, registry
// totals (docs/api.md §Endpoints). Claims, retirements and totals are public reports; holdings
// and traces need a signed request.
#include "api/routes.h"
#include "ledger/log/ledger.h"
#include "ledger/registry/queries.h"

namespace carbonledger::api {
namespace {

nlohmann::json AttributesJson(const UnitAttributes& a) {
  nlohmann::json j = {
      {"issuance", a.issuance}, {"issuance_seq", a.issuance_seq}, {"vintage", a.vintage}};
  for (auto [k, v] : {std::pair{"generator", &a.generator},
                      {"technology", &a.technology},
                      {"project", &a.project},
                      {"methodology", &a.methodology},
                      {"region", &a.region},
                      {"valid_through", &a.valid_through}}) {
    if (!v->empty()) j[k] = *v;
  }
  return j;
}

nlohmann::json BlockJson(const BlockView& b) {
  nlohmann::json j = {{"id", b.id},
                      {"serials", FormatSerials(b.instrument, b.first, b.last)},
                      {"instrument", b.instrument},
                      {"first", b.first},
                      {"last", b.last},
                      {"quantity", b.quantity()},
                      {"holder", b.holder},
                      {"status", b.status},
                      {"event", b.event},
                      {"seq", b.seq},
                      {"attributes", AttributesJson(b.attributes)}};
  if (!b.parent.empty()) j["parent"] = b.parent;
  if (!b.ref.empty()) j["ref"] = b.ref;
  if (b.past_validity) j["past_validity"] = true;
  return j;
}

uint64_t NowMs() {
  return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

// A reporting year in the path: four digits.
Result<int64_t> PathYear(const std::string& s) {
  if (s.size() != 4 || s.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("path.year", "year must be four digits");
  }
  return std::stoll(s);
}

}  // namespace

void RegisterRegistryRoutes(Context& c) {
  Router& r = c.router;

  r.Get(R"(/v1/accounts/([a-z0-9][a-z0-9._-]{0,63})/holdings)", "GET /v1/accounts/{id}/holdings",
        [c](const auto& req, auto& res) {
          std::string id = req.matches[1].str();
          if (Status s = c.MayRead(req, id); !s.ok()) return SendProblem(res, s, req.path);
          HoldingsOptions o;
          o.as_of_ms = NowMs();
          o.include_blocks = req.get_param_value("blocks") != "false";
          o.instrument = req.get_param_value("instrument");
          auto h = QueryHoldings(c.ledger.state(), id, o);
          if (!h.ok()) return SendProblem(res, h.status(), req.path);
          nlohmann::json out = nlohmann::json::array();
          for (const auto& i : *h) {
            nlohmann::json j = {{"instrument", i.instrument},
                                {"held", i.held},
                                {"frozen", i.frozen},
                                {"past_validity", i.past_validity},
                                {"blocks", i.blocks}};
            if (o.include_blocks) {
              j["block_list"] = nlohmann::json::array();
              for (const auto& b : i.block_list) j["block_list"].push_back(BlockJson(b));
            }
            out.push_back(j);
          }
          SendJson(res, {{"account", id}, {"holdings", out}});
        });

  r.Get(R"(/v1/serials/(GEC|CCER|CIC)/(\d{1,16})/trace)",
        "GET /v1/serials/{instrument}/{serial}/trace", [c](const auto& req, auto& res) {
          if (Status s = c.Privileged(req); !s.ok()) return SendProblem(res, s, req.path);
          auto t = TraceSerial(c.ledger.state(), req.matches[1].str(),
                               std::stoull(req.matches[2].str()));
          if (!t.ok()) return SendProblem(res, t.status(), req.path);
          nlohmann::json steps = nlohmann::json::array();
          for (const auto& b : t->steps) steps.push_back(BlockJson(b));
          SendJson(res, {{"instrument", t->instrument},
                         {"serial", t->serial},
                         {"attributes", AttributesJson(t->attributes)},
                         {"steps", steps}});
        });

  auto park_year = [c](const httplib::Request& req, httplib::Response& res, bool claims) {
    auto year = PathYear(req.matches[2].str());
    if (!year.ok()) return SendProblem(res, year.status(), req.path);
    auto py = QueryParkYear(c.ledger.state(), req.matches[1].str(), *year);
    if (!py.ok()) return SendProblem(res, py.status(), req.path);
    nlohmann::json rows = nlohmann::json::array();
    if (claims) {
      for (const auto& b : py->claims) {
        rows.push_back({{"claim", b.claim},
                        {"seq", b.seq},
                        {"serials", FormatSerials("GEC", b.first, b.last)},
                        {"first", b.first},
                        {"last", b.last},
                        {"mwh", b.quantity},
                        {"generator", b.generator},
                        {"technology", b.technology},
                        {"region", b.region},
                        {"generation_month", b.generation_month},
                        {"issuance", b.issuance}});
      }
      return SendJson(res, {{"park", py->park},
                            {"year", py->year},
                            {"claimed_mwh", py->claimed_mwh},
                            {"claims", rows}});
    }
    for (const auto& b : py->retirements) {
      rows.push_back({{"retirement", b.retirement},
                      {"seq", b.seq},
                      {"instrument", b.instrument},
                      {"serials", FormatSerials(b.instrument, b.first, b.last)},
                      {"first", b.first},
                      {"last", b.last},
                      {"quantity", b.quantity},
                      {"vintage", b.vintage},
                      {"project", b.project},
                      {"project_region", b.project_region},
                      {"methodology", b.methodology},
                      {"purpose", b.purpose},
                      {"beneficiary", b.beneficiary},
                      {"retired_by", b.retired_by},
                      {"note", b.note},
                      {"reporting_year", b.reporting_year},
                      {"issuance", b.issuance},
                      {"accepted_seq", b.accepted_seq}});
    }
    SendJson(res, {{"park", py->park},
                   {"year", py->year},
                   {"retired_ccer", py->retired_ccer},
                   {"retired_cic", py->retired_cic},
                   {"retirements", rows}});
  };
  r.Get(R"(/v1/parks/([a-z0-9][a-z0-9._-]{0,63})/years/(\d+)/claims)",
        "GET /v1/parks/{id}/years/{year}/claims",
        [park_year](const auto& req, auto& res) { park_year(req, res, true); });
  r.Get(R"(/v1/parks/([a-z0-9][a-z0-9._-]{0,63})/years/(\d+)/retirements)",
        "GET /v1/parks/{id}/years/{year}/retirements",
        [park_year](const auto& req, auto& res) { park_year(req, res, false); });

  r.Get("/v1/registry/totals", "GET /v1/registry/totals", [c](const auto& req, auto& res) {
    auto totals = QueryTotals(c.ledger.state());
    if (!totals.ok()) return SendProblem(res, totals.status(), req.path);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : *totals) {
      out.push_back({{"instrument", t.instrument},
                     {"issued", t.issued},
                     {"held", t.held},
                     {"frozen", t.frozen},
                     {"claimed", t.claimed},
                     {"retired", t.retired},
                     {"expired", t.expired},
                     {"cancelled", t.cancelled},
                     {"issuances", t.issuances}});
    }
    SendJson(res, {{"instruments", out}, {"entries", c.ledger.size()}});
  });
}

}  // namespace carbonledger::api
