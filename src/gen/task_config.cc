#include "gen/task_config.h"

#include "gen/path_glob.h"

namespace composer {

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

namespace {

// turbo.json outputs are any globs; Composer stores whole directories or
// single files. "dist/**/*.js" becomes "dist/**" (the whole directory).
std::string TurboOutput(const std::string& pattern, const std::string& where,
                        std::vector<std::string>* notes) {
  if (pattern.empty() || pattern[0] == '!') return pattern;
  const std::string normal = NormalizeGlob(pattern);
  if (normal.find_first_of("*?[") == std::string::npos) return normal;
  std::string prefix;
  size_t start = 0;
  while (start < normal.size()) {
    size_t end = normal.find('/', start);
    if (end == std::string::npos) end = normal.size();
    const std::string segment = normal.substr(start, end - start);
    if (segment.find_first_of("*?[") != std::string::npos) break;
    prefix += (prefix.empty() ? "" : "/") + segment;
    start = end + 1;
  }
  if (prefix.empty()) {
    notes->push_back(where + ": \"" + pattern + "\" names no directory; left out");
    return "";
  }
  if (normal != prefix + "/**" && normal != prefix + "/**/*")
    notes->push_back(where + ": \"" + pattern + "\" taken as the whole directory " +
                     prefix);
  return prefix + "/**";
}

}  // namespace

bool ParseTaskConfig(const std::string& name, const nlohmann::json& value,
                     const std::string& where, ConfigDialect dialect, TaskConfig* task,
                     std::vector<std::string>* notes, std::string* err) {
  if (!value.is_object()) {
    *err = where + ": expected an object";
    return false;
  }
  const bool turbo = dialect == ConfigDialect::kTurbo;
  // turbo.json's tasks depend on nothing unless they say so.
  *task = turbo ? TaskConfig() : DefaultTaskConfig(name);
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string key = it.key();
    const std::string at = where + "." + key;
    if (key == "dependsOn") {
      std::vector<std::string> deps;
      if (!StringList(*it, at, &deps, err)) return false;
      task->depends_on.clear();
      for (const std::string& dep : deps) {
        // turbo 1 spelled environment dependencies "$NAME".
        if (turbo && !dep.empty() && dep[0] == '$') {
          task->env.push_back(dep.substr(1));
          continue;
        }
        if (dep.empty() || dep == "^" || dep.back() == '#' || dep.front() == '#' ||
            dep.front() == '$') {
          *err = at + ": \"" + dep +
                 "\" is not a task (\"^task\", \"task\" or \"package#task\")";
          return false;
        }
        task->depends_on.push_back(dep);
      }
    } else if (key == "inputs") {
      task->has_inputs = true;
      if (!StringList(*it, at, &task->inputs, err)) return false;
      if (turbo) {
        std::erase_if(task->inputs, [&](const std::string& glob) {
          const bool root = glob.find("$TURBO_ROOT$") != std::string::npos;
          if (root)
            notes->push_back(at + ": \"" + glob + "\" (outside the package) left out");
          return root;
        });
      }
    } else if (key == "outputs") {
      task->has_outputs = true;
      if (!StringList(*it, at, &task->outputs, err)) return false;
      if (turbo) {
        for (std::string& output : task->outputs) output = TurboOutput(output, at, notes);
        std::erase(task->outputs, std::string());
      }
    } else if (key == "env") {
      if (!StringList(*it, at, &task->env, err)) return false;
      if (turbo) {
        std::erase_if(task->env, [&](const std::string& name) {
          const bool pattern = name.find('*') != std::string::npos || name[0] == '!';
          if (pattern) notes->push_back(at + ": \"" + name + "\" (a pattern) left out");
          return pattern;
        });
      }
    } else if (key == "cache" || (turbo && key == "persistent")) {
      if (!it->is_boolean()) {
        *err = at + ": expected true or false";
        return false;
      }
      if (key == "persistent") {
        task->persistent = it->get<bool>();
      } else {
        task->cache = it->get<bool>();
        task->cache_set = true;
      }
    } else if (!turbo) {
      *err = at + ": unknown setting (known: dependsOn, inputs, outputs, env, cache)";
      return false;
    }
  }
  return true;
}

namespace {

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
          if (!ParseTaskConfig(task.key(), *task, at + "." + task.key(),
                               ConfigDialect::kComposer, &parsed, &config->notes, err))
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
  CompleteTaskList(task_override, config);
  return true;
}

void CompleteTaskList(const std::vector<std::string>& task_override,
                      GeneratorConfig* config) {
  if (!task_override.empty()) {
    config->tasks = task_override;
    config->tasks_configured = true;
    for (const std::string& name : task_override)
      if (!config->task_configs.count(name))
        config->task_configs[name] = DefaultTaskConfig(name);
  }
  AddReferencedTasks(config);
}

}  // namespace composer
