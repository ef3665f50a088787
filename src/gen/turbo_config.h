// turbo.json as the npm generator's configuration, for workspaces that use
// Turborepo and have no "composer" section in package.json: its tasks
// (turbo 2) or pipeline (turbo 1) with turbo's meaning, so that
// `composer -t npm` builds the graph `turbo run` would.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gen/task_config.h"

namespace composer {

// `turbo` is turbo.json's content, read from `path` (which labels errors).
// Tasks marked "persistent" (dev servers) and package-specific entries
// ("web#build", "//#lint") are left out with a note in config->notes, as
// are settings Composer cannot follow; turbo's other keys are ignored.
bool LoadTurboConfig(const std::string& path, const nlohmann::json& turbo,
                     const std::vector<std::string>& task_override,
                     GeneratorConfig* config, std::string* err);

}  // namespace composer
