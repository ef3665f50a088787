#include "gen/turbo_config.h"

namespace composer {

bool LoadTurboConfig(const std::string& path, const nlohmann::json& turbo,
                     const std::vector<std::string>& task_override,
                     GeneratorConfig* config, std::string* err) {
  *config = GeneratorConfig();
  config->config_files.push_back("turbo.json");
  if (!turbo.is_object()) {
    *err = path + ": expected a JSON object";
    return false;
  }
  auto tasks = turbo.find("tasks");
  const char* tasks_key = "tasks";
  if (tasks == turbo.end()) {
    tasks = turbo.find("pipeline");  // turbo 1
    tasks_key = "pipeline";
  }
  if (tasks != turbo.end()) {
    const std::string where = path + ": " + tasks_key;
    if (!tasks->is_object()) {
      *err = where + ": expected an object of tasks";
      return false;
    }
    for (auto it = tasks->begin(); it != tasks->end(); ++it) {
      const std::string name = it.key();
      const std::string at = where + "." + name;
      if (name.find('#') != std::string::npos) {
        config->notes.push_back(at +
                                ": settings for one package (or the root) are not "
                                "supported; left out");
        continue;
      }
      TaskConfig task;
      if (!ParseTaskConfig(name, *it, at, ConfigDialect::kTurbo, &task, &config->notes,
                           err))
        return false;
      if (task.persistent) {
        config->notes.push_back(at +
                                ": a persistent task (a server) is not a build step; "
                                "left out");
        continue;
      }
      config->tasks.push_back(name);
      config->task_configs[name] = std::move(task);
    }
  }
  const std::pair<const char*, std::vector<std::string>*> globals[] = {
      {"globalDependencies", &config->global_inputs}, {"globalEnv", &config->global_env}};
  for (const auto& [key, out] : globals) {
    auto it = turbo.find(key);
    if (it != turbo.end() && !StringList(*it, path + ": " + key, out, err)) return false;
  }
  CompleteTaskList(task_override, config);
  // Like turbo, a task that no package defines is not an error.
  if (task_override.empty()) config->tasks_configured = false;
  return true;
}

}  // namespace composer
