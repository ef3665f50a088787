// Append-only storage for runs of values whose addresses must not change:
// each run is copied into a chunk and handed back as a span that stays valid
// for the life of the array.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace composer {

template <typename T, size_t kChunk = 16384>
class ChunkedArray {
 public:
  std::span<const T> Append(std::span<const T> values) {
    if (values.size() > left_) {
      const size_t size = std::max(values.size(), kChunk);
      chunks_.push_back(std::make_unique_for_overwrite<T[]>(size));
      next_ = chunks_.back().get();
      left_ = size;
    }
    T* stored = next_;
    std::copy(values.begin(), values.end(), stored);
    next_ += values.size();
    left_ -= values.size();
    return std::span<const T>(stored, values.size());
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  T* next_ = nullptr;
  size_t left_ = 0;
};

}  // namespace composer
