#include "graph/output_dirs.h"

#include "graph/edge_env.h"
#include "util/canon_path.h"

namespace composer {

std::vector<std::string> OutputDirs(const Graph& graph, EdgeId edge) {
  std::vector<std::string> dirs;
  if (graph.is_phony(edge)) return dirs;
  const std::string value = GetUnescapedBinding(graph, edge, RuleKey::kOutdirs);
  for (size_t pos = 0; pos < value.size();) {
    const size_t start = value.find_first_not_of(" \t\n", pos);
    if (start == std::string::npos) break;
    size_t end = value.find_first_of(" \t\n", start);
    if (end == std::string::npos) end = value.size();
    std::string dir = value.substr(start, end - start);
    CanonicalizePath(&dir);
    dirs.push_back(std::move(dir));
    pos = end;
  }
  return dirs;
}

std::string CheckOutputDir(const std::string& dir) {
  if (dir.empty() || dir == ".") return "is the build directory itself";
  if (dir[0] == '/') return "is not below the build directory";
  size_t start = 0;
  while (start <= dir.size()) {
    size_t end = dir.find('/', start);
    if (end == std::string::npos) end = dir.size();
    const std::string_view part(dir.data() + start, end - start);
    if (part.empty() || part == "." || part == "..")
      return "is not below the build directory";
    start = end + 1;
  }
  return "";
}

}  // namespace composer
