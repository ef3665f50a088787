// The text of the generated build files: the root manifest (rules, the
// install and regeneration edges, one subninja per package, a phony per
// task name) and one .composer/npm/<package dir>.composer per package.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gen/task_graph.h"
#include "gen/workspace.h"
#include "gen/workspace_files.h"

namespace composer {

struct NpmManifestOptions {
  std::string output = "build.composer";  // root-relative
  std::string regenerate_command;         // runs the generator again, from the root
  bool install = true;                    // an edge running the package manager's install
  std::vector<std::string> watched_files;  // more files regeneration reads (turbo.json)
};

// Path (root-relative) -> contents, for every file to write.
std::map<std::string, std::string> RenderNpmManifests(const Workspace& workspace,
                                                      const TaskGraph& graph,
                                                      const WorkspaceFiles& files,
                                                      const NpmManifestOptions& options);

// Where a package's subninja and a task's stamp live.
std::string PackageManifestPath(const Package& package);
std::string TaskStampPath(const Workspace& workspace, const Task& task);

}  // namespace composer
