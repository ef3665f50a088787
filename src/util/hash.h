// Fast non-cryptographic hashing (xxh3) for hash tables and change detection.
#pragma once

#include <cstdint>
#include <string_view>

namespace composer {

uint64_t HashString(std::string_view s);

}  // namespace composer
