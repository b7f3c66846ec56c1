// The accounting endpoints of a park-year: inventory, neutrality under a policy profile, Anhui
// evaluation, statement drafts, and recorded certification statements with their offline
// bundles (docs/api.md §Endpoints). Statements and bundles are public; the park's own
// figures are read by the park and by registry, certifier and auditor accounts.
#include "accounting/policy_profile.h"
#include "api/routes.h"
#include "crypto/canonical_json.h"
#include "ledger/certification/bundle.h"
#include "ledger/certification/reports.h"
#include "ledger/log/ledger.h"

namespace carbonledger::api {
namespace {

constexpr const char* kParkYear = R"(/v1/parks/([a-z0-9][a-z0-9._-]{0,63})/years/(\d{4}))";

Result<accounting::PolicyProfile> ProfileParam(const httplib::Request& req) {
  std::string id = req.get_param_value("profile");
  if (id.empty()) {
    return Status::InvalidArgument("query.param",
                                   "query parameter profile is required (e.g. anhui-2024)");
  }
  auto p = accounting::EmbeddedPolicyProfile(id);
  if (!p.ok()) {
    std::string known;
    for (const auto& k : accounting::EmbeddedPolicyProfileIds()) known += " " + k;
    return Status::NotFound("profile.not_found",
                            "no policy profile \"" + id + "\"; known:" + known);
  }
  return p;
}

}  // namespace

void RegisterCertificationRoutes(Context& c) {
  Router& r = c.router;
  auto park_year = [c](const std::string& suffix, const std::string& name, bool private_data,
                       std::function<Result<nlohmann::json>(const httplib::Request&,
                                                            const std::string&, int64_t)>
                           fn) {
    c.router.Get(std::string(kParkYear) + suffix, name,
                 [c, private_data, fn](const httplib::Request& req, httplib::Response& res) {
                   std::string park = req.matches[1].str();
                   const int64_t year = std::stoll(req.matches[2].str());
                   if (private_data) {
                     if (Status s = c.MayReadParkYear(req, park, year); !s.ok()) {
                       return SendProblem(res, s, req.path);
                     }
                   }
                   auto out = fn(req, park, year);
                   if (!out.ok()) return SendProblem(res, out.status(), req.path);
                   SendJson(res, *out);
                 });
  };
  park_year("/inventory", "GET /v1/parks/{id}/years/{year}/inventory", true,
            [c](const auto&, const std::string& park, int64_t year) {
              return InventoryReport(c.ledger, park, year);
            });
  park_year("/neutrality", "GET /v1/parks/{id}/years/{year}/neutrality", true,
            [c](const httplib::Request& req, const std::string& park,
                int64_t year) -> Result<nlohmann::json> {
              auto profile = ProfileParam(req);
              if (!profile.ok()) return profile.status();
              return NeutralityReport(c.ledger, park, year, *profile);
            });
  park_year("/evaluation", "GET /v1/parks/{id}/years/{year}/evaluation", true,
            [c](const auto&, const std::string& park, int64_t year) {
              return EvaluationReport(c.ledger, park, year);
            });
  park_year("/statements", "GET /v1/parks/{id}/years/{year}/statements", false,
            [c](const auto&, const std::string& park, int64_t year) -> Result<nlohmann::json> {
              auto ids = ParkStatements(c.ledger.state(), park, year);
              if (!ids.ok()) return ids.status();
              nlohmann::json list = nlohmann::json::array();
              for (const auto& id : *ids) {
                auto s = GetStatement(c.ledger, id);
                if (!s.ok()) return s.status();
                list.push_back(*s);
              }
              return nlohmann::json{{"park", park}, {"year", year}, {"statements", list}};
            });
  // The park-year's current engagement (public: who certifies whom is on the log).
  park_year("/engagement", "GET /v1/parks/{id}/years/{year}/engagement", false,
            [c](const auto&, const std::string& park, int64_t year) -> Result<nlohmann::json> {
              auto e = CurrentEngagement(c.ledger.state(), park, year);
              if (!e.ok()) return e.status();
              if (!e->has_value()) {
                return Status::NotFound(
                    "engage.none",
                    "park \"" + park + "\" " + std::to_string(year) + " engages no certifier");
              }
              return **e;
            });
  // A park's construction roadmap (public: its targets are its public commitment).
  r.Get(R"(/v1/parks/([a-z0-9][a-z0-9._-]{0,63})/roadmap)", "GET /v1/parks/{id}/roadmap",
        [c](const httplib::Request& req, httplib::Response& res) {
          auto out = RoadmapReport(c.ledger.state(), req.matches[1].str());
          if (!out.ok()) return SendProblem(res, out.status(), req.path);
          SendJson(res, *out);
        });
  // The parks and their years, and the policy profiles: what the explorer offers to look at.
  // Paged by id: ?after=<last id of the previous page>&limit=N (docs/api.md §Endpoints).
  r.Get("/v1/parks", "GET /v1/parks", [c](const httplib::Request& req, httplib::Response& res) {
    auto limit = QueryU64(req, "limit");
    if (!limit.ok()) return SendProblem(res, limit.status(), req.path);
    const uint64_t n = limit->value_or(kDefaultParkPage);
    if (n == 0 || n > kMaxParkPage) {
      return SendProblem(
          res,
          Status::InvalidArgument(
              "query.param", "query parameter limit must be 1.." + std::to_string(kMaxParkPage)),
          req.path);
    }
    const std::string after = req.get_param_value("after");
    if (!after.empty() && !IsValidAccountId(after)) {
      return SendProblem(
          res, Status::InvalidArgument("query.param", "query parameter after is not an account id"),
          req.path);
    }
    auto page = ListParks(c.ledger.state(), after, n);
    if (!page.ok()) return SendProblem(res, page.status(), req.path);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : page->parks) {
      list.push_back({{"id", p.id}, {"name", p.name}, {"region", p.region}, {"years", p.years}});
    }
    nlohmann::json out = {{"parks", list}};
    if (page->more) out["next"] = page->parks.back().id;
    SendJson(res, out);
  });
  r.Get("/v1/profiles", "GET /v1/profiles",
        [](const httplib::Request& req, httplib::Response& res) {
          nlohmann::json list = nlohmann::json::array();
          for (const auto& id : accounting::EmbeddedPolicyProfileIds()) {
            auto p = accounting::EmbeddedPolicyProfile(id);
            if (!p.ok()) return SendProblem(res, p.status(), req.path);
            list.push_back({{"id", p->id}, {"title", p->title}});
          }
          SendJson(res, {{"profiles", list}});
        });
  // What a certifier signs: the statement content computed from the ledger now.
  c.router.Get(
      std::string(kParkYear) + "/statement-draft",
      "GET /v1/parks/{id}/years/{year}/statement-draft",
      [c](const httplib::Request& req, httplib::Response& res) {
        const std::string park = req.matches[1].str();
        const int64_t year = std::stoll(req.matches[2].str());
        if (Status s = c.MayReadParkYear(req, park, year); !s.ok()) {
          return SendProblem(res, s, req.path);
        }
        auto profile = ProfileParam(req);
        if (!profile.ok()) return SendProblem(res, profile.status(), req.path);
        auto d = DraftStatement(c.ledger, park, year, *profile);
        if (!d.ok()) return SendProblem(res, d.status(), req.path);
        SendJson(res, {{"statement", d->content}, {"checkpoint_size", d->checkpoint_size}});
      });
  r.Get(R"(/v1/statements/(S\d{1,19}))", "GET /v1/statements/{id}",
        [c](const httplib::Request& req, httplib::Response& res) {
          auto s = GetStatement(c.ledger, req.matches[1].str());
          if (!s.ok()) return SendProblem(res, s.status(), req.path);
          SendJson(res, *s);
        });
  r.Get(R"(/v1/statements/(S\d{1,19})/bundle)", "GET /v1/statements/{id}/bundle",
        [c](const httplib::Request& req, httplib::Response& res) {
          // Unsigned: the public bundle (the inventory only by its commitment). Signed by a
          // reader of the park-year's private data: with the inventory document and salt.
          bool confidential = false;
          if (req.has_header("Signature")) {
            auto s = GetStatement(c.ledger, req.matches[1].str());
            if (!s.ok()) return SendProblem(res, s.status(), req.path);
            Status may = c.MayReadParkYear(req, (*s)["park"], (*s)["year"]);
            if (!may.ok()) return SendProblem(res, may, req.path);
            confidential = true;
          }
          auto b = StatementBundle(c.ledger, req.matches[1].str(), confidential);
          if (!b.ok()) return SendProblem(res, b.status(), req.path);
          auto text = CanonicalJson(*b);
          if (!text.ok()) return SendProblem(res, text.status(), req.path);
          res.set_content(*text, "application/json");
        });
}

}  // namespace carbonledger::api
