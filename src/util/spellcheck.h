// "did you mean ...?" suggestions: Levenshtein distance with a cut-off.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

namespace composer {

// Edit distance between a and b (insertions, deletions and, when
// allow_replacements, substitutions). Stops early and returns
// max_distance + 1 once every path exceeds max_distance (0: no cut-off).
int EditDistance(std::string_view a, std::string_view b, bool allow_replacements,
                 int max_distance);

// The closest word within distance 3 of `text`, or nullptr.
const char* SpellcheckString(std::string_view text,
                             const std::vector<const char*>& words);
const char* SpellcheckString(std::string_view text,
                             std::initializer_list<const char*> words);

}  // namespace composer
