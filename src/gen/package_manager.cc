#include "gen/package_manager.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace composer {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string Join(const std::string& root, const std::string& name) {
  return root == "." ? name : root + "/" + name;
}

// Yarn 2+ writes a "__metadata:" block into yarn.lock; Yarn 1 never does.
bool IsBerryLockfile(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  for (int i = 0; i < 20 && std::getline(file, line); ++i)
    if (line.rfind("__metadata:", 0) == 0) return true;
  return false;
}

// What differs between the package managers, by Kind.
struct ManagerTraits {
  const char* program;
  const char* frozen_install;  // with a lockfile
  const char* install;         // without one
  const char* installed_state;
};

const ManagerTraits& Traits(PackageManager::Kind kind) {
  static const ManagerTraits kTraits[] = {
      // kNpm
      {"npm", "npm ci", "npm install", "node_modules/.package-lock.json"},
      // kYarnClassic
      {"yarn", "yarn install --frozen-lockfile", "yarn install",
       "node_modules/.yarn-integrity"},
      // kYarnBerry
      {"yarn", "yarn install --immutable", "yarn install", ".yarn/install-state.gz"},
      // kPnpm
      {"pnpm", "pnpm install --frozen-lockfile", "pnpm install",
       "node_modules/.modules.yaml"},
      // kBun: keeps no record of its last install.
      {"bun", "bun install --frozen-lockfile", "bun install", ""},
  };
  return kTraits[static_cast<int>(kind)];
}

}  // namespace

const char* PackageManager::program() const {
  return Traits(kind).program;
}

std::string PackageManager::InstallCommand() const {
  return lockfile.empty() ? Traits(kind).install : Traits(kind).frozen_install;
}

std::string PackageManager::InstallMarker() const {
  return kind == Kind::kYarnBerry ? ".yarn/.composer-install"
                                  : "node_modules/.composer-install";
}

std::string PackageManager::InstalledState() const {
  return Traits(kind).installed_state;
}

std::string PackageManager::InstallEdgeCommand() const {
  // Without a lockfile there is nothing to be current with: always install.
  if (lockfile.empty() || InstalledState().empty())
    return InstallCommand() + " && touch $out";
  const std::string state = InstalledState();
  return "if [ -e " + state + " ] && [ -z \"$$(find $in -newer " + state +
         ")\" ]; then echo \"" + state +
         " is newer than the lockfile and every package.json: already installed\"; "
         "else " +
         InstallCommand() + "; fi && touch $out";
}

PackageManager DetectPackageManager(const std::string& root,
                                    const nlohmann::json& root_package) {
  PackageManager manager;
  const bool has_yarn_lock = Exists(Join(root, "yarn.lock"));
  auto yarn_kind = [&]() {
    return Exists(Join(root, ".yarnrc.yml")) ||
                   (has_yarn_lock && IsBerryLockfile(Join(root, "yarn.lock")))
               ? PackageManager::Kind::kYarnBerry
               : PackageManager::Kind::kYarnClassic;
  };
  auto field = root_package.find("packageManager");
  if (field != root_package.end() && field->is_string()) {
    // "pnpm@9.1.0", "yarn@1.22.19", "npm@10.2.0+sha256...".
    const std::string value = field->get<std::string>();
    const std::string name = value.substr(0, value.find('@'));
    const std::string version = value.find('@') == std::string::npos
                                    ? std::string()
                                    : value.substr(value.find('@') + 1);
    manager.reason = "packageManager \"" + value + "\" in package.json";
    if (name == "pnpm") {
      manager.kind = PackageManager::Kind::kPnpm;
    } else if (name == "bun") {
      manager.kind = PackageManager::Kind::kBun;
    } else if (name == "yarn") {
      manager.kind = version.empty() ? yarn_kind()
                     : version[0] == '1' && (version.size() == 1 || version[1] == '.')
                         ? PackageManager::Kind::kYarnClassic
                         : PackageManager::Kind::kYarnBerry;
    } else {
      manager.kind = PackageManager::Kind::kNpm;
    }
  } else if (Exists(Join(root, "bun.lock")) || Exists(Join(root, "bun.lockb"))) {
    manager.kind = PackageManager::Kind::kBun;
    manager.reason = Exists(Join(root, "bun.lock")) ? "bun.lock" : "bun.lockb";
  } else if (Exists(Join(root, "pnpm-lock.yaml"))) {
    manager.kind = PackageManager::Kind::kPnpm;
    manager.reason = "pnpm-lock.yaml";
  } else if (has_yarn_lock) {
    manager.kind = yarn_kind();
    manager.reason = "yarn.lock";
  } else if (Exists(Join(root, "package-lock.json")) ||
             Exists(Join(root, "npm-shrinkwrap.json"))) {
    manager.kind = PackageManager::Kind::kNpm;
    manager.reason = "package-lock.json";
  } else if (Exists(Join(root, "pnpm-workspace.yaml"))) {
    manager.kind = PackageManager::Kind::kPnpm;
    manager.reason = "pnpm-workspace.yaml";
  } else {
    manager.reason = "no lockfile: npm";
  }
  switch (manager.kind) {
    case PackageManager::Kind::kNpm:
      if (Exists(Join(root, "npm-shrinkwrap.json")))
        manager.lockfile = "npm-shrinkwrap.json";
      else if (Exists(Join(root, "package-lock.json")))
        manager.lockfile = "package-lock.json";
      break;
    case PackageManager::Kind::kYarnClassic:
    case PackageManager::Kind::kYarnBerry:
      if (has_yarn_lock) manager.lockfile = "yarn.lock";
      break;
    case PackageManager::Kind::kPnpm:
      if (Exists(Join(root, "pnpm-lock.yaml"))) manager.lockfile = "pnpm-lock.yaml";
      break;
    case PackageManager::Kind::kBun:
      // bun 1.2 writes the text bun.lock; earlier ones the binary bun.lockb.
      if (Exists(Join(root, "bun.lock")))
        manager.lockfile = "bun.lock";
      else if (Exists(Join(root, "bun.lockb")))
        manager.lockfile = "bun.lockb";
      break;
  }
  return manager;
}

}  // namespace composer
