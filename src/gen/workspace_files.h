// The files of a workspace that tasks read: what git knows (tracked, or
// untracked but not ignored), or, outside a git work tree, every file.
// node_modules, .git and Composer's own files are never listed.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "gen/workspace.h"

namespace composer {

struct WorkspaceFiles {
  bool from_git = false;
  std::vector<std::string> files;  // root-relative, sorted, existing regular files
  std::set<std::string> tracked;   // the ones git tracks (from_git only)
};

// `manifest` is the generator's output, relative to the root (left out).
bool ListWorkspaceFiles(const Workspace& workspace, const std::string& manifest,
                        WorkspaceFiles* files, std::string* err);

// The output directories of `package`'s build script when none are
// configured, relative to the package: dist, build or lib (and tsconfig's
// outDir) when nothing in it is tracked by git and the build names it (its
// script text, tsconfig.json's compilerOptions.outDir, or package.json's
// main/module/types/bin/exports).
std::vector<std::string> GuessOutputDirs(const Workspace& workspace,
                                         const Package& package,
                                         const std::string& script,
                                         const WorkspaceFiles& files);

}  // namespace composer
