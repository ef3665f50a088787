#include "util/hash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace composer {

uint64_t HashString(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

}  // namespace composer

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

namespace composer {

Hash128 HashBytes128(std::string_view data) {
  const XXH128_hash_t digest = XXH3_128bits(data.data(), data.size());
  return Hash128{digest.low64, digest.high64};
}

bool HashFile(const std::string& path, Hash128* hash, std::string* err) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = "open(" + path + "): " + strerror(errno);
    return false;
  }
  XXH3_state_t state;
  XXH3_128bits_reset(&state);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = "read(" + path + "): " + strerror(errno);
      close(fd);
      return false;
    }
    if (n == 0) break;
    XXH3_128bits_update(&state, buffer, static_cast<size_t>(n));
  }
  close(fd);
  const XXH128_hash_t digest = XXH3_128bits_digest(&state);
  hash->low = digest.low64;
  hash->high = digest.high64;
  return true;
}

}  // namespace composer
