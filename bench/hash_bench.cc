// Hashing: xxh3 on memory buffers (HashString, the 64-bit hash behind the
// interner and hash tables; XXH3-128, the content fingerprint), and
// HashFile, the fingerprint of a file on disk (one large file, and many
// header-sized ones), both read from the page cache.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "bench_support.h"
#include "util/hash.h"

namespace {

std::string Buffer(size_t size) {
  std::string s(size, '\0');
  composer_bench::Random rng(5);
  for (char& c : s) c = static_cast<char>(' ' + rng.Below(95));
  return s;
}

void BM_HashString(benchmark::State& state) {
  const std::string buffer = Buffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(composer::HashString(buffer));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buffer.size()));
}
BENCHMARK(BM_HashString)->Arg(16)->Arg(64)->Arg(4 << 10)->Arg(1 << 20);

void BM_XXH3_128(benchmark::State& state) {
  const std::string buffer = Buffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    XXH128_hash_t h = XXH3_128bits(buffer.data(), buffer.size());
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buffer.size()));
}
BENCHMARK(BM_XXH3_128)->Arg(4 << 10)->Arg(1 << 20);

struct LargeFile {
  composer_bench::ScratchDir dir;
  std::string path = dir.Join("large.bin");
  size_t size = composer_bench::Scaled(64 << 20, 1 << 20);
  LargeFile() { composer_bench::WriteFileOrDie(path, Buffer(size)); }
};

void BM_HashFileLarge(benchmark::State& state) {
  static const LargeFile file;
  for (auto _ : state) {
    composer::Hash128 hash;
    std::string err;
    if (!composer::HashFile(file.path, &hash, &err)) {
      state.SkipWithError(err.c_str());
      return;
    }
    benchmark::DoNotOptimize(hash);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file.size));
}
BENCHMARK(BM_HashFileLarge)->Unit(benchmark::kMillisecond);

struct HeaderFiles {
  composer_bench::ScratchDir dir;
  std::vector<std::string> paths;
  size_t bytes = 0;
  HeaderFiles() {
    const size_t count = composer_bench::Scaled(2000);
    composer_bench::Random rng(11);
    for (size_t i = 0; i < count; ++i) {
      paths.push_back(
          dir.Join("h" + std::to_string(i % 50) + "/header_" + std::to_string(i) + ".h"));
      const size_t size = 512 + rng.Below(8192);  // headers: a few KB
      composer_bench::WriteFileOrDie(paths.back(), Buffer(size));
      bytes += size;
    }
  }
};

void BM_HashFileHeaders(benchmark::State& state) {
  static const HeaderFiles files;
  for (auto _ : state) {
    for (const std::string& path : files.paths) {
      composer::Hash128 hash;
      std::string err;
      if (!composer::HashFile(path, &hash, &err)) {
        state.SkipWithError(err.c_str());
        return;
      }
      benchmark::DoNotOptimize(hash);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * files.paths.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * files.bytes));
}
BENCHMARK(BM_HashFileHeaders)->Unit(benchmark::kMillisecond);

}  // namespace
