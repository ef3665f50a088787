#include "exec/msvc_deps.h"

#include <algorithm>
#include <cstring>

#include "util/canon_path.h"

namespace composer {

namespace {

bool EndsWith(const std::string& text, const char* suffix) {
  const size_t n = strlen(suffix);
  return text.size() >= n && text.compare(text.size() - n, n, suffix) == 0;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
  });
  return text;
}

}  // namespace

void ParseShowIncludes(const std::string& output, const std::string& prefix,
                       std::set<std::string>* includes, std::string* filtered_output) {
  const std::string note = prefix.empty() ? "Note: including file: " : prefix;
  bool seen_include = false;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find_first_of("\r\n", start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    if (line.size() > note.size() && line.compare(0, note.size(), note) == 0) {
      seen_include = true;
      size_t path_start = note.size();
      while (path_start < line.size() && line[path_start] == ' ') ++path_start;
      std::string path = line.substr(path_start);
      CanonicalizePath(&path);
      const std::string lower = Lower(path);
      // System headers change with the toolchain, not the project.
      if (lower.find("program files") == std::string::npos &&
          lower.find("microsoft visual studio") == std::string::npos)
        includes->insert(path);
    } else if (!seen_include && [&] {
                 const std::string lower = Lower(line);
                 // cl.exe names the source file it compiles first: drop it.
                 return EndsWith(lower, ".c") || EndsWith(lower, ".cc") ||
                        EndsWith(lower, ".cxx") || EndsWith(lower, ".cpp") ||
                        EndsWith(lower, ".c++");
               }()) {
    } else {
      filtered_output->append(line);
      filtered_output->push_back('\n');
    }
    if (end < output.size() && output[end] == '\r') ++end;
    if (end < output.size() && output[end] == '\n') ++end;
    start = end;
  }
}

}  // namespace composer
