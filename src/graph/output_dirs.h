// `outdirs = DIR ...`: directory trees an edge produces as a whole (an npm
// package's dist/, say), beside its ordinary outputs. Composer empties them
// before the command runs, describes them in the edge's first output (the
// stamp, see src/exec/output_tree.h) after it succeeds, and the content cache
// stores and restores them file by file (doc/manual.md, "Output directories").
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"

namespace composer {

// The edge's output directories, canonical, in the order written. Empty for
// most edges.
std::vector<std::string> OutputDirs(const Graph& graph, EdgeId edge);

// "" when `dir` may be an output directory: relative, below the build
// directory ("." and ".." components are refused), and not the build
// directory itself, which emptying would wipe. Otherwise why not.
std::string CheckOutputDir(const std::string& dir);

}  // namespace composer
