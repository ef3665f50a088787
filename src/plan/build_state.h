// What one build learns about the graph as it goes: node mtimes and dirty
// bits, edge visit marks and readiness, and the dependencies edges
// discovered (depfiles, the deps log). Plain arrays indexed by id, sized
// to the graph and grown when the build adds nodes or edges.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/graph.h"

namespace composer {

class BuildState {
 public:
  // Node mtimes: kUnknown before the first stat, kMissing for no file.
  static constexpr int64_t kUnknown = -1;
  static constexpr int64_t kMissing = 0;

  enum class Visit : uint8_t { kNone, kInStack, kDone };

  // Every dyndep file the manifest names starts out pending.
  explicit BuildState(Graph* graph) : graph_(graph) {
    Grow();
    for (uint32_t e = 0; e < graph_->edge_count(); ++e) {
      const NodeId dyndep = graph_->edge(EdgeId(e)).dyndep;
      if (dyndep.valid()) dyndep_pending_[dyndep.value] = 1;
    }
  }

  // Makes room for nodes and edges added since the last call.
  void Grow() {
    const uint32_t nodes = graph_->node_count();
    if (mtime_.size() < nodes) {
      mtime_.resize(nodes, kUnknown);
      content_mtime_.resize(nodes, kUnknown);
      dirty_.resize(nodes, 0);
      source_checked_.resize(nodes, 0);
      dyndep_pending_.resize(nodes, 0);
    }
    const uint32_t edges = graph_->edge_count();
    if (visit_.size() < edges) {
      visit_.resize(edges, Visit::kNone);
      outputs_ready_.resize(edges, 0);
      deps_loaded_.resize(edges, 0);
      deps_missing_.resize(edges, 0);
      dyndep_restat_.resize(edges, 0);
      discovered_.resize(edges);
    }
  }

  Graph& graph() { return *graph_; }
  const Graph& graph() const { return *graph_; }

  // --- nodes ---
  int64_t mtime(NodeId n) const { return mtime_[n.value]; }
  // Sets the stat'ed mtime; the content time starts out the same.
  void set_mtime(NodeId n, int64_t mtime) {
    mtime_[n.value] = mtime;
    content_mtime_[n.value] = mtime;
  }
  // When the node's content last changed, as far as Composer knows: its
  // mtime, or older when the file was touched without changing. This is
  // the time compared when the node is an input.
  int64_t content_mtime(NodeId n) const { return content_mtime_[n.value]; }
  void set_content_mtime(NodeId n, int64_t mtime) { content_mtime_[n.value] = mtime; }
  bool status_known(NodeId n) const { return mtime_[n.value] != kUnknown; }
  bool exists(NodeId n) const { return mtime_[n.value] > 0; }
  bool dirty(NodeId n) const { return dirty_[n.value]; }
  void set_dirty(NodeId n, bool dirty) { dirty_[n.value] = dirty; }
  // Whether the scan has judged this source (a node no edge builds): its
  // stat may be known earlier, from a prefetch, without that.
  bool source_checked(NodeId n) const { return source_checked_[n.value]; }
  void set_source_checked(NodeId n) { source_checked_[n.value] = 1; }
  bool dyndep_pending(NodeId n) const { return dyndep_pending_[n.value]; }
  void set_dyndep_pending(NodeId n, bool pending) { dyndep_pending_[n.value] = pending; }
  // A phony output takes the newest mtime of its inputs when it has no file.
  void UpdatePhonyMtime(NodeId n, int64_t mtime) {
    if (!exists(n) && mtime > mtime_[n.value]) set_mtime(n, mtime);
  }

  // --- edges ---
  Visit visit(EdgeId e) const { return visit_[e.value]; }
  void set_visit(EdgeId e, Visit v) { visit_[e.value] = v; }
  bool outputs_ready(EdgeId e) const { return outputs_ready_[e.value]; }
  void set_outputs_ready(EdgeId e, bool ready) { outputs_ready_[e.value] = ready; }
  bool deps_loaded(EdgeId e) const { return deps_loaded_[e.value]; }
  void set_deps_loaded(EdgeId e, bool loaded) { deps_loaded_[e.value] = loaded; }
  bool deps_missing(EdgeId e) const { return deps_missing_[e.value]; }
  void set_deps_missing(EdgeId e, bool missing) { deps_missing_[e.value] = missing; }
  // "restat = 1" added by a dyndep file.
  bool dyndep_restat(EdgeId e) const { return dyndep_restat_[e.value]; }
  void set_dyndep_restat(EdgeId e) { dyndep_restat_[e.value] = 1; }

  // Inputs the edge's command discovered, which count as implicit inputs
  // (between the manifest's implicit and order-only ones, as in Ninja).
  std::span<const NodeId> discovered(EdgeId e) const { return discovered_[e.value]; }
  void set_discovered(EdgeId e, std::span<const NodeId> nodes) {
    discovered_[e.value] = nodes;
  }

  // Calls fn(node, order_only) for every input of the edge, in Ninja's order.
  template <typename Fn>
  void ForEachInput(EdgeId e, Fn&& fn) const {
    const Edge& edge = graph_->edge(e);
    std::span<const NodeId> inputs = graph_->inputs(e);
    const uint32_t before_order_only = edge.explicit_ins + edge.implicit_ins;
    for (uint32_t i = 0; i < before_order_only; ++i) fn(inputs[i], false);
    for (NodeId n : discovered_[e.value]) fn(n, false);
    for (uint32_t i = before_order_only; i < inputs.size(); ++i) fn(inputs[i], true);
  }

  // True when every input's producing edge has its outputs ready.
  bool AllInputsReady(EdgeId e) const {
    bool ready = true;
    ForEachInput(e, [&](NodeId in, bool) {
      const EdgeId producer = graph_->in_edge(in);
      if (producer.valid() && !outputs_ready(producer)) ready = false;
    });
    return ready;
  }

 private:
  Graph* graph_;
  std::vector<int64_t> mtime_;
  std::vector<int64_t> content_mtime_;
  std::vector<uint8_t> dirty_;
  std::vector<uint8_t> source_checked_;
  std::vector<uint8_t> dyndep_pending_;
  std::vector<Visit> visit_;
  std::vector<uint8_t> outputs_ready_;
  std::vector<uint8_t> deps_loaded_;
  std::vector<uint8_t> deps_missing_;
  std::vector<uint8_t> dyndep_restat_;
  std::vector<std::span<const NodeId>> discovered_;
};

}  // namespace composer
