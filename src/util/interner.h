// Interns strings to dense 32-bit ids: each distinct string is stored once in
// an arena and found again through an open-addressing table.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/arena.h"

namespace composer {

class Interner {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  Interner();

  // The id of `s`, adding it when it is new.
  uint32_t Intern(std::string_view s);
  // The id of `s`, or kNone.
  uint32_t Find(std::string_view s) const;

  std::string_view Get(uint32_t id) const { return views_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(views_.size()); }
  void Reserve(size_t n);

  size_t MemoryUsed() const;

  // The table itself, for the graph image (src/parse/graph_image.h), which
  // writes it out and adopts it again without rehashing: strings the views
  // point at must outlive the interner; later strings go to its arena.
  const std::vector<std::string_view>& views() const { return views_; }
  const std::vector<uint32_t>& hashes() const { return hashes_; }
  const std::vector<uint32_t>& slots() const { return slots_; }
  // False (and nothing changed) unless the parts are consistent in size.
  bool Adopt(std::vector<std::string_view> views, std::vector<uint32_t> hashes,
             std::vector<uint32_t> slots);

 private:
  void Grow();
  // Slot holding `s` (hash `h`), or the empty slot where it would go.
  uint32_t Probe(std::string_view s, uint32_t h) const;

  Arena arena_;
  std::vector<std::string_view> views_;
  std::vector<uint32_t> hashes_;  // low 32 bits of each string's hash
  std::vector<uint32_t> slots_;   // id + 1, or 0 for an empty slot
  uint32_t mask_ = 0;
};

}  // namespace composer
