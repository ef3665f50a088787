// What the store keeps under an action key (doc/formats.md, "Cache entries"):
//
// - a result: every output (path relative to the build directory, mode
//   bits, size, blob digest; the bytes themselves when the output is small),
//   the dependencies the command discovered, its captured output (replayed
//   on a hit) and how long it ran;
// - or, under a first-level key of an edge with discovered dependencies,
//   the lists of those dependencies that runs stored (newest first, a few
//   at most), whose contents make the second-level keys: one per set of
//   headers the same sources were built with, as on two branches.
//
// Parse validates what it reads (a store is shared): output paths must stay
// inside the build directory, counts and sizes are bounded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cache/sha256.h"

namespace composer {

struct ActionEntry {
  enum class Kind : uint8_t { kResult = 1, kDiscovered = 2 };
  Kind kind = Kind::kResult;

  // In Output::mode beside the permission bits: the blob is a depfile with
  // the base directory written as "$B" (ActionCache::Normalize).
  static constexpr uint32_t kRelocated = 0x10000;
  // A directory of an output tree (`outdirs`): no blob, restored empty and
  // filled by the outputs below it.
  static constexpr uint32_t kDirectory = 0x20000;
  // A symbolic link; its blob is the link's target.
  static constexpr uint32_t kSymlink = 0x40000;
  // The bytes are in the entry (`data`), not in a blob: a small output is
  // restored without opening another file or fetching another URL.
  static constexpr uint32_t kInline = 0x80000;
  static constexpr uint64_t kMaxInlineBytes = 4096;
  struct Output {
    std::string path;      // relative to the build directory
    uint32_t mode = 0644;  // permission bits, | kRelocated | kInline ...
    uint64_t size = 0;
    Digest digest;
    std::string data;  // with kInline: the bytes (Parse checks the digest)
  };
  std::vector<Output> outputs;
  // Discovered dependencies as the key names them (see ActionKeys::KeyPath).
  std::vector<std::string> deps;
  // Of a list entry: the lists earlier runs stored, newest first, tried
  // after `deps`.
  std::vector<std::vector<std::string>> older_deps;
  static constexpr size_t kMaxDepsLists = 4;
  std::string output;
  uint64_t duration_ms = 0;

  std::string Serialize() const;
  bool Parse(const std::string& data, std::string* err);
};

// A relative path that stays below its directory: no "..", no empty or "."
// components, not absolute.
bool IsContainedRelativePath(const std::string& path);

}  // namespace composer
