#include "gen/npm_generator.h"

#include <sys/stat.h>

#include "gen/json_file.h"
#include "gen/npm_manifest.h"
#include "gen/task_config.h"
#include "gen/task_graph.h"
#include "gen/turbo_config.h"
#include "gen/workspace.h"
#include "gen/workspace_files.h"
#include "util/escape.h"
#include "util/file_system.h"

namespace composer {

std::string RegenerateCommand(const NpmGeneratorOptions& options) {
  std::string command;
  AppendShellEscaped(options.self.empty() ? "composer" : options.self, &command);
  command += " -t npm";
  if (options.output != "build.composer") {
    command += " -o ";
    AppendShellEscaped(options.output, &command);
  }
  if (!options.install) command += " --no-install";
  if (!options.tasks.empty()) {
    std::string list;
    for (const std::string& task : options.tasks)
      list += (list.empty() ? "" : ",") + task;
    command += " --tasks ";
    AppendShellEscaped(list, &command);
  }
  return command;
}

bool GenerateNpmBuild(const NpmGeneratorOptions& options, NpmGeneratorReport* report,
                      std::string* err) {
  if (options.output.empty() || options.output[0] == '/' ||
      options.output.find('/') != std::string::npos) {
    *err = "-o " + options.output +
           ": name a file in the workspace root (the build runs there)";
    return false;
  }
  Workspace workspace;
  if (!LoadWorkspace(options.root, &workspace, err)) return false;
  // The "composer" section of package.json, else turbo.json, else defaults.
  GeneratorConfig config;
  const std::string turbo_path = workspace.Path("turbo.json");
  struct stat turbo_stat;
  if (!workspace.root_package.contains("composer") &&
      stat(turbo_path.c_str(), &turbo_stat) == 0) {
    nlohmann::json turbo;
    if (!ReadJsonFile(turbo_path, &turbo, err, /*comments=*/true) ||
        !LoadTurboConfig(turbo_path, turbo, options.tasks, &config, err))
      return false;
  } else if (!LoadGeneratorConfig(workspace.Path("package.json"), workspace.root_package,
                                  options.tasks, &config, err)) {
    return false;
  }
  report->notes = config.notes;
  WorkspaceFiles files;
  if (!ListWorkspaceFiles(workspace, options.output, &files, err)) return false;
  TaskGraph graph;
  if (!PlanTasks(workspace, config, files, &graph, err)) return false;

  NpmManifestOptions manifest_options;
  manifest_options.output = options.output;
  manifest_options.regenerate_command = RegenerateCommand(options);
  manifest_options.install = options.install && config.install;
  manifest_options.watched_files = config.config_files;
  const std::map<std::string, std::string> outputs =
      RenderNpmManifests(workspace, graph, files, manifest_options);

  RealFileSystem file_system;
  // Output directories exist from the start, so that the build filling
  // them does not change their parents' mtimes, which the regeneration edge
  // watches. One that went missing after its task ran (rm -rf dist) is
  // created again too, and the task's stamp removed so that it reruns.
  for (const Task& task : graph.tasks) {
    bool created = false;
    for (const std::string& dir : task.outdirs) {
      std::string stat_err;
      if (file_system.Stat(workspace.Path(dir), &stat_err).kind == FileStat::kDirectory)
        continue;
      if (!file_system.MakeDirs(workspace.Path(dir), err)) return false;
      created = true;
    }
    if (created &&
        file_system.RemoveFile(workspace.Path(TaskStampPath(workspace, task)), err) < 0)
      return false;
  }

  report->packages = workspace.packages.size();
  report->tasks = graph.tasks.size();
  report->files_written = 0;
  // The root manifest last: until it names them, new subninjas are unused.
  auto write = [&](const std::string& relative, const std::string& contents,
                   bool always) {
    const std::string path = workspace.Path(relative);
    std::string old, read_err;
    if (!always &&
        file_system.ReadFile(path, &old, &read_err) == FileSystem::ReadStatus::kOkay &&
        old == contents)
      return true;
    const size_t slash = path.rfind('/');
    if (slash != std::string::npos && !file_system.MakeDirs(path.substr(0, slash), err))
      return false;
    if (!file_system.WriteFile(path, contents, err)) return false;
    ++report->files_written;
    return true;
  };
  for (const auto& [path, contents] : outputs)
    if (path != options.output && !write(path, contents, false)) return false;
  // A build reloads its manifest only when the root file changed (the
  // regeneration edge is restat), so a changed subninja rewrites the root
  // too, with the same bytes.
  return write(options.output, outputs.at(options.output), report->files_written > 0);
}

}  // namespace composer
