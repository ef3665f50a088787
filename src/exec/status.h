// Progress reporting: "[finished/total] description" per edge, the
// FAILED block and output of failing commands, and the closing message.
// The format comes from COMPOSER_STATUS, else NINJA_STATUS, else "[%f/%t] ".
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "exec/line_printer.h"
#include "graph/graph.h"

namespace composer {

struct StatusConfig {
  enum class Verbosity { kQuiet, kNoStatusUpdate, kNormal, kVerbose };
  Verbosity verbosity = Verbosity::kNormal;
  int parallelism = 1;
};

class Status {
 public:
  Status(const Graph& graph, const StatusConfig& config);

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

  const Graph& graph_;
  StatusConfig config_;
  LinePrinter printer_;
  const char* format_;
  int started_edges_ = 0, finished_edges_ = 0, total_edges_ = 0, running_edges_ = 0;
  int64_t time_millis_ = 0;

  // Edges per second over the last `parallelism` finished edges (%c).
  mutable std::deque<double> finish_times_;
  mutable int rate_last_update_ = -1;
  mutable double rate_ = -1;
};

}  // namespace composer
