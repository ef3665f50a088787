#include "plan/dependency_scan.h"

#include <algorithm>
#include <cinttypes>
#include <cstdlib>
#include <thread>

#include "graph/edge_env.h"
#include "graph/output_dirs.h"
#include "parse/depfile_parser.h"
#include "plan/stat_prefetch.h"
#include "plan/watched_stats.h"
#include "state/build_log.h"
#include "state/deps_log.h"
#include "state/fingerprint_db.h"
#include "util/canon_path.h"
#include "util/debug_flags.h"
#include "util/file_system.h"
#include "util/log.h"
#include "util/metrics.h"

namespace composer {

namespace {

std::string PathOf(const Graph& graph, NodeId node) {
  return std::string(graph.Path(node));
}

}  // namespace

bool DependencyScan::StatIfNecessary(NodeId node, std::string* err) {
  if (state_->status_known(node)) return true;
  ++direct_reads_;
  ScopedMetric metric("node stat");
  const FileStat st = file_system_->Stat(PathOf(state_->graph(), node), err);
  if (st.kind == FileStat::kError) return false;
  ApplyStat(node, st);
  return true;
}

void DependencyScan::ApplyStat(NodeId node, const FileStat& st) {
  state_->set_mtime(node, st.exists() ? st.mtime : BuildState::kMissing);
  if (fingerprints_ && st.kind == FileStat::kFile) {
    // Sources are hashed on first sight so that a later touch can be told
    // from an edit; generated files are recorded when they are built.
    const EdgeId producer = state_->graph().in_edge(node);
    CheckContent(node, st,
                 !producer.valid() || state_->graph().is_discovered_phony(producer));
  }
}

void DependencyScan::PrefetchStats(NodeId root) {
  // Below this, threads cost more than they save.
  size_t min_nodes = 2048;
  unsigned threads = std::min(8u, std::thread::hardware_concurrency());
  if (const char* env = getenv("COMPOSER_STAT_THREADS")) {
    // Set (tests, tuning): use exactly that many, whatever the size.
    threads = static_cast<unsigned>(atoi(env));
    min_nodes = 1;
  }
  if (!watched_stats_ && (threads < 2 || !file_system_->ConcurrentStat())) return;
  std::vector<NodeId> nodes;
  CollectNodesToStat(*state_, deps_log_, root, &prefetched_edges_, &nodes);
  if (watched_stats_) {
    ScopedMetric metric("node stat (watched)");
    watched_stats_->Stat(state_->graph(), nodes, threads,
                         [this](NodeId node, const FileStat& st) {
                           if (st.kind != FileStat::kError) ApplyStat(node, st);
                         });
    return;
  }
  if (nodes.size() < min_nodes) return;
  ScopedMetric metric("node stat (parallel)");
  const std::vector<FileStat> stats =
      StatInParallel(file_system_, state_->graph(), nodes, threads);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (stats[i].kind != FileStat::kError) ApplyStat(nodes[i], stats[i]);
  }
}

bool DependencyScan::CheckContent(NodeId node, const FileStat& st, bool hash_new,
                                  const Hash128* known_hash) {
  const Graph& graph = state_->graph();
  const Fingerprint* old = fingerprints_->Find(node);
  if (old && old->size == st.size && old->mtime == st.mtime && old->inode == st.inode) {
    state_->set_content_mtime(node, old->content_mtime);
    return true;
  }
  if (!old && !hash_new) return false;
  ScopedMetric metric("content hash");
  Fingerprint fresh;
  std::string err;
  if (known_hash) {
    fresh.hash = *known_hash;
  } else if (!HashFile(PathOf(graph, node), &fresh.hash, &err)) {
    // Unreadable now: judge by mtime alone, as Ninja would.
    return false;
  } else {
    ++fingerprints_->files_hashed;
  }
  fresh.size = st.size;
  fresh.mtime = st.mtime;
  fresh.inode = st.inode;
  fresh.content_mtime = st.mtime;
  const bool unchanged = old && old->hash == fresh.hash && fingerprints_->trusted();
  if (old && old->hash == fresh.hash && !unchanged) {
    Explain(
        "%s: content as recorded, but another program built here since; going by mtime",
        PathOf(graph, node).c_str());
  }
  if (unchanged) {
    fresh.content_mtime = old->content_mtime;
    ++fingerprints_->touched_unchanged;
    Explain("%s: mtime changed, content did not (%" PRId64 " vs %" PRId64 ")",
            PathOf(graph, node).c_str(), st.mtime, old->mtime);
  }
  state_->set_content_mtime(node, fresh.content_mtime);
  if (!fingerprints_->Record(graph, node, fresh, &err)) {
    // Losing the record only costs a hash next time.
    Warning("%s", err.c_str());
    fingerprints_ = nullptr;
  }
  return unchanged;
}

