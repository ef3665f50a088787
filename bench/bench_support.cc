#include "bench_support.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace composer_bench {

namespace {
double g_scale = 1.0;
}  // namespace

double Scale() {
  return g_scale;
}

void SetScale(double scale) {
  g_scale = scale;
}

size_t Scaled(size_t n, size_t floor) {
  const double scaled = static_cast<double>(n) * g_scale;
  return std::max(floor, static_cast<size_t>(scaled));
}

uint64_t Random::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint32_t Random::Skewed(uint32_t n) {
  // The smaller of two uniform picks: density falls linearly with the value.
  return std::min(Below(n), Below(n));
}

namespace {

const char* const kWords[] = {
    "accessibility", "address",    "allocator",  "animation",  "apps",       "audio",
    "autofill",      "background", "blink",      "bookmarks",  "browser",    "buffer",
    "cache",         "canvas",     "capture",    "cast",       "cert",       "channel",
    "clipboard",     "codec",      "color",      "command",    "compositor", "config",
    "content",       "cookie",     "crash",      "crypto",     "cursor",     "data",
    "database",      "decoder",    "device",     "display",    "dns",        "download",
    "editing",       "encoder",    "event",      "extension",  "feature",    "file",
    "filter",        "font",       "frame",      "geometry",   "gesture",    "gpu",
    "graphics",      "handle",     "history",    "host",       "http",       "image",
    "input",         "ipc",        "keyboard",   "layer",      "layout",     "loader",
    "locale",        "manager",    "media",      "memory",     "message",    "metrics",
    "model",         "mojo",       "navigation", "net",        "network",    "observer",
    "origin",        "paint",      "password",   "permission", "platform",   "policy",
    "printing",      "process",    "profile",    "proxy",      "quic",       "quota",
    "raster",        "render",     "resource",   "scheduler",  "screen",     "script",
    "security",      "service",    "session",    "settings",   "socket",     "storage",
    "stream",        "surface",    "sync",       "task",       "text",       "thread",
    "timer",         "trace",      "url",        "util",       "video",      "view",
    "web",           "widget",     "window",     "worker",
};
constexpr uint32_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

const char* const kTopDirs[] = {"base",   "net",    "ui",         "content",  "media",
                                "gpu",    "cc",     "components", "services", "storage",
                                "device", "chrome", "third_party"};
constexpr uint32_t kTopCount = sizeof(kTopDirs) / sizeof(kTopDirs[0]);

}  // namespace

const char* Word(uint32_t i) {
  return kWords[i % kWordCount];
}

std::vector<std::string> ChromiumPaths(size_t count, uint64_t seed) {
  Random rng(seed);
  static const char* const kKinds[][2] = {
      {"out/obj/", ".o"},          {"src/", ".h"}, {"src/", ".cc"}, {"out/gen/", ".pb.h"},
      {"out/resources/", ".json"}, {"src/", ".h"}};
  // About 15 files per directory, as in a source tree.
  struct Dir {
    std::string path;
    const char* ext;
  };
  std::vector<Dir> dirs;
  const size_t dir_count = std::max<size_t>(4, count / 15);
  for (size_t i = 0; i < dir_count; ++i) {
    const auto& kind = kKinds[rng.Below(6)];
    std::string d = kind[0];
    d += kTopDirs[rng.Skewed(kTopCount)];
    d += '/';
    d += Word(rng.Below(kWordCount));
    d += '/';
    d += Word(rng.Below(kWordCount));
    d += '_';
    d += std::to_string(i);
    dirs.push_back({std::move(d), kind[1]});
  }
  std::vector<std::string> paths;
  paths.reserve(count);
  std::unordered_set<std::string> seen;
  while (paths.size() < count) {
    const Dir& dir = dirs[rng.Below(static_cast<uint32_t>(dirs.size()))];
    std::string p = dir.path;
    p += '/';
    p += Word(rng.Below(kWordCount));
    p += '_';
    p += Word(rng.Below(kWordCount));
    p += dir.ext;
    if (seen.insert(p).second) paths.push_back(std::move(p));
  }
  return paths;
}

