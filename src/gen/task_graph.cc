#include "gen/task_graph.h"

#include <algorithm>
#include <set>

#include "gen/find_cycle.h"
#include "gen/path_glob.h"

namespace composer {

namespace {

struct Resolver {
  const Workspace& workspace;
  TaskGraph* graph;
  std::string* err;

  int Find(int package, const std::string& name) const {
    auto it = graph->by_package_task.find({package, name});
    return it == graph->by_package_task.end() ? -1 : it->second;
  }

  // "^name": the task in each dependency; a dependency without the script
  // passes the edge on to its own dependencies, so the order still holds.
  void Upstream(int package, const std::string& name, std::set<int>* visited,
                std::set<int>* out) const {
    for (int dep : workspace.packages[package].dependencies) {
      if (!visited->insert(dep).second) continue;
      const int task = Find(dep, name);
      if (task >= 0)
        out->insert(task);
      else
        Upstream(dep, name, visited, out);
    }
  }

  bool Resolve(int index, const std::string& where) {
    Task& task = graph->tasks[index];
    std::set<int> deps;
    for (const std::string& dep : task.config->depends_on) {
      if (dep[0] == '^') {
        std::set<int> visited;
        Upstream(task.package, dep.substr(1), &visited, &deps);
        continue;
      }
      const size_t hash = dep.find('#', 1);
      if (hash == std::string::npos) {
        const int same = Find(task.package, dep);
        if (same >= 0 && same != index) deps.insert(same);
        continue;
      }
      const std::string package_name = dep.substr(0, hash);
      const std::string script = dep.substr(hash + 1);
      auto package = workspace.by_name.find(package_name);
      if (package == workspace.by_name.end()) {
        *err = where + "." + task.name + ".dependsOn: no workspace package is named \"" +
               package_name + "\"";
        return false;
      }
      const int other = Find(package->second, script);
      if (other < 0) {
        *err = where + "." + task.name + ".dependsOn: package \"" + package_name +
               "\" has no \"" + script + "\" script";
        return false;
      }
      if (other != index) deps.insert(other);
    }
    task.dependencies.assign(deps.begin(), deps.end());
    return true;
  }
};

std::string Label(const Workspace& workspace, const Task& task) {
  return workspace.packages[task.package].name + "#" + task.name;
}

bool FindTaskCycle(const Workspace& workspace, const TaskGraph& graph, std::string* err) {
  const std::string cycle = DescribeCycle(
      graph.tasks.size(),
      [&](int i) -> const std::vector<int>& { return graph.tasks[i].dependencies; },
      [&](int i) { return Label(workspace, graph.tasks[i]); });
  if (!cycle.empty()) *err = "dependency cycle between tasks: " + cycle;
  return !cycle.empty();
}

// "dist/**" -> outdir "dist"; "report.xml" -> output file; "!x" is
// skipped (a tree is stored whole).
bool ParseOutputs(const std::string& where, const Package& package, Task* task,
                  std::string* err) {
  for (const std::string& pattern : task->config->outputs) {
    if (!pattern.empty() && pattern[0] == '!') continue;
    std::string normal = NormalizeGlob(pattern);
    bool tree = false;
    for (const char* suffix : {"/**/*", "/**"}) {
      const std::string s(suffix);
      if (normal.size() > s.size() &&
          normal.compare(normal.size() - s.size(), s.size(), s) == 0) {
        normal.resize(normal.size() - s.size());
        tree = true;
        break;
      }
    }
    if (normal.empty() || normal.find_first_of("*?[") != std::string::npos ||
        normal == ".." || normal.rfind("../", 0) == 0 ||
        normal.find("/../") != std::string::npos) {
      *err = where + "." + task->name + ".outputs: \"" + pattern +
             "\" is not supported: name a directory below the package as \"dir/**\", or "
             "a file";
      return false;
    }
    const std::string path = package.dir + "/" + normal;
    (tree ? task->outdirs : task->output_files).push_back(path);
  }
  return true;
}

bool UnderAny(const std::string& path, const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs)
    if (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
        path[dir.size()] == '/')
      return true;
  return false;
}

bool IsDefaultInputsToken(const std::string& glob) {
  return glob == "$COMPOSER_DEFAULT$" || glob == "$TURBO_DEFAULT$";
}

}  // namespace

