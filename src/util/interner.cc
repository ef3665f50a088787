#include "util/interner.h"

#include <utility>

#include "util/hash.h"

namespace composer {

Interner::Interner() {
  slots_.assign(64, 0);
  mask_ = 63;
}

uint32_t Interner::Probe(std::string_view s, uint32_t h) const {
  uint32_t i = h & mask_;
  for (;;) {
    const uint32_t slot = slots_[i];
    if (slot == 0) return i;
    const uint32_t id = slot - 1;
    if (hashes_[id] == h && views_[id] == s) return i;
    i = (i + 1) & mask_;
  }
}

uint32_t Interner::Find(std::string_view s) const {
  const uint32_t h = static_cast<uint32_t>(HashString(s));
  const uint32_t slot = slots_[Probe(s, h)];
  return slot == 0 ? kNone : slot - 1;
}

uint32_t Interner::Intern(std::string_view s) {
  const uint32_t h = static_cast<uint32_t>(HashString(s));
  uint32_t i = Probe(s, h);
  if (slots_[i] != 0) return slots_[i] - 1;
  const uint32_t id = static_cast<uint32_t>(views_.size());
  views_.push_back(arena_.Copy(s));
  hashes_.push_back(h);
  slots_[i] = id + 1;
  // Keep the table at most half full so probe sequences stay short.
  if (views_.size() * 2 > slots_.size()) Grow();
  return id;
}

void Interner::Grow() {
  std::vector<uint32_t> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, 0);
  mask_ = static_cast<uint32_t>(slots_.size() - 1);
  for (uint32_t slot : old) {
    if (slot == 0) continue;
    uint32_t i = hashes_[slot - 1] & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

void Interner::Reserve(size_t n) {
  views_.reserve(n);
  hashes_.reserve(n);
  while (slots_.size() < n * 2) Grow();
}

bool Interner::Adopt(std::vector<std::string_view> views, std::vector<uint32_t> hashes,
                     std::vector<uint32_t> slots) {
  const size_t n = slots.size();
  if (n < 64 || (n & (n - 1)) != 0 || views.size() != hashes.size() ||
      views.size() * 2 > n)
    return false;
  for (uint32_t slot : slots) {
    if (slot > views.size()) return false;
  }
  views_ = std::move(views);
  hashes_ = std::move(hashes);
  slots_ = std::move(slots);
  mask_ = static_cast<uint32_t>(n - 1);
  return true;
}

size_t Interner::MemoryUsed() const {
  return arena_.used() + views_.capacity() * sizeof(std::string_view) +
         hashes_.capacity() * sizeof(uint32_t) + slots_.capacity() * sizeof(uint32_t);
}

}  // namespace composer
