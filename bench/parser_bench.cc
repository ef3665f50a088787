// Manifest parsing into a Graph: ManifestParser::ParseString over a generated
// Chromium-style manifest (lexing, grammar, path canonicalisation, interning,
// edge records), with and without the reverse index (Graph::FinishLoading).
// Each iteration builds a fresh Graph and destroys it.
#include <string>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "graph/graph.h"
#include "parse/manifest_parser.h"
#include "util/file_system.h"

namespace {

struct Input {
  std::string text;
  size_t statements = 0;
};

const Input& Manifest() {
  static const Input input = [] {
    Input in;
    in.text =
        composer_bench::FakeManifest(composer_bench::Scaled(300, 4), &in.statements);
    return in;
  }();
  return input;
}

void Parse(benchmark::State& state, bool finish) {
  const Input& input = Manifest();
  composer::RealFileSystem fs;
  composer::ManifestParserOptions options;
  options.quiet = true;
  for (auto _ : state) {
    composer::Graph graph;
    composer::ManifestParser parser(&graph, &fs, options);
    std::string err;
    if (!parser.ParseString("build.ninja", input.text, &err)) {
      state.SkipWithError(err.c_str());
      return;
    }
    if (finish) graph.FinishLoading();
    benchmark::DoNotOptimize(graph.edge_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * input.statements));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.text.size()));
  state.counters["statements"] = static_cast<double>(input.statements);
}

void BM_ParseManifest(benchmark::State& state) {
  Parse(state, false);
}
void BM_ParseManifestAndIndex(benchmark::State& state) {
  Parse(state, true);
}
BENCHMARK(BM_ParseManifest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseManifestAndIndex)->Unit(benchmark::kMillisecond);

}  // namespace
