#include "watch/watch_paths.h"

namespace composer::watch {

std::string ParentDir(std::string_view path) {
  if (path.empty() || path == "." || path == "/") return "";
  const size_t slash = path.rfind('/');
  const std::string_view last =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (last == "..") return "";
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir == ".") return std::string(name);
  std::string path(dir);
  if (dir != "/") path += '/';
  path += name;
  return path;
}

}  // namespace composer::watch
