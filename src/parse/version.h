// ninja_required_version and composer_required_version.
#pragma once

#include <string_view>

namespace composer {

// Splits "major.minor[.patch]" as Ninja does (atoi on each part).
void ParseVersion(std::string_view version, int* major, int* minor);

// Warns when the manifest asks for an older major version and exits with a
// fatal error when it asks for a newer one.
void CheckNinjaVersion(std::string_view required);
void CheckComposerVersion(std::string_view required);

}  // namespace composer