bool DependencyScan::RecomputeDirty(NodeId initial, std::vector<NodeId>* validation_nodes,
                                    std::string* err) {
  std::vector<NodeId> stack;
  std::vector<NodeId> new_validations;
  std::vector<NodeId> queue{initial};
  // Validation targets found on the way are checked afterwards, as roots of
  // their own: walking into them from here could report false cycles.
  for (size_t i = 0; i < queue.size(); ++i) {
    stack.clear();
    new_validations.clear();
    if (!RecomputeNodeDirty(queue[i], &stack, &new_validations, err)) return false;
    queue.insert(queue.end(), new_validations.begin(), new_validations.end());
    if (validation_nodes)
      validation_nodes->insert(validation_nodes->end(), new_validations.begin(),
                               new_validations.end());
  }
  return true;
}

bool DependencyScan::RecomputeNodeDirty(NodeId node, std::vector<NodeId>* stack,
                                        std::vector<NodeId>* validation_nodes,
                                        std::string* err) {
  Graph& graph = state_->graph();
  const EdgeId edge = graph.in_edge(node);
  if (!edge.valid()) {
    // A source: dirty when missing. (Judged once; a prefetch may have
    // stat'ed it already, so a known stat does not mean judged.)
    if (state_->source_checked(node)) return true;
    state_->set_source_checked(node);
    if (!StatIfNecessary(node, err)) return false;
    if (!state_->exists(node))
      Explain("%s has no in-edge and is missing", PathOf(graph, node).c_str());
    state_->set_dirty(node, !state_->exists(node));
    return true;
  }

  if (state_->visit(edge) == BuildState::Visit::kDone) return true;
  if (!VerifyDAG(node, stack, err)) return false;
  state_->set_visit(edge, BuildState::Visit::kInStack);
  stack->push_back(node);

  bool dirty = false;
  state_->set_outputs_ready(edge, true);
  state_->set_deps_missing(edge, false);

  if (!state_->deps_loaded(edge)) {
    // A dyndep file that is already up to date is loaded now, so this and
    // other edges see their full inputs; one still to be built is loaded
    // when it finishes (it is an input, so this edge waits for it).
    const NodeId dyndep = graph.edge(edge).dyndep;
    if (dyndep.valid() && state_->dyndep_pending(dyndep)) {
      if (!RecomputeNodeDirty(dyndep, stack, validation_nodes, err)) return false;
      const EdgeId producer = graph.in_edge(dyndep);
      if (!producer.valid() || state_->outputs_ready(producer)) {
        DyndepFile file;
        if (!LoadDyndeps(dyndep, &file, err)) return false;
      }
    }
  }

  for (uint32_t i = 0; i < graph.edge(edge).out_count(); ++i) {
    if (!StatIfNecessary(graph.outputs(edge)[i], err)) return false;
  }

  if (!state_->deps_loaded(edge)) {
    state_->set_deps_loaded(edge, true);
    if (!LoadDeps(edge, err)) {
      if (!err->empty()) return false;
      // No usable record of what the command read: run it to find out.
      dirty = true;
      state_->set_deps_missing(edge, true);
    }
  }

  for (NodeId v : graph.validations(edge)) validation_nodes->push_back(v);

  // Inputs by index: visiting one may load a dyndep file, which can move
  // other edges' node runs and so invalidate spans.
  NodeId most_recent_input;
  auto visit_input = [&](NodeId in, bool order_only) {
    EdgeId producer = graph.in_edge(in);
    // Most inputs were seen before (shared headers): skip the call then.
    if (producer.valid() ? state_->visit(producer) != BuildState::Visit::kDone
                         : !state_->source_checked(in)) {
      if (!RecomputeNodeDirty(in, stack, validation_nodes, err)) return false;
      producer = graph.in_edge(in);  // a dyndep file may have given it one
    }
    if (producer.valid() && !state_->outputs_ready(producer)) {
      state_->set_outputs_ready(edge, false);
      // This edge waits for `in`: make sure finishing it reaches this edge
      // even when `in` is a dependency only the command knew about.
      if (graph.is_discovered_phony(producer)) graph.AddOutEdge(in, edge);
    }
    if (!order_only) {
      if (state_->dirty(in)) {
        Explain("%s is dirty", PathOf(graph, in).c_str());
        dirty = true;
      } else if (!most_recent_input.valid() ||
                 state_->content_mtime(in) > state_->content_mtime(most_recent_input)) {
        most_recent_input = in;
      }
    }
    return true;
  };
  const uint32_t before_order_only =
      graph.edge(edge).explicit_ins + graph.edge(edge).implicit_ins;
  for (uint32_t i = 0; i < before_order_only; ++i) {
    if (!visit_input(graph.inputs(edge)[i], false)) return false;
  }
  const std::span<const NodeId> discovered = state_->discovered(edge);
  for (NodeId in : discovered) {
    if (!visit_input(in, false)) return false;
  }
  for (uint32_t i = before_order_only; i < graph.edge(edge).in_count(); ++i) {
    if (!visit_input(graph.inputs(edge)[i], true)) return false;
  }

  if (!dirty && !RecomputeOutputsDirty(edge, most_recent_input, &dirty, err))
    return false;

  if (dirty) {
    for (NodeId out : graph.outputs(edge)) state_->set_dirty(out, true);
    // A phony edge with no inputs has nothing to do, so stays ready.
    const bool has_inputs = graph.edge(edge).in_count() > 0 || !discovered.empty();
    if (!(graph.is_phony(edge) && !has_inputs)) state_->set_outputs_ready(edge, false);
  }

  state_->set_visit(edge, BuildState::Visit::kDone);
  stack->pop_back();
  return true;
}