bool PlanTasks(const Workspace& workspace, const GeneratorConfig& config,
               const WorkspaceFiles& files, TaskGraph* graph, std::string* err) {
  *graph = TaskGraph();
  const std::string where = workspace.Path("package.json") + ": composer.tasks";
  const std::set<std::string> requested(config.tasks.begin(), config.tasks.end());

  // Each package's files, package-relative.
  std::vector<std::vector<std::string>> package_files(workspace.packages.size());
  {
    std::map<std::string, int> by_dir;
    for (size_t i = 0; i < workspace.packages.size(); ++i)
      by_dir[workspace.packages[i].dir] = static_cast<int>(i);
    for (const std::string& file : files.files) {
      // The innermost package holding the file (packages may nest).
      for (size_t slash = file.rfind('/'); slash != std::string::npos && slash > 0;
           slash = file.rfind('/', slash - 1)) {
        auto it = by_dir.find(file.substr(0, slash));
        if (it != by_dir.end()) {
          package_files[it->second].push_back(file.substr(slash + 1));
          break;
        }
      }
    }
  }
  std::vector<std::string> global_inputs;
  if (!workspace.manager.lockfile.empty())
    global_inputs.push_back(workspace.manager.lockfile);
  for (const std::string& glob : config.global_inputs)
    for (const std::string& file : files.files)
      if (GlobMatch(glob, file)) global_inputs.push_back(file);

  for (size_t p = 0; p < workspace.packages.size(); ++p) {
    const Package& package = workspace.packages[p];
    for (const auto& [name, task_config] : config.task_configs) {
      auto script = package.scripts.find(name);
      if (script == package.scripts.end()) continue;
      Task task;
      task.package = static_cast<int>(p);
      task.name = name;
      task.script = script->second;
      task.config = &task_config;
      task.requested = requested.count(name) > 0;
      task.env = config.global_env;
      task.env.insert(task.env.end(), task_config.env.begin(), task_config.env.end());
      if (!ParseOutputs(where, package, &task, err)) return false;
      if (!task_config.has_outputs && name == "build") {
        for (const std::string& dir :
             GuessOutputDirs(workspace, package, task.script, files))
          task.outdirs.push_back(package.dir + "/" + dir);
      }
      // Checks write nothing but their verdict (their usual names).
      const bool check = name == "test" || name == "lint" || name == "typecheck" ||
                         name == "type-check" || name == "check-types";
      task.cache = task_config.cache_set
                       ? task_config.cache
                       : task_config.has_outputs || !task.outdirs.empty() || check;
      graph->by_package_task[{task.package, name}] =
          static_cast<int>(graph->tasks.size());
      graph->tasks.push_back(std::move(task));
    }
  }
  if (config.tasks_configured) {
    for (const std::string& name : config.tasks) {
      bool found = false;
      for (const Package& package : workspace.packages)
        found |= package.scripts.count(name) > 0;
      if (!found) {
        *err =
            where + "." + name + ": no workspace package has a \"" + name + "\" script";
        return false;
      }
    }
  }

  // Every package's outputs, so that no task reads another's products as
  // sources.
  std::vector<std::string> all_outdirs;
  std::set<std::string> all_output_files;
  for (const Task& task : graph->tasks) {
    all_outdirs.insert(all_outdirs.end(), task.outdirs.begin(), task.outdirs.end());
    all_output_files.insert(task.output_files.begin(), task.output_files.end());
  }

  Resolver resolver{workspace, graph, err};
  for (size_t i = 0; i < graph->tasks.size(); ++i) {
    if (!resolver.Resolve(static_cast<int>(i), where)) return false;
    Task& task = graph->tasks[i];
    const Package& package = workspace.packages[task.package];
    std::set<std::string> inputs(global_inputs.begin(), global_inputs.end());
    inputs.insert(package.dir + "/package.json");
    for (const std::string& file : package_files[task.package]) {
      bool wanted = !task.config->has_inputs;
      if (task.config->has_inputs) {
        for (const std::string& glob : task.config->inputs) {
          if (glob.empty()) continue;
          if (IsDefaultInputsToken(glob) || (glob[0] != '!' && GlobMatch(glob, file)))
            wanted = true;
        }
        for (const std::string& glob : task.config->inputs)
          if (!glob.empty() && glob[0] == '!' && GlobMatch(glob.substr(1), file))
            wanted = false;
      }
      if (!wanted) continue;
      const std::string path = package.dir + "/" + file;
      if (UnderAny(path, all_outdirs) || all_output_files.count(path)) continue;
      inputs.insert(path);
    }
    task.inputs.assign(inputs.begin(), inputs.end());
  }
  return !FindTaskCycle(workspace, *graph, err);
}

}  // namespace composer
