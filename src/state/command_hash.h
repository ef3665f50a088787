// The 64-bit command-line hashes Ninja keeps in .ninja_log: MurmurHash64A
// for log versions 5 and 6, rapidhash for version 7. Both are reproduced
// bit for bit so either Ninja can read what Composer writes, and back.
#pragma once

#include <cstdint>
#include <string_view>

namespace composer {

uint64_t MurmurHash64A(std::string_view data);
uint64_t RapidHash(std::string_view data);

// The hash a log of `version` stores for `command`.
inline uint64_t HashCommand(std::string_view command, int version) {
  return version >= 7 ? RapidHash(command) : MurmurHash64A(command);
}

}  // namespace composer
