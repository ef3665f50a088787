// Runs a build: asks the plan for ready edges, starts their commands,
// records what each finished command did (build log, deps log, restat) and
// feeds the results back to the plan until nothing is left to do.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/action_cache.h"
#include "exec/command_runner.h"
#include "exec/status.h"
#include "plan/build_state.h"
#include "plan/dependency_scan.h"
#include "plan/plan.h"

namespace composer {

class BuildLog;
class DepsLog;
class FileSystem;

class JobserverClient;

struct BuildConfig {
  JobserverClient* jobserver = nullptr;
  bool dry_run = false;
  int parallelism = 1;
  int failures_allowed = 1;
  double max_load_average = 0;
  // The content cache, or null. Cacheable edges are looked up before they
  // would run and stored after they succeed.
  ActionCache* cache = nullptr;
};

// What happened to one edge in a build (for --summary).
struct EdgeReport {
  enum class Outcome { kBuilt, kCachedLocal, kCachedRemote, kFailed };
  EdgeId edge;
  Outcome outcome = Outcome::kBuilt;
  int64_t duration_millis = 0;
  std::string cache_key;  // hex; empty when the edge was not cacheable
};

class Builder : public Plan::Delegate {
 public:
  Builder(BuildState* state, const BuildConfig& config, BuildLog* build_log,
          DepsLog* deps_log, FileSystem* file_system, Status* status,
          int64_t start_millis);
  ~Builder() override;

  // Scans `target` and plans what it needs. False with *err empty when it
  // is already up to date.
  bool AddTarget(NodeId target, std::string* err);
  bool AlreadyUpToDate() const { return !plan_.more_to_do(); }

  // Runs the plan. On failure *err says why ("subcommand failed",
  // "interrupted by user", ...) and exit_code() what to exit with.
  bool Build(std::string* err);
  int exit_code() const { return exit_code_; }
  const std::vector<EdgeReport>& reports() const { return reports_; }

  // Plan::Delegate.
  bool LoadDyndeps(NodeId node, std::string* err) override;

  DependencyScan& scan() { return scan_; }
  // Replaces the runner (tests use a fake one).
  void SetCommandRunner(std::unique_ptr<CommandRunner> runner) {
    runner_ = std::move(runner);
  }

 private:
  bool StartEdge(EdgeId edge, std::string* err);
  // What a cache hit restored: the edge's discovered dependencies (nothing
  // is extracted from its output or depfile then), and the files written,
  // which need not be stat'ed and read back.
  struct Restored {
    std::vector<NodeId> deps;
    std::vector<ActionCache::RestoredFile> files;
  };
  bool FinishCommand(CommandRunner::Result* result, std::string* err,
                     const Restored* restored = nullptr);
  // An output's stat after its edge finished: from `restored` if it wrote
  // it, else from the file system.
  FileStat OutputStat(NodeId out, const Restored* restored, std::string* err);
  // The content hash of an output `restored` wrote; null if it wrote none.
  const Hash128* RestoredHash(NodeId out, const Restored* restored) const;
  // Looks a cacheable edge up before it would run; on a hit restores its
  // outputs and finishes it as if it ran (*hit set). A miss is remembered
  // for StoreInCache.
  // Records `edge` as started now (see Running) and tells the status; the
  // start in milliseconds since the build began.
  int64_t MarkStarted(EdgeId edge);
  // Journals the command's start in .composer_db (content checks on).
  void JournalStart(EdgeId edge);
  // Writes the listing of the edge's output directories into its first
  // output (src/exec/output_stamp.h), when it has any.
  bool WriteOutputStamp(EdgeId edge, std::string* err);
  bool TryCache(EdgeId edge, bool* hit, std::string* err);
  // After a cacheable edge's command succeeded: keeps its outputs.
  void StoreInCache(EdgeId edge, const std::string& deps_type,
                    const std::vector<NodeId>& deps, const std::string& output,
                    int64_t duration_millis);
  bool ExtractDeps(CommandRunner::Result* result, const std::string& deps_type,
                   const std::string& deps_prefix, std::vector<NodeId>* deps,
                   std::string* err);
  // Records content fingerprints of sources the command discovered.
  void FingerprintDiscovered(EdgeId edge, const std::string& deps_type,
                             std::vector<NodeId> deps);
  // Stops running jobs and removes outputs they may have half written.
  void Cleanup();
  int64_t StatMtime(NodeId node, std::string* err);

  BuildState* state_;
  BuildConfig config_;
  BuildLog* build_log_;
  FileSystem* file_system_;
  Status* status_;
  int64_t start_millis_;
  Plan plan_;
  DependencyScan scan_;
  std::unique_ptr<CommandRunner> runner_;
  struct Running {
    int64_t start_millis;  // since the build started, for the log and status
    // The wall clock when the command started, or the newest input time the
    // scan saw if later: what the build log records (see FinishCommand).
    int64_t inputs_as_of;
  };
  std::unordered_map<uint32_t, Running> running_edges_;  // by edge
  // Cache lookups that missed, by edge, until the command's result is stored.
  std::unordered_map<uint32_t, ActionCache::Pending> cache_misses_;
  std::vector<EdgeReport> reports_;
  int exit_code_ = 1;
  // Whether any edge may have `outdirs` (checked once; most graphs have none).
  bool uses_outdirs_ = false;
};

}  // namespace composer
