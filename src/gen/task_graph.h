// The npm generator's graph: one task per package and script named in the
// task list (or in a dependsOn), with its dependencies resolved, its inputs
// (files) and its outputs (directories and files).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gen/task_config.h"
#include "gen/workspace.h"
#include "gen/workspace_files.h"

namespace composer {

struct Task {
  int package = 0;
  std::string name;    // the script's name: "build"
  std::string script;  // its text: "tsc -p ."
  const TaskConfig* config = nullptr;
  std::vector<int> dependencies;     // task indices, sorted
  std::vector<std::string> outdirs;  // root-relative
  std::vector<std::string> output_files;
  std::vector<std::string> inputs;  // root-relative files, sorted
  std::vector<std::string> env;     // globalEnv, then the task's env
  bool requested = false;           // in the task list (else only a dependency)
  bool cache = false;               // whether the content cache may serve it
};

struct TaskGraph {
  std::vector<Task> tasks;  // by package dir, then task name
  std::map<std::pair<int, std::string>, int> by_package_task;
};

// Fails for a configured task that no package has, a "pkg#task" naming a
// package or script that does not exist, an unsupported output glob, and a
// dependency cycle between tasks (printed).
bool PlanTasks(const Workspace& workspace, const GeneratorConfig& config,
               const WorkspaceFiles& files, TaskGraph* graph, std::string* err);

}  // namespace composer
