#include "gen/task_config.h"

namespace composer {

namespace {

bool StringList(const nlohmann::json& value, const std::string& where,
                std::vector<std::string>* out, std::string* err) {
  if (!value.is_array()) {
    *err = where + ": expected an array of strings";
    return false;
  }
  for (const nlohmann::json& item : value) {
    if (!item.is_string()) {
      *err = where + ": expected an array of strings, found " + item.dump();
      return false;
    }
    out->push_back(item.get<std::string>());
  }
  return true;
}

bool ParseTask(const std::string& name, const nlohmann::json& value,
               const std::string& where, TaskConfig* task, std::string* err) {
  if (!value.is_object()) {
    *err = where + ": expected an object";
    return false;
  }
  *task = DefaultTaskConfig(name);
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string key = it.key();
    const std::string at = where + "." + key;
    if (key == "dependsOn") {
      task->depends_on.clear();
      if (!StringList(*it, at, &task->depends_on, err)) return false;
      for (const std::string& dep : task->depends_on) {
        if (dep.empty() || dep == "^" || dep.back() == '#' || dep.front() == '#' ||
            dep.front() == '$') {
          *err = at + ": \"" + dep +
                 "\" is not a task (\"^task\", \"task\" or \"package#task\")";
          return false;
        }
      }
    } else if (key == "inputs") {
      task->has_inputs = true;
      if (!StringList(*it, at, &task->inputs, err)) return false;
    } else if (key == "outputs") {
      task->has_outputs = true;
      if (!StringList(*it, at, &task->outputs, err)) return false;
    } else if (key == "env") {
      if (!StringList(*it, at, &task->env, err)) return false;
    } else if (key == "cache") {
      if (!it->is_boolean()) {
        *err = at + ": expected true or false";
        return false;
      }
      task->cache = it->get<bool>();
      task->cache_set = true;
    } else {
      *err = at + ": unknown setting (known: dependsOn, inputs, outputs, env, cache)";
      return false;
    }
  }
  return true;
}

void AddReferencedTasks(GeneratorConfig* config) {
  // Tasks named only in a dependsOn get the defaults, so that "^prepare"
  // runs the prepare scripts it names.
  for (bool added = true; added;) {
    added = false;
    for (const auto& [name, task] : config->task_configs) {
      for (std::string dep : task.depends_on) {
        if (dep[0] == '^') dep = dep.substr(1);
        const size_t hash = dep.find('#', 1);
        if (hash != std::string::npos) dep = dep.substr(hash + 1);
        if (!config->task_configs.count(dep)) {
          config->task_configs.emplace(dep, DefaultTaskConfig(dep));
          added = true;
          break;
        }
      }
      if (added) break;
    }
  }
}

}  // namespace

TaskConfig DefaultTaskConfig(const std::string& name) {
  TaskConfig task;
  if (name == "build") {
    task.depends_on = {"^build"};
  } else if (name == "test" || name == "lint" || name == "typecheck") {
    task.depends_on = {"^build", "build"};
  }
  return task;
}

bool LoadGeneratorConfig(const std::string& file, const nlohmann::json& root_package,
                         const std::vector<std::string>& task_override,
                         GeneratorConfig* config, std::string* err) {
  *config = GeneratorConfig();
  auto section = root_package.find("composer");
  if (section != root_package.end()) {
    const std::string where = file + ": composer";
    if (!section->is_object()) {
      *err = where + ": expected an object";
      return false;
    }
    for (auto it = section->begin(); it != section->end(); ++it) {
      const std::string key = it.key();
      const std::string at = where + "." + key;
      if (key == "tasks") {
        if (!it->is_object()) {
          *err = at + ": expected an object of tasks";
          return false;
        }
        config->tasks_configured = true;
        for (auto task = it->begin(); task != it->end(); ++task) {
          if (task.key().find('#') != std::string::npos) {
            *err = at + "." + task.key() +
                   ": per-package task settings are not supported; configure the task "
                   "for every package";
            return false;
          }
          TaskConfig parsed;
          if (!ParseTask(task.key(), *task, at + "." + task.key(), &parsed, err))
            return false;
          config->tasks.push_back(task.key());
          config->task_configs[task.key()] = std::move(parsed);
        }
      } else if (key == "globalInputs") {
        if (!StringList(*it, at, &config->global_inputs, err)) return false;
      } else if (key == "globalEnv") {
        if (!StringList(*it, at, &config->global_env, err)) return false;
      } else if (key == "install") {
        if (!it->is_boolean()) {
          *err = at + ": expected true or false";
          return false;
        }
        config->install = it->get<bool>();
      } else {
        *err = at + ": unknown setting (known: tasks, globalInputs, globalEnv, install)";
        return false;
      }
    }
  }
  if (!config->tasks_configured) {
    config->tasks = {"build", "test", "lint", "typecheck"};
    for (const std::string& name : config->tasks)
      config->task_configs[name] = DefaultTaskConfig(name);
  }
  if (!task_override.empty()) {
    config->tasks = task_override;
    config->tasks_configured = true;
    for (const std::string& name : task_override)
      if (!config->task_configs.count(name))
        config->task_configs[name] = DefaultTaskConfig(name);
  }
  AddReferencedTasks(config);
  return true;
}

}  // namespace composer
