#include "util/metrics.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace composer {

namespace {

std::unique_ptr<Metrics> g_metrics;

int64_t NowMicros() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace

Metrics* Metrics::Get() {
  return g_metrics.get();
}

void Metrics::Enable() {
  if (!g_metrics) g_metrics = std::make_unique<Metrics>();
}

Metric* Metrics::Find(const char* name) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Metric& metric : metrics_) {
    if (strcmp(metric.name, name) == 0) return &metric;
  }
  return &metrics_.emplace_back(name);
}

void Metrics::Report() const {
  int width = 6;
  for (const Metric& metric : metrics_)
    width = std::max(width, static_cast<int>(strlen(metric.name)));
  printf("%-*s\t%-6s\t%-9s\t%s\n", width, "metric", "count", "avg (us)", "total (ms)");
  for (const Metric& metric : metrics_) {
    const double average =
        metric.count ? metric.total_micros / static_cast<double>(metric.count) : 0;
    printf("%-*s\t%-6lld\t%-8.1f\t%.1f\n", width, metric.name,
           static_cast<long long>(metric.count), average, metric.total_micros / 1000.0);
  }
}

ScopedMetric::ScopedMetric(const char* name) {
  Metrics* metrics = Metrics::Get();
  if (!metrics) return;
  metric_ = metrics->Find(name);
  start_ = NowMicros();
}

ScopedMetric::~ScopedMetric() {
  if (!metric_) return;
  ++metric_->count;
  metric_->total_micros += NowMicros() - start_;
}

}  // namespace composer
