#include "util/log.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace composer {

Personality& CurrentPersonality() {
  static Personality personality;
  return personality;
}

namespace {

void Print(FILE* stream, const char* kind, const char* fmt, va_list ap) {
  const std::string_view program = CurrentPersonality().program;
  fprintf(stream, "%.*s: %s", static_cast<int>(program.size()), program.data(), kind);
  vfprintf(stream, fmt, ap);
  fputc('\n', stream);
}

}  // namespace

void Fatal(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  Print(stderr, "fatal: ", fmt, ap);
  va_end(ap);
  // exit() rather than abort(): the state files are written atomically and a
  // fatal error is a user error, not a crash worth a core dump.
  exit(1);
}

void Error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Print(stderr, "error: ", fmt, ap);
  va_end(ap);
}

void Warning(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Print(stderr, "warning: ", fmt, ap);
  va_end(ap);
}

void Info(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Print(stdout, "", fmt, ap);
  va_end(ap);
}

}  // namespace composer
