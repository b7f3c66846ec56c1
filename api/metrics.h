// Metrics: Prometheus text exposition for /metrics — requests by route and status, request
// latency histograms per route, group-commit batch sizes and ledger size.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace carbonledger {

class Ledger;

class Metrics {
 public:
  void ObserveRequest(const std::string& route, int status, double seconds);
  std::string Render(const Ledger& ledger) const;

 private:
  struct Histogram {
    uint64_t buckets[12] = {};  // cumulative on render; bounds in kLatencyBounds
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace carbonledger
