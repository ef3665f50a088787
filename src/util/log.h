// Diagnostics printed the way Ninja prints them: "<program>: error: ...".
#pragma once

#include <string>
#include <string_view>

namespace composer {

// The personality decides the program name in messages, the default manifest
// and the version string. Composer answers as "ninja" when run under that
// name or with --ninja-compat, so generators that parse Ninja's output work.
struct Personality {
  std::string_view program = "composer";
  bool ninja_compat = false;
};

Personality& CurrentPersonality();

[[noreturn]] void Fatal(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void Error(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void Warning(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void Info(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace composer
