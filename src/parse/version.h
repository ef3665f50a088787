// ninja_required_version and composer_required_version.
#pragma once

#include <string>
#include <string_view>

namespace composer {

// Splits "major.minor[.patch]" as Ninja does (atoi on each part).
void ParseVersion(std::string_view version, int* major, int* minor);

// Warns when the manifest asks for an older major version (in *warning when
// given, else on stderr) and exits with a fatal error when it asks for a
// newer one.
void CheckNinjaVersion(std::string_view required, std::string* warning = nullptr);
void CheckComposerVersion(std::string_view required, std::string* warning = nullptr);

}  // namespace composer
