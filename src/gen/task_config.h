// The tasks the npm generator makes edges for, and how each is run: the
// "composer" section of the root package.json, shaped like turbo.json's
// "tasks", with defaults for build, test, lint and typecheck.
//
//   "composer": {
//     "tasks": {
//       "build": { "dependsOn": ["^build"], "outputs": ["dist/**"] },
//       "test":  { "dependsOn": ["build"], "env": ["NODE_ENV"], "cache": false }
//     },
//     "globalInputs": ["tsconfig.base.json"],
//     "globalEnv": ["CI"],
//     "install": true
//   }
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace composer {

struct TaskConfig {
  // "^task": the task in each workspace dependency (through packages that
  // lack it); "task": this package's; "pkg#task": that package's.
  std::vector<std::string> depends_on;
  bool has_inputs = false;  // without: every file of the package
  std::vector<std::string> inputs;
  bool has_outputs = false;  // without: dist/, build/ or lib/ when the build makes them
  std::vector<std::string> outputs;
  std::vector<std::string> env;  // variables whose values key the cache
  // Unset: cached when the outputs are known (configured, or guessed for a
  // build) or the task is a check (test, lint, typecheck); otherwise a
  // cache hit would restore its stamp without the files it wrote.
  bool cache_set = false;
  bool cache = true;
  bool persistent = false;  // turbo.json's long-running tasks (dev servers)
};

struct GeneratorConfig {
  std::vector<std::string> tasks;  // the names to make edges for, in order
  std::map<std::string, TaskConfig> task_configs;  // every task named anywhere
  std::vector<std::string> global_inputs;          // root-relative globs
  std::vector<std::string> global_env;
  bool install = true;  // "install": false leaves installing to the user
  // Whether the task list came from the package.json section (then a task
  // that no package has is an error) or from the defaults.
  bool tasks_configured = false;
  // Root-relative configuration files besides package.json (turbo.json):
  // the regeneration edge watches them.
  std::vector<std::string> config_files;
  // What was read but not followed (turbo.json settings Composer lacks),
  // for the generator to print as warnings.
  std::vector<std::string> notes;
};

// Which file a task's settings come from: the "composer" section (every key
// checked) or turbo.json (turbo's defaults; its other keys ignored, settings
// Composer cannot follow noted and dropped).
enum class ConfigDialect { kComposer, kTurbo };

// The defaults for a task nobody configured: build after the dependencies'
// builds; test, lint and typecheck after those and the package's own build.
TaskConfig DefaultTaskConfig(const std::string& name);

// One task's settings, `where` naming it for messages.
bool ParseTaskConfig(const std::string& name, const nlohmann::json& value,
                     const std::string& where, ConfigDialect dialect, TaskConfig* task,
                     std::vector<std::string>* notes, std::string* err);
// An array of strings, or an error naming `where`.
bool StringList(const nlohmann::json& value, const std::string& where,
                std::vector<std::string>* out, std::string* err);
// After the tasks are read: --tasks (when not empty) replaces the list, and
// tasks named only in a dependsOn are added with the defaults.
void CompleteTaskList(const std::vector<std::string>& task_override,
                      GeneratorConfig* config);

// Reads the "composer" section of `root_package` (read from `file`);
// `task_override` (--tasks), when not empty, replaces the task list.
bool LoadGeneratorConfig(const std::string& file, const nlohmann::json& root_package,
                         const std::vector<std::string>& task_override,
                         GeneratorConfig* config, std::string* err);

}  // namespace composer
