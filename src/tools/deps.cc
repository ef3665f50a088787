// -t deps [targets]: the dependencies recorded in the deps log.
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "state/deps_log.h"
#include "state/logs.h"
#include "tools/tools.h"
#include "util/file_system.h"
#include "util/log.h"

namespace composer {

int ToolDeps(ToolContext& context, int argc, char** argv) {
  const Graph& graph = *context.graph;
  DepsLog& deps_log = *context.deps_log;
  std::vector<NodeId> nodes;
  if (argc <= 1) {
    Logs liveness(context.graph, context.file_system, context.build_dir, true);
    for (NodeId node : deps_log.NodesWithDeps()) {
      if (liveness.IsDepsEntryLive(node)) nodes.push_back(node);
    }
  } else {
    std::vector<std::string> names(argv + 1, argv + argc);
    std::string err;
    if (!CollectTargets(graph, names, &nodes, &err, &deps_log)) {
      Error("%s", err.c_str());
      return 1;
    }
  }
  for (NodeId node : nodes) {
    const std::string path(graph.Path(node));
    const DepsLog::Deps* deps = deps_log.GetDeps(node);
    if (!deps) {
      printf("%s: deps not found\n", path.c_str());
      continue;
    }
    std::string err;
    const FileStat st = context.file_system->Stat(path, &err);
    if (st.kind == FileStat::kError) Error("%s", err.c_str());
    const int64_t mtime = st.exists() ? st.mtime : 0;
    printf("%s: #deps %d, deps mtime %" PRId64 " (%s)\n", path.c_str(),
           static_cast<int>(deps->nodes.size()), deps->mtime,
           !mtime || mtime > deps->mtime ? "STALE" : "VALID");
    for (NodeId dep : deps->nodes)
      printf("    %s\n", std::string(graph.Path(dep)).c_str());
    printf("\n");
  }
  return 0;
}

}  // namespace composer
