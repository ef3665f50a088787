#include "util/debug_flags.h"

#include <cstdarg>
#include <cstdio>
#include <string>

#include "util/log.h"

namespace composer {

DebugFlags& Debug() {
  static DebugFlags flags;
  return flags;
}

void Explain(const char* fmt, ...) {
  if (!Debug().explain) return;
  const std::string program(CurrentPersonality().program);
  fprintf(stderr, "%s explain: ", program.c_str());
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

}  // namespace composer
