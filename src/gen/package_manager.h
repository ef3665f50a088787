// Which package manager a workspace uses, and the commands Composer runs
// through it: the install and `<manager> run <script>`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace composer {

struct PackageManager {
  enum class Kind { kNpm, kYarnClassic, kYarnBerry, kPnpm, kBun };
  Kind kind = Kind::kNpm;
  std::string lockfile;  // relative to the root; "" when there is none
  std::string reason;    // what told: "packageManager field", a lockfile, ...

  // "npm", "yarn", "pnpm" or "bun".
  const char* program() const;
  // The install, frozen to the lockfile when there is one (npm ci, yarn
  // install --frozen-lockfile / --immutable, pnpm install --frozen-lockfile).
  std::string InstallCommand() const;
  // The file the install edge writes (the command touches it after the
  // install): inside node_modules, so deleting node_modules reinstalls;
  // yarn berry may have no node_modules (Plug'n'Play), so inside .yarn.
  std::string InstallMarker() const;
  // The file the package manager itself writes at the end of an install
  // (node_modules/.package-lock.json, .yarn-integrity, .modules.yaml,
  // .yarn/install-state.gz): newer than the lockfile and every package.json,
  // it says node_modules is current (CI often installs before building).
  // "" for bun, which keeps none: its install always runs.
  std::string InstalledState() const;
  // The install edge's command: skips the install when InstalledState() is
  // newer than each of $in, then touches $out.
  std::string InstallEdgeCommand() const;
};

// Decides from the root package.json's "packageManager" field, else the
// lockfile present in `root`, else pnpm-workspace.yaml, else npm.
PackageManager DetectPackageManager(const std::string& root,
                                    const nlohmann::json& root_package);

}  // namespace composer
