// Bump allocator for strings that live as long as the graph. Nothing is freed
// one by one and nothing moves, so views into the arena stay valid.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace composer {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;

  // Copies `s` into the arena and returns a view of the copy.
  std::string_view Copy(std::string_view s);

  // Bytes handed out so far (for statistics).
  size_t used() const { return used_; }

 private:
  static constexpr size_t kChunkSize = 256 * 1024;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* next_ = nullptr;
  size_t left_ = 0;
  size_t used_ = 0;
};

}  // namespace composer
