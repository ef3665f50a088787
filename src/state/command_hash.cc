#include "state/command_hash.h"

#include <cstring>

namespace composer {

namespace {

uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

uint64_t Load32(const unsigned char* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

// The 128-bit product of a and b, folded into its two halves.
void MultiplyFull(uint64_t* a, uint64_t* b) {
  const __uint128_t product = static_cast<__uint128_t>(*a) * *b;
  *a = static_cast<uint64_t>(product);
  *b = static_cast<uint64_t>(product >> 64);
}

uint64_t MultiplyMix(uint64_t a, uint64_t b) {
  MultiplyFull(&a, &b);
  return a ^ b;
}

}  // namespace

uint64_t MurmurHash64A(std::string_view data) {
  constexpr uint64_t kSeed = 0xDECAFBADDECAFBADull;
  constexpr uint64_t kMultiplier = 0xc6a4a7935bd1e995ull;
  constexpr int kShift = 47;
  const size_t len = data.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  uint64_t h = kSeed ^ (len * kMultiplier);
  const size_t blocks = len / 8;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t k = Load64(bytes + 8 * i);
    k *= kMultiplier;
    k ^= k >> kShift;
    k *= kMultiplier;
    h ^= k;
    h *= kMultiplier;
  }
  const unsigned char* tail = bytes + 8 * blocks;
  const size_t rest = len & 7;
  if (rest) {
    for (size_t i = rest; i-- > 0;) h ^= static_cast<uint64_t>(tail[i]) << (8 * i);
    h *= kMultiplier;
  }
  h ^= h >> kShift;
  h *= kMultiplier;
  h ^= h >> kShift;
  return h;
}

uint64_t RapidHash(std::string_view data) {
  constexpr uint64_t kSeed = 0xbdd89aa982704029ull;
  constexpr uint64_t kSecret[3] = {0x2d358dccaa6c78a5ull, 0x8bb84b93962eacc9ull,
                                   0x4b33a62ed433d4a3ull};
  const size_t len = data.size();
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  uint64_t seed = kSeed ^ MultiplyMix(kSeed ^ kSecret[0], kSecret[1]) ^ len;
  uint64_t a = 0, b = 0;
  if (len <= 16) {
    if (len >= 4) {
      const unsigned char* last = p + len - 4;
      a = (Load32(p) << 32) | Load32(last);
      const size_t delta = (len & 24) >> (len >> 3);
      b = (Load32(p + delta) << 32) | Load32(last - delta);
    } else if (len > 0) {
      a = (static_cast<uint64_t>(p[0]) << 56) |
          (static_cast<uint64_t>(p[len >> 1]) << 32) | p[len - 1];
    }
  } else {
    size_t i = len;
    if (i > 48) {
      uint64_t see1 = seed, see2 = seed;
      // Whole 48-byte rounds; the 96-byte unrolled form gives the same result.
      while (i >= 48) {
        seed = MultiplyMix(Load64(p) ^ kSecret[0], Load64(p + 8) ^ seed);
        see1 = MultiplyMix(Load64(p + 16) ^ kSecret[1], Load64(p + 24) ^ see1);
        see2 = MultiplyMix(Load64(p + 32) ^ kSecret[2], Load64(p + 40) ^ see2);
        p += 48;
        i -= 48;
      }
      seed ^= see1 ^ see2;
    }
    if (i > 16) {
      seed = MultiplyMix(Load64(p) ^ kSecret[2], Load64(p + 8) ^ seed ^ kSecret[1]);
      if (i > 32) seed = MultiplyMix(Load64(p + 16) ^ kSecret[2], Load64(p + 24) ^ seed);
    }
    a = Load64(p + i - 16);
    b = Load64(p + i - 8);
  }
  a ^= kSecret[1];
  b ^= seed;
  MultiplyFull(&a, &b);
  return MultiplyMix(a ^ kSecret[0] ^ len, b ^ kSecret[1]);
}

}  // namespace composer
