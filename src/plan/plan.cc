#include "plan/plan.h"

#include <algorithm>

#include "plan/dependency_scan.h"
#include "state/build_log.h"

namespace composer {

Plan::Plan(BuildState* state, Delegate* delegate) : state_(state), delegate_(delegate) {
  GrowEdges();
}

void Plan::GrowEdges() {
  const uint32_t edges = state_->graph().edge_count();
  if (want_.size() < edges) {
    want_.resize(edges, kNotInPlan);
    priority_.resize(edges, 0);
  }
  if (pools_.size() < state_->graph().pool_count())
    pools_.resize(state_->graph().pool_count());
}

bool Plan::AddTarget(NodeId target, std::string* err) {
  return AddSubTarget(target, NodeId(), err, nullptr);
}

bool Plan::AddSubTarget(NodeId node, NodeId dependent, std::string* err,
                        std::set<EdgeId>* dyndep_walk) {
  const Graph& graph = state_->graph();
  GrowEdges();
  const EdgeId edge = graph.in_edge(node);
  if (!edge.valid()) {
    if (state_->dirty(node)) {
      std::string referenced;
      if (dependent.valid())
        referenced = ", needed by '" + std::string(graph.Path(dependent)) + "',";
      *err = "'" + std::string(graph.Path(node)) + "'" + referenced +
             " missing and no known rule to make it";
    }
    return false;
  }
  if (state_->outputs_ready(edge)) return false;  // nothing to do

  const bool first_visit = want_[edge.value] == kNotInPlan;
  if (first_visit) want_[edge.value] = kWantNothing;
  if (dyndep_walk && want_[edge.value] == kWantToFinish) return false;

  if (state_->dirty(node) && want_[edge.value] == kWantNothing) {
    want_[edge.value] = kWantToStart;
    EdgeWanted(edge);
    if (!dyndep_walk && state_->AllInputsReady(edge)) {
      // Queued once the critical path is known (PrepareQueue), or at once
      // when the build is already running.
      if (queue_prepared_)
        ScheduleWork(edge);
      else
        initially_ready_.push_back(edge);
    }
  }
  if (dyndep_walk) dyndep_walk->insert(edge);
  if (!first_visit) return true;  // inputs already processed

  bool failed = false;
  std::vector<NodeId> inputs;
  state_->ForEachInput(edge, [&](NodeId in, bool) { inputs.push_back(in); });
  for (NodeId in : inputs) {
    if (!AddSubTarget(in, node, err, dyndep_walk) && !err->empty()) {
      failed = true;
      break;
    }
  }
  return !failed;
}

void Plan::EdgeWanted(EdgeId edge) {
  ++wanted_edges_;
  if (!state_->graph().is_phony(edge)) ++command_edges_;
}

void Plan::PrepareQueue(const BuildLog* build_log) {
  const Graph& graph = state_->graph();
  GrowEdges();
  // Each planned edge's own cost: its last duration, else the typical one.
  std::vector<EdgeId> planned;
  std::vector<int64_t> known;
  for (uint32_t e = 0; e < want_.size(); ++e) {
    if (want_[e] == kNotInPlan) continue;
    planned.push_back(EdgeId(e));
    int64_t cost = -1;
    if (graph.is_phony(EdgeId(e))) {
      cost = 0;
    } else if (build_log) {
      const BuildLog::Entry* entry = build_log->Lookup(graph.outputs(EdgeId(e))[0]);
      if (entry && entry->end_time >= entry->start_time) {
        cost = std::max<int64_t>(1, entry->end_time - entry->start_time);
        known.push_back(cost);
      }
    }
    priority_[e] = cost;
  }
  int64_t typical = 1;
  if (!known.empty()) {
    std::nth_element(known.begin(), known.begin() + known.size() / 2, known.end());
    typical = known[known.size() / 2];
  }
  // Scale so that ties between equal paths go to edges with more dependents.
  std::vector<uint32_t> pending(want_.size(), 0);  // planned dependents not yet summed
  std::vector<uint32_t> dependents(want_.size(), 0);
  for (EdgeId e : planned) {
    if (priority_[e.value] < 0) priority_[e.value] = typical;
    state_->ForEachInput(e, [&](NodeId in, bool) {
      const EdgeId producer = graph.in_edge(in);
      if (producer.valid() && producer.value < want_.size() &&
          want_[producer.value] != kNotInPlan) {
        ++pending[producer.value];
        ++dependents[producer.value];
      }
    });
  }
  // Longest path to the end of the build, from the sinks back (Kahn).
  std::vector<int64_t> path(want_.size(), 0);
  std::vector<EdgeId> work;
  for (EdgeId e : planned) {
    if (pending[e.value] == 0) work.push_back(e);
  }
  while (!work.empty()) {
    const EdgeId e = work.back();
    work.pop_back();
    path[e.value] += priority_[e.value];
    state_->ForEachInput(e, [&](NodeId in, bool) {
      const EdgeId producer = graph.in_edge(in);
      if (!producer.valid() || producer.value >= want_.size() ||
          want_[producer.value] == kNotInPlan)
        return;
      path[producer.value] = std::max(path[producer.value], path[e.value]);
      if (--pending[producer.value] == 0) work.push_back(producer);
    });
  }
  for (EdgeId e : planned)
    priority_[e.value] =
        path[e.value] * 1024 + std::min<uint32_t>(dependents[e.value], 1023);

  queue_prepared_ = true;
  std::vector<EdgeId> initial;
  initial.swap(initially_ready_);
  for (EdgeId e : initial) ScheduleWork(e);
}

void Plan::PushReady(EdgeId edge) {
  ready_.push_back(edge);
  std::push_heap(ready_.begin(), ready_.end(), ByPriority{&priority_});
}

EdgeId Plan::FindWork() {
  if (ready_.empty()) return EdgeId();
  std::pop_heap(ready_.begin(), ready_.end(), ByPriority{&priority_});
  const EdgeId edge = ready_.back();
  ready_.pop_back();
  return edge;
}

void Plan::RetrieveReadyEdges(PoolId pool_id) {
  const Pool& pool = state_->graph().pool(pool_id);
  PoolState& p = pools_[pool_id.value];
  while (!p.delayed.empty() && p.in_use + 1 <= pool.depth) {
    std::pop_heap(p.delayed.begin(), p.delayed.end(), ByPriority{&priority_});
    const EdgeId edge = p.delayed.back();
    p.delayed.pop_back();
    ++p.in_use;
    PushReady(edge);
  }
}

void Plan::ScheduleWork(EdgeId edge) {
  // Already queued: an edge and one of its inputs can share an order-only
  // input, or a node can list the same out edge twice.
  if (want_[edge.value] == kWantToFinish) return;
  want_[edge.value] = kWantToFinish;
  const PoolId pool = state_->graph().edge(edge).pool;
  if (state_->graph().pool(pool).depth != 0) {
    PoolState& p = pools_[pool.value];
    p.delayed.push_back(edge);
    std::push_heap(p.delayed.begin(), p.delayed.end(), ByPriority{&priority_});
    RetrieveReadyEdges(pool);
  } else {
    PushReady(edge);
  }
}

bool Plan::EdgeFinished(EdgeId edge, EdgeResult result, std::string* err) {
  const bool directly_wanted = want_[edge.value] != kWantNothing;
  const PoolId pool = state_->graph().edge(edge).pool;
  // Free the pool slot and let a delayed edge in.
  if (directly_wanted && state_->graph().pool(pool).depth != 0)
    --pools_[pool.value].in_use;
  if (state_->graph().pool(pool).depth != 0) RetrieveReadyEdges(pool);

  if (result != EdgeResult::kSucceeded) return true;
  if (directly_wanted) --wanted_edges_;
  want_[edge.value] = kNotInPlan;
  state_->set_outputs_ready(edge, true);

  const std::span<const NodeId> outputs = state_->graph().outputs(edge);
  const std::vector<NodeId> outs(outputs.begin(), outputs.end());
  for (NodeId out : outs) {
    if (!NodeFinished(out, err)) return false;
  }
  return true;
}

bool Plan::NodeFinished(NodeId node, std::string* err) {
  // A dyndep file just built: load it, which may add work.
  if (state_->dyndep_pending(node)) return delegate_->LoadDyndeps(node, err);

  std::vector<EdgeId> users;
  for (EdgeId e : state_->graph().out_edges(node)) users.push_back(e);
  for (EdgeId e : users) {
    if (e.value >= want_.size() || want_[e.value] == kNotInPlan) continue;
    if (!EdgeMaybeReady(e, err)) return false;
  }
  return true;
}

bool Plan::EdgeMaybeReady(EdgeId edge, std::string* err) {
  if (!state_->AllInputsReady(edge)) return true;
  if (want_[edge.value] != kWantNothing) {
    ScheduleWork(edge);
    return true;
  }
  // Not needed itself, but something after it may be.
  return EdgeFinished(edge, EdgeResult::kSucceeded, err);
}

bool Plan::CleanNode(DependencyScan* scan, NodeId node, std::string* err) {
  const Graph& graph = state_->graph();
  state_->set_dirty(node, false);
  std::vector<EdgeId> users;
  for (EdgeId e : graph.out_edges(node)) users.push_back(e);
  for (EdgeId e : users) {
    if (e.value >= want_.size() || want_[e.value] == kNotInPlan ||
        want_[e.value] == kWantNothing)
      continue;
    // An edge whose deps failed to load must run anyway.
    if (state_->deps_missing(e)) continue;

    // If no regular input is dirty any more, the outputs may be clean now.
    // The newest input by content time, as the scan picks it: with content
    // checks a touched but unchanged input has a new mtime and an old
    // content time, and RecomputeOutputsDirty compares content times.
    bool any_dirty = false;
    NodeId most_recent_input;
    state_->ForEachInput(e, [&](NodeId in, bool order_only) {
      if (order_only) return;
      if (state_->dirty(in)) any_dirty = true;
      if (!most_recent_input.valid() ||
          state_->content_mtime(in) > state_->content_mtime(most_recent_input))
        most_recent_input = in;
    });
    if (any_dirty) continue;
    bool outputs_dirty = false;
    if (!scan->RecomputeOutputsDirty(e, most_recent_input, &outputs_dirty, err))
      return false;
    if (outputs_dirty) continue;
    const std::span<const NodeId> outputs = graph.outputs(e);
    const std::vector<NodeId> outs(outputs.begin(), outputs.end());
    for (NodeId out : outs) {
      if (!CleanNode(scan, out, err)) return false;
    }
    want_[e.value] = kWantNothing;
    --wanted_edges_;
    if (!graph.is_phony(e)) --command_edges_;
  }
  return true;
}

bool Plan::DyndepsLoaded(DependencyScan* scan, NodeId node, const DyndepFile& file,
                         std::string* err) {
  GrowEdges();
  // The dyndep information may make dependents dirty.
  if (!RefreshDyndepDependents(scan, node, err)) return false;

  // Edges in the plan that gained inputs: walk the newly reachable graph.
  std::set<EdgeId> walk;
  for (const auto& [edge, dyndeps] : file) {
    if (state_->outputs_ready(edge)) continue;
    if (want_[edge.value] == kNotInPlan) continue;
    for (NodeId in : dyndeps.implicit_inputs) {
      if (!AddSubTarget(in, state_->graph().outputs(edge)[0], err, &walk) &&
          !err->empty())
        return false;
    }
  }
  // The node's own users, as NodeFinished would have handled them.
  for (EdgeId e : state_->graph().out_edges(node)) {
    if (e.value < want_.size() && want_[e.value] != kNotInPlan) walk.insert(e);
  }
  for (EdgeId e : walk) {
    if (want_[e.value] == kNotInPlan) continue;
    if (!EdgeMaybeReady(e, err)) return false;
  }
  return true;
}

bool Plan::RefreshDyndepDependents(DependencyScan* scan, NodeId node, std::string* err) {
  std::set<NodeId> dependents;
  UnmarkDependents(node, &dependents);
  for (NodeId n : dependents) {
    std::vector<NodeId> validations;
    if (!scan->RecomputeDirty(n, &validations, err)) return false;
    GrowEdges();
    for (NodeId v : validations) {
      const EdgeId producer = state_->graph().in_edge(v);
      if (producer.valid() && !state_->outputs_ready(producer) && !AddTarget(v, err))
        return false;
    }
    if (!state_->dirty(n)) continue;
    // Known dirty now: want the edge if it was only passed through before.
    const EdgeId edge = state_->graph().in_edge(n);
    if (want_[edge.value] == kWantNothing) {
      want_[edge.value] = kWantToStart;
      EdgeWanted(edge);
    }
  }
  return true;
}

void Plan::UnmarkDependents(NodeId node, std::set<NodeId>* dependents) {
  std::vector<EdgeId> users;
  for (EdgeId e : state_->graph().out_edges(node)) users.push_back(e);
  for (EdgeId e : users) {
    if (e.value >= want_.size() || want_[e.value] == kNotInPlan) continue;
    if (state_->visit(e) == BuildState::Visit::kNone) continue;
    state_->set_visit(e, BuildState::Visit::kNone);
    for (NodeId out : state_->graph().outputs(e)) {
      if (dependents->insert(out).second) UnmarkDependents(out, dependents);
    }
  }
}

}  // namespace composer
