// Entry points of the individual -t tools (one file each).
#pragma once

#include "tools/tool.h"

namespace composer {

int ToolCommands(ToolContext& context, int argc, char** argv);
int ToolInputs(ToolContext& context, int argc, char** argv);
int ToolGraph(ToolContext& context, int argc, char** argv);
int ToolQuery(ToolContext& context, int argc, char** argv);
int ToolTargets(ToolContext& context, int argc, char** argv);
int ToolCompdb(ToolContext& context, int argc, char** argv);
int ToolRules(ToolContext& context, int argc, char** argv);
int ToolClean(ToolContext& context, int argc, char** argv);
int ToolCleanDead(ToolContext& context, int argc, char** argv);
int ToolDeps(ToolContext& context, int argc, char** argv);
int ToolMissingDeps(ToolContext& context, int argc, char** argv);
int ToolRecompact(ToolContext& context, int argc, char** argv);
int ToolRestat(ToolContext& context, int argc, char** argv);
int ToolCache(ToolContext& context, int argc, char** argv);
int ToolNpm(ToolContext& context, int argc, char** argv);
int ToolWatch(ToolContext& context, int argc, char** argv);

}  // namespace composer
