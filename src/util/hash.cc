#include "util/hash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace composer {

uint64_t HashString(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

}  // namespace composer
