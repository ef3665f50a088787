// deps = msvc: the headers cl.exe (or clang-cl) reports with /showIncludes,
// filtered out of the command's output.
#pragma once

#include <set>
#include <string>

namespace composer {

// Splits `output` into the included paths (canonicalised; system headers
// dropped) and the rest, which goes to *filtered_output. `prefix` is the
// localised "Note: including file: " text (msvc_deps_prefix), empty for
// the English default.
void ParseShowIncludes(const std::string& output, const std::string& prefix,
                       std::set<std::string>* includes, std::string* filtered_output);

}  // namespace composer
