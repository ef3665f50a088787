#include "gen/workspace.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "gen/find_cycle.h"
#include "gen/json_file.h"
#include "gen/path_glob.h"

namespace composer {

namespace {

bool ReadText(const std::string& path, std::string* text) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  std::ostringstream stream;
  stream << file.rdbuf();
  *text = stream.str();
  return true;
}

std::string Unquote(std::string value) {
  const size_t begin = value.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  value = value.substr(begin);
  if (value[0] == '"' || value[0] == '\'') {
    const size_t close = value.find(value[0], 1);
    return close == std::string::npos ? value.substr(1) : value.substr(1, close - 1);
  }
  // Unquoted: a " #" starts a comment.
  const size_t hash = value.find(" #");
  if (hash != std::string::npos) value.resize(hash);
  const size_t end = value.find_last_not_of(" \t\r");
  return end == std::string::npos ? "" : value.substr(0, end + 1);
}

// The "workspaces" globs: an array (npm, yarn) or {"packages": [...]}
// (yarn classic, beside "nohoist").
bool WorkspaceGlobs(const nlohmann::json& field, const std::string& file,
                    std::vector<std::string>* globs, std::string* err) {
  const nlohmann::json* list = &field;
  if (field.is_object()) {
    auto packages = field.find("packages");
    if (packages == field.end()) {
      *err = file + ": \"workspaces\" is an object without \"packages\"";
      return false;
    }
    list = &*packages;
  }
  if (!list->is_array()) {
    *err = file + ": \"workspaces\" must be an array of globs";
    return false;
  }
  for (const nlohmann::json& glob : *list) {
    if (!glob.is_string()) {
      *err = file + ": \"workspaces\" holds a non-string: " + glob.dump();
      return false;
    }
    globs->push_back(glob.get<std::string>());
  }
  return true;
}

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Members named by the dependency fields, whatever the version spec ("*", a
// range, "workspace:*", "workspace:^"); "npm:other@1" aliases name "other".
std::set<std::string> DependencyNames(const nlohmann::json& manifest) {
  std::set<std::string> names;
  for (const char* field :
       {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    auto it = manifest.find(field);
    if (it == manifest.end() || !it->is_object()) continue;
    for (auto dep = it->begin(); dep != it->end(); ++dep) {
      names.insert(dep.key());
      if (dep->is_string()) {
        const std::string spec = dep->get<std::string>();
        if (spec.rfind("npm:", 0) == 0) {
          const std::string aliased = spec.substr(4);
          const size_t at = aliased.find('@', 1);
          names.insert(aliased.substr(0, at));
        }
      }
    }
  }
  return names;
}

bool FindPackageCycle(const Workspace& workspace, std::string* err) {
  const std::vector<Package>& packages = workspace.packages;
  const std::string cycle = DescribeCycle(
      packages.size(),
      [&](int i) -> const std::vector<int>& { return packages[i].dependencies; },
      [&](int i) { return packages[i].name; });
  if (!cycle.empty()) *err = "dependency cycle between workspace packages: " + cycle;
  return !cycle.empty();
}

}  // namespace

std::string Workspace::Path(const std::string& relative) const {
  if (root == "." || root.empty()) return relative.empty() ? "." : relative;
  return relative.empty() ? root : root + "/" + relative;
}

bool ParsePnpmWorkspace(const std::string& path, const std::string& text,
                        std::vector<std::string>* globs, std::string* err) {
  std::istringstream lines(text);
  std::string line;
  bool in_packages = false;
  int line_number = 0;
  bool found = false;
  while (std::getline(lines, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (first == 0) {
      in_packages = false;
      if (line.rfind("packages:", 0) != 0) continue;
      found = true;
      const std::string rest = Unquote(line.substr(9));
      if (rest.empty()) {
        in_packages = true;
      } else if (rest.front() == '[' && rest.back() == ']') {
        std::string items = rest.substr(1, rest.size() - 2);
        size_t start = 0;
        while (start <= items.size()) {
          size_t comma = items.find(',', start);
          if (comma == std::string::npos) comma = items.size();
          const std::string item = Unquote(items.substr(start, comma - start));
          if (!item.empty()) globs->push_back(item);
          start = comma + 1;
        }
      } else {
        *err = path + ":" + std::to_string(line_number) +
               ": expected a list of globs after 'packages:'";
        return false;
      }
      continue;
    }
    if (!in_packages) continue;
    if (line[first] != '-') {
      *err = path + ":" + std::to_string(line_number) + ":" + std::to_string(first + 1) +
             ": expected '- glob' in the packages list";
      return false;
    }
    const std::string item = Unquote(line.substr(first + 1));
    if (!item.empty()) globs->push_back(item);
  }
  if (!found) {
    *err = path + ": no 'packages:' list";
    return false;
  }
  return true;
}

bool LoadWorkspace(const std::string& root, Workspace* workspace, std::string* err) {
  workspace->root = root.empty() ? "." : root;
  const std::string root_manifest = workspace->Path("package.json");
  if (!ReadJsonFile(root_manifest, &workspace->root_package, err)) return false;
  if (!workspace->root_package.is_object()) {
    *err = root_manifest + ": expected a JSON object";
    return false;
  }
  workspace->manager = DetectPackageManager(workspace->root, workspace->root_package);

  auto field = workspace->root_package.find("workspaces");
  std::string pnpm_text;
  const std::string pnpm_file = workspace->Path("pnpm-workspace.yaml");
  if (field != workspace->root_package.end()) {
    workspace->globs_file = root_manifest;
    if (!WorkspaceGlobs(*field, root_manifest, &workspace->globs, err)) return false;
  } else if (ReadText(pnpm_file, &pnpm_text)) {
    workspace->globs_file = pnpm_file;
    if (!ParsePnpmWorkspace(pnpm_file, pnpm_text, &workspace->globs, err)) return false;
  } else {
    *err = root_manifest +
           ": no \"workspaces\" field and no pnpm-workspace.yaml beside it; "
           "composer -t npm needs a workspace root (--root DIR)";
    return false;
  }

  std::set<std::string> dirs;
  for (const std::string& glob : workspace->globs) {
    if (!glob.empty() && glob[0] == '!') continue;
    const std::string normal = NormalizeGlob(glob);
    if (normal.empty() || normal.find("..") != std::string::npos) {
      *err = workspace->globs_file + ": workspace glob '" + glob +
             "' must name directories below the root";
      return false;
    }
    const std::vector<std::string> found = FindPackageDirs(workspace->root, normal);
    if (found.empty()) {
      *err = workspace->globs_file + ": workspace glob '" + glob +
             "' matches no directory with a package.json";
      return false;
    }
    dirs.insert(found.begin(), found.end());
  }
  for (const std::string& glob : workspace->globs) {
    if (glob.empty() || glob[0] != '!') continue;
    for (auto it = dirs.begin(); it != dirs.end();)
      it = GlobMatch(glob.substr(1), *it) ? dirs.erase(it) : std::next(it);
  }

  for (const std::string& dir : dirs) {
    Package package;
    package.dir = dir;
    const std::string manifest_path = workspace->Path(dir + "/package.json");
    if (!ReadJsonFile(manifest_path, &package.manifest, err)) return false;
    if (!package.manifest.is_object()) {
      *err = manifest_path + ": expected a JSON object";
      return false;
    }
    package.name = StringField(package.manifest, "name");
    if (package.name.empty()) {
      *err = manifest_path + ": no \"name\"; every workspace package needs one";
      return false;
    }
    package.version = StringField(package.manifest, "version");
    auto scripts = package.manifest.find("scripts");
    if (scripts != package.manifest.end() && scripts->is_object()) {
      for (auto it = scripts->begin(); it != scripts->end(); ++it)
        if (it->is_string()) package.scripts[it.key()] = it->get<std::string>();
    }
    const int index = static_cast<int>(workspace->packages.size());
    auto [it, inserted] = workspace->by_name.emplace(package.name, index);
    if (!inserted) {
      *err = manifest_path + ": package name \"" + package.name + "\" is also used by " +
             workspace->Path(workspace->packages[it->second].dir + "/package.json");
      return false;
    }
    workspace->packages.push_back(std::move(package));
  }

  for (Package& package : workspace->packages) {
    for (const std::string& name : DependencyNames(package.manifest)) {
      auto it = workspace->by_name.find(name);
      if (it != workspace->by_name.end() && it->first != package.name)
        package.dependencies.push_back(it->second);
    }
    std::sort(package.dependencies.begin(), package.dependencies.end());
  }
  return !FindPackageCycle(*workspace, err);
}

}  // namespace composer
