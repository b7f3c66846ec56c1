#include "api/metrics.h"

#include <sstream>

#include "ledger/log/ledger.h"

namespace carbonledger {
namespace {
constexpr double kLatencyBounds[12] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                       0.05,   0.1,   0.25,   0.5,   1,    2.5};
}  // namespace

void Metrics::ObserveRequest(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  requests_[{route, status}]++;
  Histogram& h = latency_[route];
  for (size_t i = 0; i < 12; ++i) {
    if (seconds <= kLatencyBounds[i]) {
      h.buckets[i]++;
      break;
    }
  }
  h.count++;
  h.sum += seconds;
}

std::string Metrics::Render(const Ledger& ledger) const {
  std::ostringstream out;
  {
    std::lock_guard lock(mu_);
    out << "# HELP carbonledger_http_requests_total HTTP requests by route and status.\n"
           "# TYPE carbonledger_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out << "carbonledger_http_requests_total{route=\"" << key.first << "\",status=\""
          << key.second << "\"} " << n << "\n";
    }
    out << "# HELP carbonledger_http_request_seconds HTTP request latency by route.\n"
           "# TYPE carbonledger_http_request_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < 12; ++i) {
        cumulative += h.buckets[i];
        out << "carbonledger_http_request_seconds_bucket{route=\"" << route << "\",le=\""
            << kLatencyBounds[i] << "\"} " << cumulative << "\n";
      }
      out << "carbonledger_http_request_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
          << h.count << "\n"
          << "carbonledger_http_request_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
          << "carbonledger_http_request_seconds_count{route=\"" << route << "\"} " << h.count
          << "\n";
    }
  }
  Ledger::Stats st = ledger.stats();
  out << "# HELP carbonledger_commit_batch_entries Entries per synced group commit.\n"
         "# TYPE carbonledger_commit_batch_entries histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < st.batch_buckets.size(); ++i) {
    cumulative += st.batch_buckets[i];
    out << "carbonledger_commit_batch_entries_bucket{le=\"" << (uint64_t(1) << i) << "\"} "
        << cumulative << "\n";
  }
  out << "carbonledger_commit_batch_entries_bucket{le=\"+Inf\"} " << st.batches << "\n"
      << "carbonledger_commit_batch_entries_sum " << st.entries << "\n"
      << "carbonledger_commit_batch_entries_count " << st.batches << "\n"
      << "# HELP carbonledger_ledger_entries Entries in the log.\n"
         "# TYPE carbonledger_ledger_entries gauge\n"
      << "carbonledger_ledger_entries " << ledger.size() << "\n"
      << "# HELP carbonledger_transactions_refused_total Transactions refused by the rules.\n"
         "# TYPE carbonledger_transactions_refused_total counter\n"
      << "carbonledger_transactions_refused_total " << st.refused << "\n"
      << "# HELP carbonledger_store_writable 1 while the store accepts writes.\n"
         "# TYPE carbonledger_store_writable gauge\n"
      << "carbonledger_store_writable " << (ledger.health().ok() ? 1 : 0) << "\n"
      << "# HELP carbonledger_store_write_failures_total Synced writes the store refused.\n"
         "# TYPE carbonledger_store_write_failures_total counter\n"
      << "carbonledger_store_write_failures_total " << st.store_failures << "\n"
      << "# HELP carbonledger_store_recoveries_total Reopenings after which the store took "
         "writes again.\n"
         "# TYPE carbonledger_store_recoveries_total counter\n"
      << "carbonledger_store_recoveries_total " << st.store_recoveries << "\n";
  return out.str();
}

}  // namespace carbonledger
