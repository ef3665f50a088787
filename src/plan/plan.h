// The set of edges a build wants, and which of them are ready to run. Ready
// edges come out longest critical path first (durations from the build log,
// dependents' paths added), so the long chains start early and the tail of
// the build is short; pools with a depth hold edges back.
#pragma once

#include <cstdint>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "parse/dyndep_parser.h"
#include "plan/build_state.h"

namespace composer {

class BuildLog;
class DependencyScan;

class Plan {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // A dyndep file an edge waited for was just built: load and apply it.
    virtual bool LoadDyndeps(NodeId node, std::string* err) = 0;
  };

  enum class EdgeResult { kFailed, kSucceeded };

  Plan(BuildState* state, Delegate* delegate);

  // Wants `target` built, with everything it needs. False with *err set on
  // an error, or false with *err empty when there is nothing to do.
  bool AddTarget(NodeId target, std::string* err);

  // Orders the wanted edges by critical path (using the log's durations)
  // and queues those ready to run. Call once, after the targets are added.
  void PrepareQueue(const BuildLog* build_log);

  // The next edge to run, or an invalid id.
  EdgeId FindWork();
  // Puts back an edge FindWork returned that could not start yet.
  void Requeue(EdgeId edge) { PushReady(edge); }
  bool more_to_do() const { return wanted_edges_ > 0 && command_edges_ > 0; }
  int command_edge_count() const { return command_edges_; }

  bool EdgeFinished(EdgeId edge, EdgeResult result, std::string* err);
  // A restat edge left `node` unchanged: mark it clean and stop wanting
  // dependents that no longer need to run.
  bool CleanNode(DependencyScan* scan, NodeId node, std::string* err);
  // Updates the plan after a dyndep file was loaded mid-build.
  bool DyndepsLoaded(DependencyScan* scan, NodeId node, const DyndepFile& file,
                     std::string* err);

 private:
  enum Want : uint8_t { kNotInPlan, kWantNothing, kWantToStart, kWantToFinish };

  bool AddSubTarget(NodeId node, NodeId dependent, std::string* err,
                    std::set<EdgeId>* dyndep_walk);
  void EdgeWanted(EdgeId edge);
  void ScheduleWork(EdgeId edge);
  bool NodeFinished(NodeId node, std::string* err);
  bool EdgeMaybeReady(EdgeId edge, std::string* err);
  bool RefreshDyndepDependents(DependencyScan* scan, NodeId node, std::string* err);
  void UnmarkDependents(NodeId node, std::set<NodeId>* dependents);
  void GrowEdges();

  // Ready queue and pool queues, ordered by priority then id.
  struct ByPriority {
    const std::vector<int64_t>* priority;
    bool operator()(EdgeId a, EdgeId b) const {
      const int64_t pa = (*priority)[a.value], pb = (*priority)[b.value];
      if (pa != pb) return pa < pb;
      return a.value > b.value;
    }
  };
  struct PoolState {
    int in_use = 0;
    std::vector<EdgeId> delayed;  // a heap ordered by ByPriority
  };
  void PushReady(EdgeId edge);
  void RetrieveReadyEdges(PoolId pool);

  BuildState* state_;
  Delegate* delegate_;
  std::vector<Want> want_;
  std::vector<int64_t> priority_;
  std::vector<PoolState> pools_;
  std::vector<EdgeId> ready_;  // a heap ordered by ByPriority
  std::vector<EdgeId> initially_ready_;
  bool queue_prepared_ = false;
  int wanted_edges_ = 0;
  int command_edges_ = 0;
};

}  // namespace composer
