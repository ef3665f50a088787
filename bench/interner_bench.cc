// Path interning (util/interner.h): filling a fresh Interner with distinct
// Chromium-shaped paths, interning paths it already holds (what the loader
// does for every repeated input), and Find on a mix of hits and misses.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "util/interner.h"

namespace {

const std::vector<std::string>& Paths() {
  static const std::vector<std::string> paths =
      composer_bench::ChromiumPaths(composer_bench::Scaled(200000));
  return paths;
}

// Paths in the same shape that the interner does not hold.
const std::vector<std::string>& OtherPaths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> p = composer_bench::ChromiumPaths(Paths().size(), 99);
    for (std::string& s : p) s += ".missing";
    return p;
  }();
  return paths;
}

void SetCounters(benchmark::State& state, size_t per_iteration) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * per_iteration));
  state.counters["paths"] = static_cast<double>(per_iteration);
}

void BM_InternNew(benchmark::State& state) {
  const auto& paths = Paths();
  for (auto _ : state) {
    composer::Interner interner;
    for (const std::string& p : paths) benchmark::DoNotOptimize(interner.Intern(p));
  }
  SetCounters(state, paths.size());
}
BENCHMARK(BM_InternNew)->Unit(benchmark::kMillisecond);

void BM_InternExisting(benchmark::State& state) {
  const auto& paths = Paths();
  composer::Interner interner;
  for (const std::string& p : paths) interner.Intern(p);
  for (auto _ : state) {
    for (const std::string& p : paths) benchmark::DoNotOptimize(interner.Intern(p));
  }
  SetCounters(state, paths.size());
}
BENCHMARK(BM_InternExisting)->Unit(benchmark::kMillisecond);

void BM_FindHalfMissing(benchmark::State& state) {
  const auto& paths = Paths();
  const auto& others = OtherPaths();
  composer::Interner interner;
  for (const std::string& p : paths) interner.Intern(p);
  for (auto _ : state) {
    for (size_t i = 0; i < paths.size(); ++i)
      benchmark::DoNotOptimize(interner.Find(i % 2 ? others[i] : paths[i]));
  }
  SetCounters(state, paths.size());
}
BENCHMARK(BM_FindHalfMissing)->Unit(benchmark::kMillisecond);

}  // namespace
