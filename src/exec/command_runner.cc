#include "exec/command_runner.h"

#include <cstdlib>
#include <deque>

#include "exec/jobserver.h"
#include "graph/edge_env.h"

namespace composer {

namespace {

class RealCommandRunner : public CommandRunner {
 public:
  RealCommandRunner(const Graph& graph, const RunnerConfig& config)
      : graph_(graph), config_(config) {}

  bool CanRunMore() const override {
    const size_t jobs = subprocs_.running() + subprocs_.finished();
    if (static_cast<int64_t>(jobs) >= config_.parallelism) return false;
    if (subprocs_.running() == 0 || config_.max_load_average <= 0) return true;
    double load[1];
    return getloadavg(load, 1) < 0 || load[0] < config_.max_load_average;
  }

  bool AcquireSlot() override {
    JobserverClient* jobserver = config_.jobserver;
    if (!jobserver) return true;
    // One implicit slot; a token for every further job.
    const size_t jobs = subprocs_.running() + subprocs_.finished();
    if (tokens_held_ >= jobs) return true;
    if (!jobserver->TryAcquire()) return false;
    ++tokens_held_;
    return true;
  }

  bool StartCommand(EdgeId edge, std::string* err) override {
    const std::string command = EvaluateCommand(graph_, edge);
    Subprocess* job =
        subprocs_.Add(command, graph_.edge(edge).pool == Graph::kConsolePool, err);
    if (!job) return false;
    edge_of_.emplace(job, edge);
    return true;
  }

  WaitResult WaitForCommand(Result* result, bool want_slot) override {
    std::unique_ptr<Subprocess> job;
    const int wake_fd = want_slot && config_.jobserver ? config_.jobserver->fd() : -1;
    while (!(job = subprocs_.NextFinished())) {
      bool woken = false;
      if (subprocs_.DoWork(wake_fd, &woken)) {
        result->interrupted = true;
        result->exit_code = Subprocess::kInterrupted;
        return WaitResult::kInterrupted;
      }
      if (woken && !subprocs_.finished()) return WaitResult::kSlotMaybeFree;
    }
    result->exit_code = job->Finish();
    result->output = job->output();
    auto it = edge_of_.find(job.get());
    result->edge = it->second;
    edge_of_.erase(it);
    job.reset();
    // Give back the token the job held.
    if (config_.jobserver && tokens_held_ > subprocs_.running() + subprocs_.finished()) {
      config_.jobserver->Release();
      --tokens_held_;
    }
    return WaitResult::kFinished;
  }

  std::vector<EdgeId> ActiveEdges() override {
    std::vector<EdgeId> edges;
    for (const auto& [job, edge] : edge_of_) edges.push_back(edge);
    return edges;
  }

  void Abort() override {
    subprocs_.Clear();
    for (; tokens_held_ > 0; --tokens_held_) config_.jobserver->Release();
  }

 private:
  const Graph& graph_;
  RunnerConfig config_;
  SubprocessSet subprocs_;
  std::unordered_map<const Subprocess*, EdgeId> edge_of_;
  size_t tokens_held_ = 0;
};

class DryRunCommandRunner : public CommandRunner {
 public:
  bool CanRunMore() const override { return true; }
  bool StartCommand(EdgeId edge, std::string*) override {
    finished_.push_back(edge);
    return true;
  }
  WaitResult WaitForCommand(Result* result, bool) override {
    if (finished_.empty()) return WaitResult::kInterrupted;
    result->edge = finished_.front();
    result->exit_code = 0;
    finished_.pop_front();
    return WaitResult::kFinished;
  }

 private:
  std::deque<EdgeId> finished_;
};

}  // namespace

std::unique_ptr<CommandRunner> MakeRealCommandRunner(const Graph& graph,
                                                     const RunnerConfig& config) {
  return std::make_unique<RealCommandRunner>(graph, config);
}

std::unique_ptr<CommandRunner> MakeDryRunCommandRunner() {
  return std::make_unique<DryRunCommandRunner>();
}

}  // namespace composer
