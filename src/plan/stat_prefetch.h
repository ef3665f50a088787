// Stats many files at once. A no-op build of a large tree is dominated by
// one stat() per node; the kernel serves them from its caches, so they are
// CPU-bound and scale with threads. The dirty scan asks for the nodes it is
// about to visit up front, then finds their stats ready.
#pragma once

#include <span>
#include <vector>

#include "graph/graph.h"
#include "util/file_system.h"

namespace composer {

class BuildState;
class DepsLog;

// Nodes reachable from `root` (inputs, outputs, validations, dyndep files,
// and the dependencies the deps log recorded) whose stat is not known yet.
// `seen_edges` (one flag per edge) carries over between calls so several
// targets walk shared parts once.
void CollectNodesToStat(const BuildState& state, const DepsLog* deps_log, NodeId root,
                        std::vector<uint8_t>* seen_edges, std::vector<NodeId>* nodes);

// Stats `nodes` with up to `threads` threads; results in the same order.
std::vector<FileStat> StatInParallel(FileSystem* file_system, const Graph& graph,
                                     std::span<const NodeId> nodes, unsigned threads);

}  // namespace composer
