#include "exec/builder.h"

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <set>

#include "exec/msvc_deps.h"
#include "exec/output_stamp.h"
#include "graph/edge_env.h"
#include "graph/output_dirs.h"
#include "parse/depfile_parser.h"
#include "state/build_log.h"
#include "state/deps_log.h"
#include "state/fingerprint_db.h"
#include "util/canon_path.h"
#include "util/clock.h"
#include "util/debug_flags.h"
#include "util/file_system.h"
#include "util/file_tree.h"
#include "util/log.h"
#include "util/metrics.h"

namespace composer {

namespace {

std::string DirName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return std::string();
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

}  // namespace

Builder::Builder(BuildState* state, const BuildConfig& config, BuildLog* build_log,
                 DepsLog* deps_log, FileSystem* file_system, Status* status,
                 int64_t start_millis)
    : state_(state),
      config_(config),
      build_log_(build_log),
      file_system_(file_system),
      status_(status),
      start_millis_(start_millis),
      plan_(state, this),
      scan_(state, build_log, deps_log, file_system),
      uses_outdirs_(state->graph().BindsAnywhere(RuleKey::kOutdirs)) {}

Builder::~Builder() {
  Cleanup();
}

int64_t Builder::StatMtime(NodeId node, std::string* err) {
  const FileStat st = file_system_->Stat(std::string(state_->graph().Path(node)), err);
  if (st.kind == FileStat::kError) return -1;
  return st.exists() ? st.mtime : 0;
}

void Builder::Cleanup() {
  if (!runner_) return;
  const std::vector<EdgeId> active = runner_->ActiveEdges();
  runner_->Abort();
  const Graph& graph = state_->graph();
  for (EdgeId edge : active) {
    const std::string depfile = GetUnescapedBinding(graph, edge, RuleKey::kDepfile);
    for (NodeId out : graph.outputs(edge)) {
      // Remove an output only if the interrupted command touched it (a
      // generator's manifest should survive), but always with a depfile: a
      // command may have written the depfile and not yet its output.
      std::string err;
      const int64_t mtime = StatMtime(out, &err);
      if (mtime == -1) status_->Error("%s", err.c_str());
      if (!depfile.empty() || state_->mtime(out) != mtime)
        file_system_->RemoveFile(std::string(graph.Path(out)), &err);
    }
    std::string err;
    if (!depfile.empty()) file_system_->RemoveFile(depfile, &err);
  }
  runner_.reset();
}

bool Builder::AddTarget(NodeId target, std::string* err) {
  std::vector<NodeId> validations;
  scan_.PrefetchStats(target);
  if (!scan_.RecomputeDirty(target, &validations, err)) return false;
  const EdgeId edge = state_->graph().in_edge(target);
  if (!edge.valid() || !state_->outputs_ready(edge)) {
    if (!plan_.AddTarget(target, err)) return false;
  }
  // Validation targets are built too, as top-level targets of their own.
  for (NodeId v : validations) {
    const EdgeId producer = state_->graph().in_edge(v);
    if (producer.valid() && !state_->outputs_ready(producer) && !plan_.AddTarget(v, err))
      return false;
  }
  return true;
}

bool Builder::Build(std::string* err) {
  plan_.PrepareQueue(build_log_);
  status_->PlanHasTotalEdges(plan_.command_edge_count());
  int pending_commands = 0;
  int failures_allowed = config_.failures_allowed;
  int last_failure_code = 0;

  if (!runner_) {
    if (config_.dry_run) {
      runner_ = MakeDryRunCommandRunner();
    } else {
      RunnerConfig runner_config;
      runner_config.parallelism = config_.parallelism;
      runner_config.max_load_average = config_.max_load_average;
      runner_config.jobserver = config_.jobserver;
      runner_ = MakeRealCommandRunner(state_->graph(), runner_config);
    }
  }
  status_->BuildStarted();

  auto fail = [&](int code) {
    Cleanup();
    status_->BuildFinished();
    exit_code_ = code;
    return false;
  };

  while (plan_.more_to_do()) {
    bool want_slot = false;  // a ready edge waits for a jobserver token
    // Start as many commands as allowed.
    if (failures_allowed && runner_->CanRunMore()) {
      const EdgeId edge = plan_.FindWork();
      if (edge.valid() && config_.cache && !config_.dry_run &&
          !state_->graph().is_phony(edge)) {
        // A hit needs no job slot: its outputs are restored right here.
        bool hit = false;
        if (!TryCache(edge, &hit, err)) return fail(1);
        if (hit) continue;
      }
      if (edge.valid() && !state_->graph().is_phony(edge) && !runner_->AcquireSlot()) {
        // No token free now: wait for one (or for a job to end).
        plan_.Requeue(edge);
        want_slot = true;
      } else if (edge.valid()) {
        // A generator may rewrite the manifest and look at the log: let go
        // of our handle first, as Ninja does.
        if (build_log_ && GetBindingBool(state_->graph(), edge, RuleKey::kGenerator))
          build_log_->Close();
        if (!StartEdge(edge, err)) return fail(1);
        if (state_->graph().is_phony(edge)) {
          if (!plan_.EdgeFinished(edge, Plan::EdgeResult::kSucceeded, err))
            return fail(1);
        } else {
          ++pending_commands;
        }
        continue;
      }
    }

    // Then reap one.
    if (pending_commands) {
      CommandRunner::Result result;
      const CommandRunner::WaitResult wait = runner_->WaitForCommand(&result, want_slot);
      if (wait == CommandRunner::WaitResult::kSlotMaybeFree) continue;
      if (wait == CommandRunner::WaitResult::kInterrupted ||
          result.exit_code == Subprocess::kInterrupted) {
        *err = "interrupted by user";
        return fail(Subprocess::kInterrupted);
      }
      --pending_commands;
      // What it wrote, declared or not, may be an input of a key to come.
      if (config_.cache) config_.cache->CommandRan();
      const EdgeId finished = result.edge;
      const int64_t started = running_edges_[finished.value].start_millis;
      if (!FinishCommand(&result, err)) return fail(1);
      EdgeReport report;
      report.edge = finished;
      report.outcome =
          result.success() ? EdgeReport::Outcome::kBuilt : EdgeReport::Outcome::kFailed;
      report.duration_millis = MonotonicMillis() - start_millis_ - started;
      if (auto it = cache_misses_.find(finished.value);
          it != cache_misses_.end() && it->second.key_known)
        report.cache_key = it->second.key.Hex();
      reports_.push_back(std::move(report));
      cache_misses_.erase(finished.value);
      if (!result.success()) {
        last_failure_code = result.exit_code;
        if (failures_allowed) --failures_allowed;
      }
      continue;
    }

    // Nothing running and nothing startable.
    status_->BuildFinished();
    if (failures_allowed == 0) {
      *err = config_.failures_allowed > 1 ? "subcommands failed" : "subcommand failed";
      exit_code_ = last_failure_code ? last_failure_code : 1;
    } else if (failures_allowed < config_.failures_allowed) {
      *err = "cannot make progress due to previous errors";
      exit_code_ = last_failure_code ? last_failure_code : 1;
    } else {
      *err = "stuck [this is a bug]";
      exit_code_ = 1;
    }
    return false;
  }
  status_->BuildFinished();
  exit_code_ = 0;
  return true;
}

bool Builder::StartEdge(EdgeId edge, std::string* err) {
  ScopedMetric metric("StartEdge");
  const Graph& graph = state_->graph();
  if (graph.is_phony(edge)) return true;
  MarkStarted(edge);

  if (!config_.dry_run) {
    // Output trees start empty, so that they hold what a clean build would.
    // Emptied, not removed: their parent's mtime stays (the npm generator's
    // regeneration edge watches package directories).
    if (uses_outdirs_) {
      for (const std::string& dir : OutputDirs(graph, edge)) {
        const std::string why = CheckOutputDir(dir);
        if (!why.empty()) {
          *err = "outdirs of " + std::string(graph.Path(graph.outputs(edge)[0])) + ": '" +
                 dir + "' " + why;
          return false;
        }
        if (!EmptyTree(dir, err)) return false;
      }
    }
    // Output directories, then the response file.
    for (NodeId out : graph.outputs(edge)) {
      const std::string dir = DirName(graph.Path(out));
      std::string mkdir_err;
      if (!dir.empty() && !file_system_->MakeDirs(dir, &mkdir_err)) {
        Error("%s", mkdir_err.c_str());
        return false;
      }
    }
    const std::string rspfile = GetUnescapedBinding(graph, edge, RuleKey::kRspfile);
    if (!rspfile.empty()) {
      const std::string content = GetBinding(graph, edge, RuleKey::kRspfileContent);
      std::string write_err;
      if (!file_system_->WriteFile(rspfile, content, &write_err)) {
        Error("%s", write_err.c_str());
        return false;
      }
    }
  }

  // Journal the command before it can touch its outputs (see
  // FingerprintDb::Unfinished); a lost record only costs that safety.
  if (!config_.dry_run) JournalStart(edge);

  std::string start_err;
  if (!runner_->StartCommand(edge, &start_err)) {
    *err = "command '" + EvaluateCommand(graph, edge) + "' failed.";
    if (!start_err.empty()) *err += " (" + start_err + ")";
    return false;
  }
  return true;
}

int64_t Builder::MarkStarted(EdgeId edge) {
  const int64_t start = MonotonicMillis() - start_millis_;
  // What the build log will record (see FinishCommand): now, or the newest
  // input the scan saw if that is later.
  int64_t inputs_as_of = WallClockNanos();
  state_->ForEachInput(edge, [&](NodeId in, bool order_only) {
    if (!order_only) inputs_as_of = std::max(inputs_as_of, state_->mtime(in));
  });
  running_edges_[edge.value] = Running{start, inputs_as_of};
  status_->BuildEdgeStarted(edge, start);
  return start;
}

void Builder::JournalStart(EdgeId edge) {
  FingerprintDb* db = scan_.fingerprints();
  if (!db) return;
  std::string db_err;
  const Graph& graph = state_->graph();
  if (!db->CommandStarted(graph, graph.outputs(edge)[0], &db_err))
    Warning("%s", db_err.c_str());
}

bool Builder::TryCache(EdgeId edge, bool* hit, std::string* err) {
  *hit = false;
  ActionCache* cache = config_.cache;
  Graph& graph = state_->graph();
  // Looked up already (the edge then waited for a job slot).
  if (cache_misses_.count(edge.value) || !cache->Cacheable(graph, edge)) return true;
  ScopedMetric metric("CacheLookup");
  ActionCache::Pending pending;
  ActionCache::Hit found;
  if (!cache->Lookup(graph, edge, &pending, &found)) {
    cache_misses_[edge.value] = pending;
    return true;
  }
  std::string restore_err;
  Restored restored;
  if (!cache->Restore(found, OutputDirs(graph, edge), &restore_err, &restored.files)) {
    Warning("cache: %s; running the command instead", restore_err.c_str());
    cache_misses_[edge.value] = pending;
    return true;
  }

  // Finish the edge as if its command had run and printed what it printed.
  // Not journaled as started: a restore renames each output into place, and
  // one cut off leaves the edge dirty for whatever made it dirty now.
  const int64_t start = MarkStarted(edge);
  restored.deps.reserve(found.entry.deps.size());
  for (const std::string& dep : found.entry.deps)
    restored.deps.push_back(graph.GetNode(cache->ResolveKeyPath(dep)));
  state_->Grow();
  CommandRunner::Result result;
  result.edge = edge;
  result.output = std::move(found.entry.output);
  if (!FinishCommand(&result, err, &restored)) return false;
  EdgeReport report;
  report.edge = edge;
  report.outcome = found.remote ? EdgeReport::Outcome::kCachedRemote
                                : EdgeReport::Outcome::kCachedLocal;
  report.duration_millis = MonotonicMillis() - start_millis_ - start;
  report.cache_key = pending.key.Hex();
  reports_.push_back(std::move(report));
  *hit = true;
  return true;
}

void Builder::StoreInCache(EdgeId edge, const std::string& deps_type,
                           const std::vector<NodeId>& deps, const std::string& output,
                           int64_t duration_millis) {
  auto it = cache_misses_.find(edge.value);
  if (it == cache_misses_.end() || !it->second.valid) return;
  ScopedMetric metric("CacheStore");
  const Graph& graph = state_->graph();
  std::vector<std::string> files;
  for (NodeId out : graph.outputs(edge)) files.emplace_back(graph.Path(out));
  if (uses_outdirs_) {
    std::vector<TreeEntry> tree;
    std::string list_err;
    for (const std::string& dir : OutputDirs(graph, edge)) {
      if (!ListTree(dir, &tree, &list_err)) return;  // not storable
    }
    for (TreeEntry& entry : tree) files.push_back(std::move(entry.path));
  }
  std::vector<std::string> dep_paths;
  for (NodeId dep : deps) dep_paths.emplace_back(graph.Path(dep));
  std::string kept_depfile;
  if (deps_type.empty()) {
    // A depfile the next scan reads stays beside the outputs: keep it too,
    // and what it names.
    const std::string depfile = GetUnescapedBinding(graph, edge, RuleKey::kDepfile);
    if (!depfile.empty()) {
      std::string path = depfile, content, read_err;
      CanonicalizePath(&path);
      if (!IsContainedRelativePath(path)) return;
      if (file_system_->ReadFile(depfile, &content, &read_err) !=
          FileSystem::ReadStatus::kOkay)
        return;
      kept_depfile = path;
      DepfileParser parser;
      std::string parse_content = content;
      if (!parser.Parse(&parse_content, &read_err)) return;
      for (std::string_view in : parser.ins()) {
        std::string dep(in);
        CanonicalizePath(&dep);
        dep_paths.push_back(std::move(dep));
      }
    }
  }
  config_.cache->StoreResult(graph, edge, &it->second, files, dep_paths, output,
                             static_cast<uint64_t>(std::max<int64_t>(duration_millis, 0)),
                             kept_depfile);
}

bool Builder::WriteOutputStamp(EdgeId edge, std::string* err) {
  const Graph& graph = state_->graph();
  const std::vector<std::string> dirs = OutputDirs(graph, edge);
  if (dirs.empty()) return true;
  const std::string stamp(graph.Path(graph.outputs(edge)[0]));
  std::string listing, old, read_err;
  if (!DescribeOutputDirs(dirs, &listing, err)) return false;
  // Unchanged trees leave the stamp's bytes alone (content restat then
  // spares the dependents).
  if (file_system_->ReadFile(stamp, &old, &read_err) == FileSystem::ReadStatus::kOkay &&
      old == listing)
    return true;
  return file_system_->WriteFile(stamp, listing, err);
}

const Hash128* Builder::RestoredHash(NodeId out, const Restored* restored) const {
  if (!restored) return nullptr;
  const std::string_view path = state_->graph().Path(out);
  for (const ActionCache::RestoredFile& file : restored->files)
    if (file.path == path) return &file.hash;
  return nullptr;
}

FileStat Builder::OutputStat(NodeId out, const Restored* restored, std::string* err) {
  const std::string_view path = state_->graph().Path(out);
  if (restored) {
    for (const ActionCache::RestoredFile& file : restored->files)
      if (file.path == path) return file.stat;
  }
  return file_system_->Stat(std::string(path), err);
}

bool Builder::FinishCommand(CommandRunner::Result* result, std::string* err,
                            const Restored* restored) {
  const std::vector<NodeId>* cached_deps = restored ? &restored->deps : nullptr;
  ScopedMetric metric("FinishCommand");
  Graph& graph = state_->graph();
  const EdgeId edge = result->edge;

  // Discovered dependencies first: this filters /showIncludes from the
  // output even on failure, and a bad depfile fails the command.
  std::vector<NodeId> deps_nodes;
  const std::string deps_type = GetBinding(graph, edge, RuleKey::kDeps);
  const std::string deps_prefix = GetBinding(graph, edge, RuleKey::kMsvcDepsPrefix);
  if (cached_deps) {
    deps_nodes = *cached_deps;
  } else if (!deps_type.empty()) {
    std::string extract_err;
    if (!ExtractDeps(result, deps_type, deps_prefix, &deps_nodes, &extract_err) &&
        result->success()) {
      if (!result->output.empty()) result->output += "\n";
      result->output += extract_err;
      result->exit_code = 1;
    }
  }

  const Running running = running_edges_[edge.value];
  const int64_t start = running.start_millis;
  const int64_t end = MonotonicMillis() - start_millis_;
  running_edges_.erase(edge.value);
  status_->BuildEdgeFinished(edge, end, result->success(), result->exit_code,
                             result->output);

  if (!result->success()) return plan_.EdgeFinished(edge, Plan::EdgeResult::kFailed, err);
  if (uses_outdirs_ && !cached_deps && !config_.dry_run && !WriteOutputStamp(edge, err))
    return false;
  if (config_.cache && !cached_deps && !config_.dry_run)
    StoreInCache(edge, deps_type, deps_nodes, result->output, end - start);

  // Restat the outputs: a restat rule that left an output untouched cleans
  // the nodes that depended on it.
  int64_t output_mtime = 0;
  const bool restat =
      GetBindingBool(graph, edge, RuleKey::kRestat) || state_->dyndep_restat(edge);
  // Only a generator's outputs are logged with their own (or, after a
  // restat, their newest input's) time; see the build log record below.
  const bool generator = GetBindingBool(graph, edge, RuleKey::kGenerator);
  if (!config_.dry_run) {
    bool node_cleaned = false;
    const std::span<const NodeId> outputs_span = graph.outputs(edge);
    const std::vector<NodeId> outputs(outputs_span.begin(), outputs_span.end());
    for (NodeId out : outputs) {
      const FileStat st = OutputStat(out, restored, err);
      if (st.kind == FileStat::kError) return false;
      const int64_t new_mtime = st.exists() ? st.mtime : 0;
      if (new_mtime > output_mtime) output_mtime = new_mtime;
      if (state_->mtime(out) == new_mtime && restat) {
        // Also for outputs that did not exist and still do not.
        if (!plan_.CleanNode(&scan_, out, err)) return false;
        node_cleaned = true;
        continue;
      }
      // An output rewritten with the same bytes leaves its users alone:
      // restat by content, for every rule.
      if (scan_.fingerprints() && st.kind == FileStat::kFile &&
          !graph.out_edges(out).empty() &&
          scan_.CheckContent(out, st, true, RestoredHash(out, restored))) {
        if (!plan_.CleanNode(&scan_, out, err)) return false;
        status_->PlanHasTotalEdges(plan_.command_edge_count());
      }
    }
    if (node_cleaned) {
      // Cleaning may have shrunk the plan.
      status_->PlanHasTotalEdges(plan_.command_edge_count());
    }
    if (node_cleaned && generator) {
      // Record the newest input (or depfile) time instead, so the next
      // build sees the output as newer than what it was built from.
      int64_t restat_mtime = 0;
      bool failed = false;
      state_->ForEachInput(edge, [&](NodeId in, bool order_only) {
        if (order_only || failed) return;
        const int64_t input_mtime = StatMtime(in, err);
        if (input_mtime == -1) failed = true;
        if (input_mtime > restat_mtime) restat_mtime = input_mtime;
      });
      if (failed) return false;
      const std::string depfile = GetUnescapedBinding(graph, edge, RuleKey::kDepfile);
      if (restat_mtime != 0 && deps_type.empty() && !depfile.empty()) {
        const FileStat st = file_system_->Stat(depfile, err);
        if (st.kind == FileStat::kError) return false;
        if (st.exists() && st.mtime > restat_mtime) restat_mtime = st.mtime;
      }
      output_mtime = restat_mtime;
    }
  }

  if (!plan_.EdgeFinished(edge, Plan::EdgeResult::kSucceeded, err)) return false;

  const std::string rspfile = GetUnescapedBinding(graph, edge, RuleKey::kRspfile);
  if (!rspfile.empty() && !Debug().keep_rsp) {
    std::string rm_err;
    file_system_->RemoveFile(rspfile, &rm_err);
  }

  // The log records when the command started rather than when its outputs
  // were written (as Ninja 1.12 does, for ninja #1162): an input edited
  // while the command ran is newer than that, so the next build reruns it
  // although the outputs are newer still. Ninja 1.11 reads the time the
  // same way. A generator's outputs keep their own time: regenerating may
  // touch its inputs (CMake's CMakeCache.txt), which must not rerun it.
  if (!config_.dry_run && !generator) output_mtime = running.inputs_as_of;

  if (build_log_) {
    const uint64_t hash = build_log_->HashCommand(EvaluateCommand(graph, edge, true));
    if (!build_log_->RecordCommand(graph, graph.outputs(edge), hash,
                                   static_cast<int32_t>(start), static_cast<int32_t>(end),
                                   output_mtime, err))
      return false;
  }

  if (!config_.dry_run) FingerprintDiscovered(edge, deps_type, deps_nodes);

  if (!deps_type.empty() && !config_.dry_run) {
    DepsLog* deps_log = scan_.deps_log();
    for (NodeId out : graph.outputs(edge)) {
      const FileStat st = OutputStat(out, restored, err);
      if (st.kind == FileStat::kError) return false;
      const int64_t deps_mtime = st.exists() ? st.mtime : 0;
      if (deps_log && !deps_log->RecordDeps(graph, out, deps_mtime, deps_nodes, err))
        return false;
    }
  }
  if (FingerprintDb* db = scan_.fingerprints(); db && !config_.dry_run) {
    // A restore needs a record only to end an earlier run's that failed.
    const NodeId first = graph.outputs(edge)[0];
    std::string db_err;
    if ((!restored || db->Unfinished(first)) &&
        !db->CommandFinished(graph, first, &db_err))
      Warning("%s", db_err.c_str());
  }
  return true;
}

void Builder::FingerprintDiscovered(EdgeId edge, const std::string& deps_type,
                                    std::vector<NodeId> deps) {
  FingerprintDb* db = scan_.fingerprints();
  if (!db) return;
  Graph& graph = state_->graph();
  if (deps_type.empty()) {
    // A depfile the scan will read next time: read it now, while the files
    // it names are what the command just saw.
    const std::string depfile = GetUnescapedBinding(graph, edge, RuleKey::kDepfile);
    std::string content, err;
    if (depfile.empty() ||
        file_system_->ReadFile(depfile, &content, &err) != FileSystem::ReadStatus::kOkay)
      return;
    DepfileParser parser;
    if (!parser.Parse(&content, &err)) return;
    for (std::string_view in : parser.ins()) {
      std::string path(in);
      CanonicalizePath(&path);
      deps.push_back(graph.GetNode(path));
    }
    state_->Grow();
  }
  // Sources first seen as discovered dependencies get a fingerprint now, so
  // that touching one later is told apart from editing it.
  for (NodeId dep : deps) {
    if (db->Find(dep)) continue;
    const EdgeId producer = graph.in_edge(dep);
    if (producer.valid() && !graph.is_discovered_phony(producer)) continue;
    std::string err;
    const FileStat st = file_system_->Stat(std::string(graph.Path(dep)), &err);
    if (st.kind == FileStat::kFile) scan_.CheckContent(dep, st, true);
  }
}

bool Builder::ExtractDeps(CommandRunner::Result* result, const std::string& deps_type,
                          const std::string& deps_prefix, std::vector<NodeId>* deps,
                          std::string* err) {
  Graph& graph = state_->graph();
  if (deps_type == "msvc") {
    std::set<std::string> includes;
    std::string filtered;
    ParseShowIncludes(result->output, deps_prefix, &includes, &filtered);
    result->output = std::move(filtered);
    for (const std::string& include : includes) deps->push_back(graph.GetNode(include));
    state_->Grow();
    return true;
  }
  if (deps_type != "gcc") Fatal("unknown deps type '%s'", deps_type.c_str());

  const std::string depfile = GetUnescapedBinding(graph, result->edge, RuleKey::kDepfile);
  if (depfile.empty()) {
    *err = "edge with deps=gcc but no depfile makes no sense";
    return false;
  }
  std::string content;
  switch (file_system_->ReadFile(depfile, &content, err)) {
    case FileSystem::ReadStatus::kOkay:
      break;
    case FileSystem::ReadStatus::kNotFound:
      err->clear();
      break;
    case FileSystem::ReadStatus::kOtherError:
      return false;
  }
  if (content.empty()) return true;
  DepfileParser parser;
  if (!parser.Parse(&content, err)) return false;
  deps->reserve(parser.ins().size());
  for (std::string_view in : parser.ins()) {
    std::string path(in);
    CanonicalizePath(&path);
    deps->push_back(graph.GetNode(path));
  }
  state_->Grow();
  if (!Debug().keep_depfile) {
    std::string rm_err;
    if (file_system_->RemoveFile(depfile, &rm_err) < 0) {
      *err = "deleting depfile: " + rm_err + "\n";
      return false;
    }
  }
  return true;
}

bool Builder::LoadDyndeps(NodeId node, std::string* err) {
  status_->BuildLoadDyndeps();
  DyndepFile file;
  if (!scan_.LoadDyndeps(node, &file, err)) return false;
  if (!plan_.DyndepsLoaded(&scan_, node, file, err)) return false;
  status_->PlanHasTotalEdges(plan_.command_edge_count());
  return true;
}

}  // namespace composer