std::string FakeManifest(size_t targets, size_t* statements) {
  Random rng(7);
  size_t count = 0;
  std::string m;
  m.reserve(targets * 9000);
  m += "ninja_required_version = 1.7.2\n"
       "fake = tools/fake_tool\n"
       "cxx = $fake cc\n"
       "ar = $fake ar\n"
       "root_defines = -DUSE_AURA=1 -DUSE_OZONE=1 -D_FILE_OFFSET_BITS=64 -DNDEBUG "
       "-D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS -D_FORTIFY_SOURCE=2\n"
       "root_cflags = -fno-strict-aliasing -fstack-protector -funwind-tables -fPIC "
       "-pthread -O2 -fdata-sections -ffunction-sections -Wall -Wextra -Werror\n"
       "pool link_pool\n  depth = 2\n"
       "rule cxx\n"
       "  command = $cxx -MMD -MF $out.d $root_defines $defines $include_dirs "
       "$root_cflags $cflags $cflags_cc -c $in -o $out\n"
       "  description = CXX $out\n  depfile = $out.d\n  deps = gcc\n"
       "rule alink\n  command = $ar -o $out $in\n  description = AR $out\n"
       "rule stamp\n  command = $fake stamp $out\n  description = STAMP $out\n";
  std::vector<std::string> stamps;
  for (size_t t = 0; t < targets; ++t) {
    const std::string name =
        std::string(Word(static_cast<uint32_t>(t))) + "_" + std::to_string(t);
    const std::string dir = std::string(kTopDirs[t * kTopCount / targets]) + "/" +
                            Word(static_cast<uint32_t>(t / 15)) + "/" + name;
    m += "defines = -DCOMPONENT_" + name +
         "_IMPLEMENTATION -DTARGET_INDEX=" + std::to_string(t) + "\n";
    m +=
        "include_dirs = -Isrc -Iout/gen -Isrc/" + dir + " -Isrc/third_party/abseil-cpp\n";
    m += "cflags_cc = -std=c++20 -fno-exceptions -fno-rtti -fvisibility-inlines-hidden\n";
    std::string order_only;
    for (int d = 0; d < 3 && !stamps.empty(); ++d)
      order_only += " " + stamps[rng.Skewed(static_cast<uint32_t>(stamps.size()))];
    if (!order_only.empty()) order_only = " ||" + order_only;
    std::string objs;
    const uint32_t sources = 20 + rng.Below(25);
    for (uint32_t s = 0; s < sources; ++s) {
      const std::string stem = std::string(Word(rng.Below(kWordCount))) + "_" +
                               Word(rng.Below(kWordCount)) + "_" + std::to_string(s);
      const std::string obj = "out/obj/" + dir + "/" + stem + ".o";
      m += "build " + obj + ": cxx src/" + dir + "/" + stem + ".cc" + order_only + "\n";
      m += "  source_file_part = " + stem + ".cc\n  source_name_part = " + stem + "\n";
      objs += " " + obj;
      ++count;
    }
    const std::string lib = "out/obj/" + dir + "/lib" + name + ".a";
    const std::string stamp = "out/obj/" + dir + ".stamp";
    m += "build " + lib + ": alink" + objs + "\n";
    m += "build " + stamp + ": stamp " + lib + order_only + "\n";
    m += "build " + name + ": phony " + stamp + "\n\n";
    count += 3;
    stamps.push_back(stamp);
  }
  m += "build all: phony";
  for (const std::string& s : stamps) m += " " + s;
  m += "\ndefault all\n";
  ++count;
  if (statements) *statements = count;
  return m;
}

ScratchDir::ScratchDir() {
  const char* tmp = getenv("TMPDIR");
  std::string pattern =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/composer-bench-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    perror("mkdtemp");
    abort();
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFileOrDie(const std::string& path, const std::string& contents) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (!out) {
    fprintf(stderr, "cannot write %s\n", path.c_str());
    abort();
  }
}

}  // namespace composer_bench
