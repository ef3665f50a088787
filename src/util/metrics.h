// -d stats: counts and times of the operations that dominate a build's own
// overhead (parsing, stat, hashing, log loads), printed at the end.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace composer {

struct Metric {
  const char* name;
  int64_t count = 0;
  int64_t total_micros = 0;
};

class Metrics {
 public:
  // Null unless -d stats is on, so an unmeasured build pays one branch.
  static Metrics* Get();
  static void Enable();
  Metric* Find(const char* name);
  void Report() const;

 private:
  std::vector<Metric> metrics_;
};

// Times the enclosing scope into the named metric.
class ScopedMetric {
 public:
  explicit ScopedMetric(const char* name);
  ~ScopedMetric();

 private:
  Metric* metric_ = nullptr;
  int64_t start_ = 0;
};

}  // namespace composer