bool DependencyScan::VerifyDAG(NodeId node, std::vector<NodeId>* stack,
                               std::string* err) {
  const Graph& graph = state_->graph();
  const EdgeId edge = graph.in_edge(node);
  if (state_->visit(edge) != BuildState::Visit::kInStack) return true;

  // The edge is further up the stack: report the cycle from there, naming
  // this node as its start rather than another output of that edge.
  auto start = stack->begin();
  while (start != stack->end() && graph.in_edge(*start) != edge) ++start;
  *start = node;
  *err = "dependency cycle: ";
  for (auto it = start; it != stack->end(); ++it) {
    *err += graph.Path(*it);
    *err += " -> ";
  }
  *err += graph.Path(*start);
  const Edge& e = graph.edge(edge);
  if (start + 1 == stack->end() && graph.is_phony(edge) && e.out_count() == 1 &&
      e.implicit_outs == 0 && e.implicit_ins == 0) {
    // The parser drops such self-references unless asked to keep them.
    *err += " [-w phonycycle=err]";
  }
  return false;
}

bool DependencyScan::RecomputeOutputsDirty(EdgeId edge, NodeId most_recent_input,
                                           bool* dirty, std::string* err) {
  const Graph& graph = state_->graph();
  if (fingerprints_ && !graph.is_phony(edge) && graph.edge(edge).out_count() > 0 &&
      fingerprints_->Unfinished(graph.outputs(edge)[0])) {
    Explain("the last run of the command for %s did not succeed",
            PathOf(graph, graph.outputs(edge)[0]).c_str());
    *dirty = true;
    return true;
  }
  // An output directory that is gone (deleted by hand, say) reruns the
  // command, as a missing output does.
  if (outdirs_possible_ < 0) outdirs_possible_ = graph.BindsAnywhere(RuleKey::kOutdirs);
  if (outdirs_possible_) {
    for (const std::string& dir : OutputDirs(graph, edge)) {
      ++direct_reads_;  // a directory, not a node: no watcher vouches for it
      const FileStat st = file_system_->Stat(dir, err);
      if (st.kind == FileStat::kError) return false;
      if (st.kind != FileStat::kDirectory) {
        Explain("output directory %s doesn't exist", dir.c_str());
        *dirty = true;
        return true;
      }
    }
  }
  // The hash covers the response file's content too, so changing it reruns
  // the command.
  uint64_t command_hash = 0;
  if (build_log_ && !graph.is_phony(edge)) {
    // Hashed ahead of time by the graph image when it could (0: unknown).
    const int version = build_log_->version();  // 0: no log read
    if (version) command_hash = graph.command_hash(edge, version >= 7 ? 1 : 0);
    if (!command_hash)
      command_hash = build_log_->HashCommand(EvaluateCommand(graph, edge, true));
  }
  for (NodeId out : graph.outputs(edge)) {
    if (RecomputeOutputDirty(edge, most_recent_input, command_hash, out)) {
      *dirty = true;
      return true;
    }
  }
  return true;
}

