#include "util/spellcheck.h"

#include <algorithm>

namespace composer {

int EditDistance(std::string_view a, std::string_view b, bool allow_replacements,
                 int max_distance) {
  // One row of the classic dynamic programme; row[x] is the distance between
  // the first y characters of a and the first x characters of b.
  const size_t n = b.size();
  std::vector<int> row(n + 1);
  for (size_t x = 0; x <= n; ++x) row[x] = static_cast<int>(x);

  for (size_t y = 1; y <= a.size(); ++y) {
    int diagonal = row[0];
    row[0] = static_cast<int>(y);
    int best = row[0];
    for (size_t x = 1; x <= n; ++x) {
      const int above = row[x];
      const bool same = a[y - 1] == b[x - 1];
      int value = std::min(row[x - 1], above) + 1;
      if (same)
        value = std::min(value, diagonal);
      else if (allow_replacements)
        value = std::min(value, diagonal + 1);
      row[x] = value;
      diagonal = above;
      best = std::min(best, value);
    }
    if (max_distance && best > max_distance) return max_distance + 1;
  }
  return row[n];
}

const char* SpellcheckString(std::string_view text,
                             const std::vector<const char*>& words) {
  constexpr int kMaxDistance = 3;
  int best_distance = kMaxDistance + 1;
  const char* best = nullptr;
  for (const char* word : words) {
    const int distance = EditDistance(word, text, true, kMaxDistance);
    if (distance < best_distance) {
      best_distance = distance;
      best = word;
    }
  }
  return best;
}

const char* SpellcheckString(std::string_view text,
                             std::initializer_list<const char*> words) {
  return SpellcheckString(text, std::vector<const char*>(words));
}

}  // namespace composer
