// RealFileSystem::Stat over a tree of files shaped like a source checkout
// (what a no-op build does for every node), and over paths that do not exist
// (outputs of a clean build).
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "util/file_system.h"

namespace {

struct Tree {
  composer_bench::ScratchDir dir;
  std::vector<std::string> files;
  std::vector<std::string> missing;
  Tree() {
    for (const std::string& p :
         composer_bench::ChromiumPaths(composer_bench::Scaled(20000))) {
      files.push_back(dir.Join(p));
      composer_bench::WriteFileOrDie(files.back(), "x\n");
      missing.push_back(dir.Join(p + ".missing"));
    }
  }
};

Tree& GetTree() {
  static Tree tree;
  return tree;
}

void StatAll(benchmark::State& state, const std::vector<std::string>& paths, bool exist) {
  composer::RealFileSystem fs;
  for (auto _ : state) {
    for (const std::string& p : paths) {
      std::string err;
      const composer::FileStat st = fs.Stat(p, &err);
      if (st.exists() != exist) {
        state.SkipWithError(("unexpected stat result for " + p).c_str());
        return;
      }
      benchmark::DoNotOptimize(st);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * paths.size()));
  state.counters["files"] = static_cast<double>(paths.size());
}

void BM_StatExisting(benchmark::State& state) {
  StatAll(state, GetTree().files, true);
}
void BM_StatMissing(benchmark::State& state) {
  StatAll(state, GetTree().missing, false);
}
BENCHMARK(BM_StatExisting)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StatMissing)->Unit(benchmark::kMillisecond);

}  // namespace
