// The -t subtools: a registry of named commands that read (or tidy) the
// graph and the build's state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"

namespace composer {

class BuildLog;
class DepsLog;
class FileSystem;

// What a tool may use. Tools that run before the manifest is loaded get a
// null graph; only tools that run after the logs get the logs.
struct ToolContext {
  Graph* graph = nullptr;
  FileSystem* file_system = nullptr;
  BuildLog* build_log = nullptr;
  DepsLog* deps_log = nullptr;
  std::string build_dir;  // the manifest's $builddir, where the logs live
  std::string manifest;   // the manifest's path
  bool dry_run = false;
  bool verbose = false;
};

struct Tool {
  const char* name;
  const char* description;  // nullptr: not listed

  // When the tool runs, as in Ninja: right after the flags, after the
  // manifest is loaded, or after the build and deps logs are loaded too.
  enum class When { kAfterFlags, kAfterLoad, kAfterLogs };
  When when;

  // argv[0] is the tool's name (getopt-style parsing in the tool expects it).
  int (*run)(ToolContext& context, int argc, char** argv);
};

const Tool* FindToolByName(std::string_view name);
std::vector<const char*> ToolNames();
// "<program> subtools:" and one line per tool.
void PrintToolList();

// Resolves a target named on the command line: canonicalises it, takes
// "foo.c^" as foo.c's first output, and explains unknown names with Ninja's
// suggestions. Returns an invalid id with *err set on failure.
NodeId CollectTarget(const Graph& graph, const std::string& name, std::string* err,
                     const DepsLog* deps_log = nullptr);
// The named targets, or the default ones when there are none.
bool CollectTargets(const Graph& graph, const std::vector<std::string>& names,
                    std::vector<NodeId>* targets, std::string* err,
                    const DepsLog* deps_log = nullptr);

}  // namespace composer
