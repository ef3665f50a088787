// Version strings.
#pragma once

namespace composer {

// Composer's own version; `composer_required_version` is checked against it.
inline constexpr const char kComposerVersion[] = "0.1.0";

// The Ninja release whose behaviour Composer reproduces. Printed by
// --version under the ninja personality and checked against
// `ninja_required_version`.
inline constexpr const char kNinjaCompatVersion[] = "1.11.1";

}  // namespace composer