bool DependencyScan::RecomputeOutputDirty(EdgeId edge, NodeId most_recent_input,
                                          uint64_t command_hash, NodeId output) {
  const Graph& graph = state_->graph();
  if (graph.is_phony(edge)) {
    // Phony edges write nothing. An output is dirty only when the edge has
    // no inputs and the file is missing.
    const bool has_inputs =
        graph.edge(edge).in_count() > 0 || !state_->discovered(edge).empty();
    if (!has_inputs && !state_->exists(output)) {
      Explain("output %s of phony edge with no inputs doesn't exist",
              PathOf(graph, output).c_str());
      return true;
    }
    // Dependents see the newest input's time through the phony output.
    if (most_recent_input.valid())
      state_->UpdatePhonyMtime(output, state_->content_mtime(most_recent_input));
    return false;
  }

  if (!state_->exists(output)) {
    Explain("output %s doesn't exist", PathOf(graph, output).c_str());
    return true;
  }

  const BuildLog::Entry* entry = nullptr;
  const int64_t newest_input =
      most_recent_input.valid() ? state_->content_mtime(most_recent_input) : 0;
  if (most_recent_input.valid() && state_->mtime(output) < newest_input) {
    int64_t output_mtime = state_->mtime(output);
    // A restat rule may have left the output older than its inputs on
    // purpose; the log then holds the newest input time of that run.
    bool used_restat = false;
    if ((GetBindingBool(graph, edge, RuleKey::kRestat) || state_->dyndep_restat(edge)) &&
        build_log_ && (entry = build_log_->Lookup(output))) {
      output_mtime = entry->mtime;
      used_restat = true;
    }
    if (output_mtime < newest_input) {
      Explain("%soutput %s older than most recent input %s (%" PRId64 " vs %" PRId64 ")",
              used_restat ? "restat of " : "", PathOf(graph, output).c_str(),
              PathOf(graph, most_recent_input).c_str(), output_mtime, newest_input);
      return true;
    }
  }

  if (build_log_) {
    const bool generator = GetBindingBool(graph, edge, RuleKey::kGenerator);
    if (entry || (entry = build_log_->Lookup(output))) {
      // A generator's command may change without making it dirty.
      if (!generator && entry->command_hash != command_hash) {
        Explain("command line changed for %s", PathOf(graph, output).c_str());
        return true;
      }
      // A run that wrote the output but failed or was interrupted leaves
      // an old time in the log though the file is new.
      if (most_recent_input.valid() && entry->mtime < newest_input) {
        Explain("recorded mtime of %s older than most recent input %s (%" PRId64
                " vs %" PRId64 ")",
                PathOf(graph, output).c_str(), PathOf(graph, most_recent_input).c_str(),
                entry->mtime, newest_input);
        return true;
      }
    }
    if (!entry && !generator) {
      Explain("command line not found in log for %s", PathOf(graph, output).c_str());
      return true;
    }
  }
  return false;
}

