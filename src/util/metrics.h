// -d stats: counts and times of the operations that dominate a build's own
// overhead (parsing, stat, hashing, log loads), printed at the end.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace composer {

// Updated from any thread (log loads and stats run on several).
struct Metric {
  explicit Metric(const char* metric_name) : name(metric_name) {}
  const char* name;
  std::atomic<int64_t> count{0};
  std::atomic<int64_t> total_micros{0};
};

class Metrics {
 public:
  // Null unless -d stats is on, so an unmeasured build pays one branch.
  static Metrics* Get();
  static void Enable();
  Metric* Find(const char* name);
  void Report() const;

 private:
  std::mutex mutex_;
  std::deque<Metric> metrics_;  // a deque keeps handed-out pointers valid
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
