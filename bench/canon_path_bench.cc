// Path canonicalisation (util/canon_path.h) in place: paths that are already
// canonical (nearly every path in a generated manifest) and paths with "./",
// "../" and doubled slashes (depfiles of out-of-tree builds).
#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "util/canon_path.h"

namespace {

std::vector<std::string> CleanPaths() {
  return composer_bench::ChromiumPaths(composer_bench::Scaled(50000));
}

std::vector<std::string> MessyPaths() {
  std::vector<std::string> paths = CleanPaths();
  composer_bench::Random rng(3);
  for (std::string& p : paths) {
    switch (rng.Below(4)) {
      case 0:
        p = "../../" + p;  // Chromium's out/Default view of the source tree
        break;
      case 1:
        p.insert(p.find('/') + 1, "./");
        break;
      case 2:
        p.insert(p.find('/') + 1, "gen/../");
        break;
      default:
        p.insert(p.find('/'), "/");
        break;
    }
  }
  return paths;
}

void Canonicalize(benchmark::State& state, const std::vector<std::string>& paths) {
  size_t bytes = 0;
  for (const std::string& p : paths) bytes += p.size();
  char buffer[1024];
  for (auto _ : state) {
    for (const std::string& p : paths) {
      memcpy(buffer, p.data(), p.size());
      size_t len = p.size();
      composer::CanonicalizePath(buffer, &len);
      benchmark::DoNotOptimize(len);
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * paths.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_CanonicalizeClean(benchmark::State& state) {
  static const std::vector<std::string> paths = CleanPaths();
  Canonicalize(state, paths);
}
BENCHMARK(BM_CanonicalizeClean)->Unit(benchmark::kMicrosecond);

void BM_CanonicalizeMessy(benchmark::State& state) {
  static const std::vector<std::string> paths = MessyPaths();
  Canonicalize(state, paths);
}
BENCHMARK(BM_CanonicalizeMessy)->Unit(benchmark::kMicrosecond);

}  // namespace
