// A JavaScript workspace as the npm generator sees it: the root
// package.json, the package manager, and the member packages found through
// the "workspaces" globs (npm, yarn) or pnpm-workspace.yaml.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gen/package_manager.h"

namespace composer {

struct Package {
  std::string dir;  // relative to the root, e.g. "packages/greet"
  std::string name;
  std::string version;
  std::map<std::string, std::string> scripts;
  std::vector<int> dependencies;  // members this one depends on, sorted
  nlohmann::json manifest;        // its package.json
};

struct Workspace {
  std::string root;  // as given ("." for the current directory)
  nlohmann::json root_package;
  PackageManager manager;
  // Where the member globs came from: "package.json" or "pnpm-workspace.yaml".
  std::string globs_file;
  std::vector<std::string> globs;
  std::vector<Package> packages;  // sorted by dir
  std::map<std::string, int> by_name;

  // root-relative path -> path to open ("packages/a" -> "ROOT/packages/a").
  std::string Path(const std::string& relative) const;
};

// Loads the workspace at `root`. Fails with *err naming the file for: a
// missing or malformed package.json, a root without workspaces, a glob that
// matches no package, a member without a name, two members with one name,
// and a dependency cycle between members (printed).
bool LoadWorkspace(const std::string& root, Workspace* workspace, std::string* err);

// The "packages:" list of a pnpm-workspace.yaml (block or flow style).
bool ParsePnpmWorkspace(const std::string& path, const std::string& text,
                        std::vector<std::string>* globs, std::string* err);

}  // namespace composer
