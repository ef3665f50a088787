// Progress reporting: "[finished/total] description" per edge, the
// FAILED block and output of failing commands, and the closing message.
// The format comes from COMPOSER_STATUS, else NINJA_STATUS, else "[%f/%t] ".
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

#include "exec/line_printer.h"
#include "graph/graph.h"

namespace composer {

class BuildLog;
class BuildState;

struct StatusConfig {
  enum class Verbosity { kQuiet, kNoStatusUpdate, kNormal, kVerbose };
  Verbosity verbosity = Verbosity::kNormal;
  int parallelism = 1;
};

class Status {
 public:
  Status(const Graph& graph, const StatusConfig& config);

  // The edges a build is about to run: the commands whose outputs the scan
  // found dirty, and how long each took last time (build log). Call after
  // the targets are added, before the build starts. Only formats that show
  // a prediction (%P, %E, %W, %w) look at them.
  void PredictFrom(const BuildState& state, const BuildLog* build_log);
  void PlanHasTotalEdges(int total);
  void BuildEdgeStarted(EdgeId edge, int64_t start_millis);
  void BuildEdgeFinished(EdgeId edge, int64_t end_millis, bool success, int exit_code,
                         const std::string& output);
  void BuildLoadDyndeps();
  void BuildStarted();
  void BuildFinished();

  // "<program>: message" on stdout, and errors/warnings on stderr, after
  // finishing the status line.
  void Info(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void Error(const char* fmt, ...) __attribute__((format(printf, 2, 3)));

  // Expands the placeholders of `format` (%f, %t, %p, %e, ...).
  std::string FormatProgressStatus(const char* format, int64_t time_millis) const;

  int finished_edges() const { return finished_edges_; }

 private:
  void PrintStatus(EdgeId edge, int64_t time_millis);
  // The share of the build's predicted command time done so far, as Ninja
  // 1.13 computes it for %P, %E and %W.
  void RecalculateProgressPrediction();

  const Graph& graph_;
  StatusConfig config_;
  LinePrinter printer_;
  const char* format_;
  const char* format_variable_;  // the environment variable it came from
  int started_edges_ = 0, finished_edges_ = 0, total_edges_ = 0, running_edges_ = 0;
  int64_t time_millis_ = 0;

  // The prediction: only kept when the format shows it.
  bool predict_ = false;
  std::unordered_map<uint32_t, int64_t> start_millis_;  // running edges
  // Planned edges whose last duration is known and which have not finished.
  std::unordered_map<uint32_t, int64_t> predictable_;
  int predictable_edges_total_ = 0;
  int64_t predictable_millis_total_ = 0;
  int64_t predictable_millis_remaining_ = 0;
  int64_t cpu_millis_ = 0;  // summed durations of the finished edges
  double time_predicted_share_ = 0;

  // Edges per second over the last `parallelism` finished edges (%c).
  mutable std::deque<double> finish_times_;
  mutable int rate_last_update_ = -1;
  mutable double rate_ = -1;
};

}  // namespace composer
