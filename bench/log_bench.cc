// Loading the build directory's logs: a .ninja_log and a .ninja_deps the
// size of a large Chromium-shaped build (by default 90k outputs; 45k objects
// with 56 headers each out of 6k), written first with Composer's own
// BuildLog and DepsLog, then read back by Load each iteration.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "graph/graph.h"
#include "state/build_log.h"
#include "state/deps_log.h"
#include "util/hash.h"

namespace {

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

struct BuildLogFile {
  composer_bench::ScratchDir dir;
  std::string path = dir.Join(".ninja_log");
  size_t entries = 0;
  std::vector<std::string> outputs;
  BuildLogFile() {
    outputs = composer_bench::ChromiumPaths(composer_bench::Scaled(90000));
    composer::Graph graph;
    composer::BuildLog log;
    std::string err;
    if (!log.OpenForWrite(
            path, [](std::string_view) { return false; }, &err))
      abort();
    int32_t t = 0;
    for (const std::string& out : outputs) {
      const composer::NodeId node = graph.GetNode(out);
      const uint64_t hash = log.HashCommand("tools/fake_tool cc -o " + out);
      if (!log.RecordCommand(graph, std::span<const composer::NodeId>(&node, 1), hash, t,
                             t + 40, 1700000000000000000 + t, &err)) {
        fprintf(stderr, "%s\n", err.c_str());
        abort();
      }
      t += 3;
      ++entries;
    }
    log.Close();
  }
};

BuildLogFile& GetBuildLog() {
  static BuildLogFile file;
  return file;
}

// Arg 0: the load alone. Arg 1: load plus attaching the entries to a
// graph's nodes, as a build does.
void BM_BuildLogLoad(benchmark::State& state) {
  BuildLogFile& file = GetBuildLog();
  const bool bind = state.range(0) != 0;
  composer::Graph graph;
  if (bind)
    for (const std::string& out : file.outputs) graph.GetNode(out);
  for (auto _ : state) {
    composer::BuildLog log;
    std::string err;
    if (log.Load(file.path, &err) != composer::LoadStatus::kSuccess || !err.empty()) {
      state.SkipWithError(("load failed: " + err).c_str());
      return;
    }
    if (bind) log.BindToGraph(graph);
    benchmark::DoNotOptimize(log.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * file.entries));
  state.SetBytesProcessed(state.iterations() * FileSize(file.path));
  state.counters["entries"] = static_cast<double>(file.entries);
}
BENCHMARK(BM_BuildLogLoad)
    ->ArgName("bind")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

struct DepsLogFile {
  composer_bench::ScratchDir dir;
  std::string path = dir.Join(".ninja_deps");
  size_t records = 0;
  size_t deps = 0;
  DepsLogFile() {
    const size_t objects = composer_bench::Scaled(45000);
    const size_t headers = composer_bench::Scaled(6000);
    const std::vector<std::string> paths =
        composer_bench::ChromiumPaths(objects + headers);
    composer::Graph graph;
    std::vector<composer::NodeId> header_nodes;
    for (size_t i = objects; i < paths.size(); ++i)
      header_nodes.push_back(graph.GetNode(paths[i]));
    composer::DepsLog log;
    std::string err;
    if (!log.OpenForWrite(
            path, [](composer::NodeId) { return true; }, graph, &err))
      abort();
    composer_bench::Random rng(13);
    std::vector<composer::NodeId> inputs;
    for (size_t i = 0; i < objects; ++i) {
      const composer::NodeId out = graph.GetNode(paths[i]);
      inputs.clear();
      const size_t n = 40 + rng.Below(33);  // 56 on average
      for (size_t k = 0; k < n; ++k)
        inputs.push_back(
            header_nodes[rng.Skewed(static_cast<uint32_t>(header_nodes.size()))]);
      if (!log.RecordDeps(graph, out, 1700000000000000000 + static_cast<int64_t>(i),
                          inputs, &err)) {
        fprintf(stderr, "%s\n", err.c_str());
        abort();
      }
      ++records;
      deps += n;
    }
    log.Close();
  }
};

DepsLogFile& GetDepsLog() {
  static DepsLogFile file;
  return file;
}

void BM_DepsLogLoad(benchmark::State& state) {
  DepsLogFile& file = GetDepsLog();
  for (auto _ : state) {
    // Load creates a node for every path the log names: a fresh graph each time.
    composer::Graph graph;
    composer::DepsLog log;
    std::string err;
    if (log.Load(file.path, &graph, &err) != composer::LoadStatus::kSuccess ||
        !err.empty()) {
      state.SkipWithError(("load failed: " + err).c_str());
      return;
    }
    benchmark::DoNotOptimize(graph.node_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * file.records));
  state.SetBytesProcessed(state.iterations() * FileSize(file.path));
  state.counters["records"] = static_cast<double>(file.records);
  state.counters["deps_per_record"] =
      static_cast<double>(file.deps) / static_cast<double>(file.records);
}
BENCHMARK(BM_DepsLogLoad)->Unit(benchmark::kMillisecond);

}  // namespace
