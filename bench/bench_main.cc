// main() for every benchmark binary: Google Benchmark's flags, plus
// --composer_bench_scale=F, which multiplies the benchmarks' input sizes
// (the CI smoke test runs them at a small scale).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <benchmark/benchmark.h>

#include "bench_support.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  static const char kScale[] = "--composer_bench_scale=";
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], kScale, sizeof(kScale) - 1) == 0) {
      char* end = nullptr;
      const double scale = strtod(argv[i] + sizeof(kScale) - 1, &end);
      if (!end || *end != '\0' || !(scale > 0)) {
        fprintf(stderr, "%s: bad %s\n", argv[0], argv[i]);
        return 1;
      }
      composer_bench::SetScale(scale);
    } else {
      fprintf(stderr, "%s: unknown argument %s\n", argv[0], argv[i]);
      return 1;
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
