// Fast non-cryptographic hashing (xxh3) for hash tables and change detection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace composer {

uint64_t HashString(std::string_view s);

}  // namespace composer

namespace composer {

// A 128-bit content fingerprint (xxh3-128): Composer's local change
// detector. Never used where a shared store could be poisoned.
struct Hash128 {
  uint64_t low = 0;
  uint64_t high = 0;
  friend bool operator==(const Hash128&, const Hash128&) = default;
};

// Hashes bytes in memory, as HashFile hashes a file's.
Hash128 HashBytes128(std::string_view data);

// Hashes the file's contents. False with *err on a read error.
bool HashFile(const std::string& path, Hash128* hash, std::string* err);

}  // namespace composer
