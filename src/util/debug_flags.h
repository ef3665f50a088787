// Process-wide switches set by -d MODE.
#pragma once

namespace composer {

struct DebugFlags {
  bool explain = false;       // -d explain: say why each edge is dirty
  bool keep_depfile = false;  // -d keepdepfile
  bool keep_rsp = false;      // -d keeprsp
  bool stats = false;         // -d stats
};

DebugFlags& Debug();

// Prints "<program> explain: <message>" on stderr when -d explain is on.
void Explain(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace composer
