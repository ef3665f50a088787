// Shared pieces of the micro-benchmarks in bench/*_bench.cc: synthetic
// Chromium-like paths and manifests, a scratch directory, and the size scale
// that lets the CI smoke test run every benchmark on small inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace composer_bench {

// Input sizes are multiplied by this (--composer_bench_scale=F on the
// command line of any benchmark binary; default 1). Never below `floor`.
double Scale();
void SetScale(double scale);
size_t Scaled(size_t n, size_t floor = 16);

// A small deterministic generator (splitmix64), so every run and every
// binary sees the same inputs.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // In [0, n).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }
  // In [0, n), low values favoured.
  uint32_t Skewed(uint32_t n);

 private:
  uint64_t state_;
};

// A word from a fixed list of ~100 (Chromium-ish directory and file words).
const char* Word(uint32_t i);

// `count` distinct canonical paths shaped like a Chromium build's:
// "out/obj/content/browser/cookie_manager_12/frame_render.o",
// "src/base/memory/ref_counted.h", "out/gen/.../x.pb.h" ...
std::vector<std::string> ChromiumPaths(size_t count, uint64_t seed = 1);

// A flat manifest (no include/subninja) in the style bench/gen_manifests.py
// writes: root variables and rules, then per target compile edges with
// per-edge bindings and order-only stamps, a static library, a stamp and a
// phony alias. `statements` receives the number of build statements.
std::string FakeManifest(size_t targets, size_t* statements);

// A directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `contents` to `path`, creating parent directories; aborts on error.
void WriteFileOrDie(const std::string& path, const std::string& contents);

}  // namespace composer_bench
