// composer -t npm on a synthetic workspace: 500 packages (scaled), each with
// three scripts, a tsconfig.json, up to three workspace dependencies and
// twenty source files, outside git (so the files are found by walking, the
// slower path). The issue's target is under 1 s for 500 packages.
#include <cstdio>
#include <string>

#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "gen/npm_generator.h"

namespace {

struct Workspace {
  composer_bench::ScratchDir dir;
  size_t packages = composer_bench::Scaled(500, 8);
  Workspace() {
    composer_bench::WriteFileOrDie(dir.Join("package.json"),
                                   R"({"private": true, "workspaces": ["packages/*"]})");
    composer_bench::WriteFileOrDie(dir.Join("package-lock.json"), "{}");
    composer_bench::Random random(7);
    for (size_t i = 0; i < packages; ++i) {
      char name[32];
      snprintf(name, sizeof name, "p%04zu", i);
      const std::string package = dir.Join(std::string("packages/") + name);
      std::string deps;
      for (size_t d = 0; i > 0 && d < 3; ++d) {
        char dep[32];
        snprintf(dep, sizeof dep, "p%04u", random.Below(static_cast<uint32_t>(i)));
        deps += std::string(deps.empty() ? "" : ", ") + "\"" + dep + "\": \"*\"";
      }
      composer_bench::WriteFileOrDie(
          package + "/package.json",
          std::string(R"({"name": ")") + name +
              R"(", "main": "dist/index.js", "dependencies": {)" + deps +
              R"(}, "scripts": {"build": "tsc", "test": "node --test", "lint": "eslint ."}})");
      composer_bench::WriteFileOrDie(package + "/tsconfig.json",
                                     R"({"compilerOptions": {"outDir": "dist"}})");
      for (int f = 0; f < 20; ++f)
        composer_bench::WriteFileOrDie(package + "/src/f" + std::to_string(f) + ".ts",
                                       "export {};\n");
    }
  }
};

void BM_NpmGenerate(benchmark::State& state) {
  static Workspace workspace;
  composer::NpmGeneratorOptions options;
  options.root = workspace.dir.path();
  options.self = "/usr/bin/composer";
  for (auto _ : state) {
    composer::NpmGeneratorReport report;
    std::string err;
    if (!composer::GenerateNpmBuild(options, &report, &err)) {
      state.SkipWithError(err.c_str());
      return;
    }
    benchmark::DoNotOptimize(report);
  }
  state.counters["packages"] = static_cast<double>(workspace.packages);
  state.counters["packages/s"] =
      benchmark::Counter(static_cast<double>(workspace.packages),
                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_NpmGenerate)->Unit(benchmark::kMillisecond);

}  // namespace
