// Runs edges' commands: for real (a set of subprocesses, limited by -j and
// -l) or not at all (-n, every command succeeds at once).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "exec/subprocess.h"
#include "graph/graph.h"

namespace composer {

class CommandRunner {
 public:
  struct Result {
    EdgeId edge;
    int exit_code = 0;
    std::string output;
    bool interrupted = false;  // Composer itself was signalled
    bool success() const { return exit_code == 0; }
  };

  enum class WaitResult { kFinished, kInterrupted, kSlotMaybeFree };

  virtual ~CommandRunner() = default;
  // Within -j and -l.
  virtual bool CanRunMore() const = 0;
  // Takes a jobserver slot for one more job (always true without one).
  virtual bool AcquireSlot() { return true; }
  virtual bool StartCommand(EdgeId edge, std::string* err) = 0;
  // Waits for a command to finish (or, with `want_slot`, for a jobserver
  // token to appear).
  virtual WaitResult WaitForCommand(Result* result, bool want_slot) = 0;
  virtual std::vector<EdgeId> ActiveEdges() { return {}; }
  virtual void Abort() {}
};

class JobserverClient;

struct RunnerConfig {
  int parallelism = 1;
  double max_load_average = 0;           // <= 0: no limit
  JobserverClient* jobserver = nullptr;  // shared slots, when a jobserver runs
};

std::unique_ptr<CommandRunner> MakeRealCommandRunner(const Graph& graph,
                                                     const RunnerConfig& config);
std::unique_ptr<CommandRunner> MakeDryRunCommandRunner();

}  // namespace composer
