#include "plan/stat_prefetch.h"

#include "plan/build_state.h"
#include "state/deps_log.h"

namespace composer {

void CollectNodesToStat(const BuildState& state, const DepsLog* deps_log, NodeId root,
                        std::vector<uint8_t>* seen_edges, std::vector<NodeId>* nodes) {
  const Graph& graph = state.graph();
  seen_edges->resize(graph.edge_count(), 0);
  std::vector<uint8_t> queued(graph.node_count(), 0);
  std::vector<NodeId> stack{root};
  queued[root.value] = 1;
  auto push = [&](NodeId node) {
    if (node.value >= queued.size() || queued[node.value]) return;
    queued[node.value] = 1;
    stack.push_back(node);
  };
  while (!stack.empty()) {
    const NodeId node = stack.back();
    stack.pop_back();
    if (!state.status_known(node)) nodes->push_back(node);
    const EdgeId edge = graph.in_edge(node);
    if (!edge.valid() || (*seen_edges)[edge.value]) continue;
    (*seen_edges)[edge.value] = 1;
    for (NodeId out : graph.outputs(edge)) push(out);
    for (NodeId in : graph.inputs(edge)) push(in);
    for (NodeId v : graph.validations(edge)) push(v);
    if (graph.edge(edge).dyndep.valid()) push(graph.edge(edge).dyndep);
    if (deps_log && graph.edge(edge).out_count() > 0) {
      if (const DepsLog::Deps* deps = deps_log->GetDeps(graph.outputs(edge)[0]))
        for (NodeId in : deps->nodes) push(in);
    }
  }
}

std::vector<FileStat> StatInParallel(FileSystem* file_system, const Graph& graph,
                                     std::span<const NodeId> nodes, unsigned threads) {
  if (!file_system->ConcurrentStat()) threads = 1;
  return MapPathsInParallel<FileStat>(graph, nodes, threads,
                                      [&](const std::string& path) {
                                        std::string err;
                                        return file_system->Stat(path, &err);
                                      });
}

}  // namespace composer
