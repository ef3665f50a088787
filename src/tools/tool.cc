#include "tools/tool.h"

#include <cstdio>

#include "state/deps_log.h"
#include "tools/tools.h"
#include "util/canon_path.h"
#include "util/log.h"

namespace composer {

namespace {

// Ninja's browse runs a Python web server of its own; Composer has none.
int ToolBrowse(ToolContext&, int, char**) {
  Fatal("browse is not supported (use -t graph for a Graphviz graph)");
}

// Ninja's order, so `-t list` reads the same.
const Tool kTools[] = {
    // Listed in the ninja personality only, where `-t list` matches Ninja's.
    {"browse", "browse dependency graph in a web browser", Tool::When::kAfterLoad,
     &ToolBrowse},
    {"clean", "clean built files", Tool::When::kAfterLoad, &ToolClean},
    {"commands", "list all commands required to rebuild given targets",
     Tool::When::kAfterLoad, &ToolCommands},
    {"inputs", "list all inputs required to rebuild given targets",
     Tool::When::kAfterLoad, &ToolInputs},
    {"deps", "show dependencies stored in the deps log", Tool::When::kAfterLogs,
     &ToolDeps},
    {"missingdeps", "check deps log dependencies on generated files",
     Tool::When::kAfterLogs, &ToolMissingDeps},
    {"graph", "output graphviz dot file for targets", Tool::When::kAfterLoad, &ToolGraph},
    {"query", "show inputs/outputs for a path", Tool::When::kAfterLogs, &ToolQuery},
    {"targets", "list targets by their rule or depth in the DAG", Tool::When::kAfterLoad,
     &ToolTargets},
    {"compdb", "dump JSON compilation database to stdout", Tool::When::kAfterLoad,
     &ToolCompdb},
    {"recompact", "recompacts ninja-internal data structures", Tool::When::kAfterLoad,
     &ToolRecompact},
    {"restat", "restats all outputs in the build log", Tool::When::kAfterFlags,
     &ToolRestat},
    {"rules", "list all rules", Tool::When::kAfterLoad, &ToolRules},
    {"cleandead", "clean built files that are no longer produced by the manifest",
     Tool::When::kAfterLogs, &ToolCleanDead},
    // Composer's own (not listed in the ninja personality).
    {"cache", "the content cache's local store: stats, gc, clear, verify",
     Tool::When::kAfterFlags, &ToolCache},
    {"npm", "write build files for an npm, yarn or pnpm workspace",
     Tool::When::kAfterFlags, &ToolNpm},
    {"watch", "the file watcher behind COMPOSER_WATCH=1: serve, status, stop",
     Tool::When::kAfterFlags, &ToolWatch},
};

// Whether the current personality lists the tool (and suggests it for a
// misspelt name): the ninja one shows Ninja's list, Composer's its own.
bool Listed(const Tool& tool) {
  if (tool.run == &ToolBrowse) return CurrentPersonality().ninja_compat;
  if (tool.run == &ToolCache || tool.run == &ToolNpm || tool.run == &ToolWatch)
    return !CurrentPersonality().ninja_compat;
  return true;
}

}  // namespace

const Tool* FindToolByName(std::string_view name) {
  for (const Tool& tool : kTools) {
    if (name == tool.name) return &tool;
  }
  return nullptr;
}

std::vector<const char*> ToolNames() {
  std::vector<const char*> names;
  for (const Tool& tool : kTools)
    if (Listed(tool)) names.push_back(tool.name);
  return names;
}

void PrintToolList() {
  const std::string program(CurrentPersonality().program);
  printf("%s subtools:\n", program.c_str());
  for (const Tool& tool : kTools) {
    if (tool.description && Listed(tool))
      printf("%11s  %s\n", tool.name, tool.description);
  }
}

NodeId CollectTarget(const Graph& graph, const std::string& name, std::string* err,
                     const DepsLog* deps_log) {
  std::string path = name;
  if (path.empty()) {
    *err = "empty path";
    return NodeId();
  }
  CanonicalizePath(&path);
  // "foo.c^" names the first output of an edge that reads foo.c.
  bool first_dependent = false;
  if (!path.empty() && path.back() == '^') {
    path.pop_back();
    first_dependent = true;
  }
  NodeId node = graph.LookupNode(path);
  if (node.valid()) {
    if (first_dependent) {
      OutEdgeRange out_edges = graph.out_edges(node);
      if (out_edges.empty()) {
        // Not read by any edge in the manifest: maybe a header some
        // command discovered.
        const NodeId dependent =
            deps_log ? deps_log->FirstReverseDepsNode(node) : NodeId();
        if (!dependent.valid()) {
          *err = "'" + path + "' has no out edge";
          return NodeId();
        }
        return dependent;
      }
      std::span<const NodeId> outputs = graph.outputs(out_edges.front());
      if (outputs.empty()) Fatal("edge has no outputs");
      node = outputs[0];
    }
    return node;
  }

  *err = "unknown target '" + path + "'";
  const std::string program(CurrentPersonality().program);
  if (path == "clean") {
    *err += ", did you mean '" + program + " -t clean'?";
  } else if (path == "help") {
    *err += ", did you mean '" + program + " -h'?";
  } else {
    const NodeId suggestion = graph.SpellcheckNode(path);
    if (suggestion.valid())
      *err += ", did you mean '" + std::string(graph.Path(suggestion)) + "'?";
  }
  return NodeId();
}

bool CollectTargets(const Graph& graph, const std::vector<std::string>& names,
                    std::vector<NodeId>* targets, std::string* err,
                    const DepsLog* deps_log) {
  if (names.empty()) {
    *targets = graph.DefaultNodes(err);
    return err->empty();
  }
  for (const std::string& name : names) {
    const NodeId node = CollectTarget(graph, name, err, deps_log);
    if (!node.valid()) return false;
    targets->push_back(node);
  }
  return true;
}

}  // namespace composer
