#include "util/arena.h"

#include <cstring>

namespace composer {

std::string_view Arena::Copy(std::string_view s) {
  // Never a null pointer, even for "": callers hand views to C functions.
  if (s.empty()) return std::string_view("", 0);

  used_ += s.size();
  if (s.size() > left_) {
    if (s.size() > kChunkSize / 4) {
      // A large string gets a chunk of its own so the current chunk's tail
      // is not wasted.
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(s.size()));
      memcpy(chunks_.back().get(), s.data(), s.size());
      return std::string_view(chunks_.back().get(), s.size());
    }
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkSize));
    next_ = chunks_.back().get();
    left_ = kChunkSize;
  }
  char* dst = next_;
  memcpy(dst, s.data(), s.size());
  next_ += s.size();
  left_ -= s.size();
  return std::string_view(dst, s.size());
}

}  // namespace composer
