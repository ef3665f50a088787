#include "parse/version.h"

#include <cstdlib>
#include <string>

#include "util/log.h"
#include "util/version.h"

namespace composer {

void ParseVersion(std::string_view version, int* major, int* minor) {
  const size_t dot = version.find('.');
  *major = atoi(std::string(version.substr(0, dot)).c_str());
  *minor = 0;
  if (dot != std::string_view::npos) {
    const std::string_view rest = version.substr(dot + 1);
    *minor = atoi(std::string(rest.substr(0, rest.find('.'))).c_str());
  }
}

namespace {

void Check(std::string_view required, const char* ours, const char* program,
           const char* variable, std::string* warning) {
  int our_major, our_minor, file_major, file_minor;
  ParseVersion(ours, &our_major, &our_minor);
  ParseVersion(required, &file_major, &file_minor);
  const std::string file(required);
  if (our_major > file_major) {
    const std::string message = std::string(program) + " executable version (" + ours +
                                ") greater than build file " + variable + " (" + file +
                                "); versions may be incompatible.";
    if (warning)
      *warning = message;
    else
      Warning("%s", message.c_str());
    return;
  }
  if ((our_major == file_major && our_minor < file_minor) || our_major < file_major) {
    Fatal("%s version (%s) incompatible with build file %s version (%s).", program, ours,
          variable, file.c_str());
  }
}

}  // namespace

void CheckNinjaVersion(std::string_view required, std::string* warning) {
  Check(required, kNinjaCompatVersion, "ninja", "ninja_required_version", warning);
}

void CheckComposerVersion(std::string_view required, std::string* warning) {
  Check(required, kComposerVersion, "composer", "composer_required_version", warning);
}

}  // namespace composer
