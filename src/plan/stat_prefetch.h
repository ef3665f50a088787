// Stats many files at once. A no-op build of a large tree is dominated by
// one stat() per node; the kernel serves them from its caches, so they are
// CPU-bound and scale with threads. The dirty scan asks for the nodes it is
// about to visit up front, then finds their stats ready.
#pragma once

#include <algorithm>
#include <atomic>
#include <span>
#include <string>
#include <thread>
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

// stat_one(path) for the path of each of `nodes`, on up to `threads`
// threads; results in the same order. Blocks are handed out on demand, so a
// thread slowed by a cold directory does not hold up the rest.
template <typename Result, typename StatOne>
std::vector<Result> MapPathsInParallel(const Graph& graph, std::span<const NodeId> nodes,
                                       unsigned threads, StatOne stat_one) {
  std::vector<Result> results(nodes.size());
  constexpr size_t kBlock = 256;
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::string path;
    for (;;) {
      const size_t begin = next.fetch_add(kBlock, std::memory_order_relaxed);
      if (begin >= nodes.size()) return;
      const size_t end = std::min(nodes.size(), begin + kBlock);
      for (size_t i = begin; i < end; ++i) {
        path.assign(graph.Path(nodes[i]));
        results[i] = stat_one(path);
      }
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  return results;
}

}  // namespace composer