void DependencyScan::AttachDiscovered(EdgeId edge, std::span<const NodeId> nodes) {
  Graph& graph = state_->graph();
  for (NodeId node : nodes) {
    const EdgeId producer = graph.in_edge(node);
    if (!producer.valid()) {
      // Give it a phony producer: a missing header then reruns the edge
      // rather than failing as "missing and no known rule to make it".
      const EdgeId phony = graph.AddDiscoveredPhonyEdge(node);
      state_->Grow();
      state_->set_outputs_ready(phony, true);
    } else if (!graph.is_discovered_phony(producer)) {
      // A generated file: its producer finishing must reach this edge.
      graph.AddOutEdge(node, edge);
    }
  }
  state_->set_discovered(edge, nodes);
}

bool DependencyScan::LoadDeps(EdgeId edge, std::string* err) {
  const Graph& graph = state_->graph();
  if (!GetBinding(graph, edge, RuleKey::kDeps).empty()) return LoadDepsFromLog(edge, err);
  const std::string depfile = GetUnescapedBinding(graph, edge, RuleKey::kDepfile);
  if (!depfile.empty()) return LoadDepfile(edge, depfile, err);
  return true;
}

bool DependencyScan::LoadDepfile(EdgeId edge, const std::string& path, std::string* err) {
  ScopedMetric metric("depfile load");
  Graph& graph = state_->graph();
  std::string content;
  ++direct_reads_;
  switch (file_system_->ReadFile(path, &content, err)) {
    case FileSystem::ReadStatus::kOkay:
      break;
    case FileSystem::ReadStatus::kNotFound:
      err->clear();
      break;
    case FileSystem::ReadStatus::kOtherError:
      *err = "loading '" + path + "': " + *err;
      return false;
  }
  if (content.empty()) {
    Explain("depfile '%s' is missing", path.c_str());
    return false;
  }

  DepfileParser parser;
  std::string parse_err;
  if (!parser.Parse(&content, &parse_err)) {
    *err = path + ": " + parse_err;
    return false;
  }
  if (parser.outs().empty()) {
    *err = path + ": no outputs declared";
    return false;
  }
  // The depfile must be about this edge (its first output); otherwise it is
  // stale and the edge reruns.
  std::string primary(parser.outs()[0]);
  CanonicalizePath(&primary);
  const std::string first_output = PathOf(graph, graph.outputs(edge)[0]);
  if (primary != first_output) {
    Explain("expected depfile '%s' to mention '%s', got '%s'", path.c_str(),
            first_output.c_str(), primary.c_str());
    return false;
  }
  // Only the first output is canonicalised (in place, in Ninja): "./out"
  // names out there, other outputs must match as written.
  for (size_t i = 0; i < parser.outs().size(); ++i) {
    const std::string_view out = i == 0 ? std::string_view(primary) : parser.outs()[i];
    bool declared = false;
    for (NodeId o : graph.outputs(edge)) declared |= graph.Path(o) == out;
    if (!declared) {
      *err = path + ": depfile mentions '" + std::string(out) +
             "' as an output, but no such output was declared";
      return false;
    }
  }

  scratch_.clear();
  for (std::string_view in : parser.ins()) {
    std::string input(in);
    CanonicalizePath(&input);
    scratch_.push_back(graph.GetNode(input));
  }
  state_->Grow();
  AttachDiscovered(edge, depfile_inputs_.Append(scratch_));
  return true;
}

bool DependencyScan::LoadDepsFromLog(EdgeId edge, std::string* err) {
  const Graph& graph = state_->graph();
  // Deps are recorded for the first output only.
  const NodeId output = graph.outputs(edge)[0];
  const DepsLog::Deps* deps = deps_log_ ? deps_log_->GetDeps(output) : nullptr;
  if (!deps) {
    Explain("deps for '%s' are missing", PathOf(graph, output).c_str());
    return false;
  }
  // Written before the output changed again: out of date.
  if (state_->mtime(output) > deps->mtime) {
    Explain("stored deps info out of date for '%s' (%" PRId64 " vs %" PRId64 ")",
            PathOf(graph, output).c_str(), deps->mtime, state_->mtime(output));
    return false;
  }
  AttachDiscovered(edge, deps->nodes);
  return true;
}

}  // namespace composer
