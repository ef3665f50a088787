// Quoting paths for /bin/sh and strings for JSON, byte-compatible with Ninja.
#pragma once

#include <string>
#include <string_view>

namespace composer {

// Appends `input` to *out, single-quoted for a POSIX shell when it contains
// anything beyond [A-Za-z0-9_+-./].
void AppendShellEscaped(std::string_view input, std::string* out);

// Appends `input` to *out with JSON string escapes (no surrounding quotes).
void AppendJsonEscaped(std::string_view input, std::string* out);

}  // namespace composer
