// Decides what is out of date, as Ninja does: a depth-first walk from each
// target that stats nodes, loads discovered dependencies and dyndep files,
// and marks outputs dirty when an input is dirty or newer, an output is
// missing, or the command changed since the build log recorded it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parse/dyndep_parser.h"
#include "plan/build_state.h"
#include "plan/dyndep_loader.h"
#include "util/chunked_array.h"
#include "util/hash.h"

namespace composer {

class BuildLog;
class DepsLog;
class FileSystem;
class FingerprintDb;
class WatchedStats;
struct FileStat;

class DependencyScan {
 public:
  DependencyScan(BuildState* state, BuildLog* build_log, DepsLog* deps_log,
                 FileSystem* file_system)
      : state_(state),
        build_log_(build_log),
        deps_log_(deps_log),
        file_system_(file_system),
        dyndep_loader_(state, file_system) {}

  // Computes the dirty state of `node` and everything it depends on.
  // Validation targets met on the way are appended to *validation_nodes.
  bool RecomputeDirty(NodeId node, std::vector<NodeId>* validation_nodes,
                      std::string* err);

  // Whether any output of `edge` is out of date with respect to the newest
  // input (`most_recent_input`, invalid if none), the log and the command.
  bool RecomputeOutputsDirty(EdgeId edge, NodeId most_recent_input, bool* dirty,
                             std::string* err);

  bool LoadDyndeps(NodeId node, DyndepFile* file, std::string* err) {
    return dyndep_loader_.LoadDyndeps(node, file, err);
  }

  // Stats the node unless its mtime is known already.
  bool StatIfNecessary(NodeId node, std::string* err);
  // Stats, several at a time, the nodes a walk from `root` will visit, so
  // that RecomputeDirty finds them known. Failures are left for the walk
  // to meet and report in its order.
  void PrefetchStats(NodeId root);
  // With a watcher (COMPOSER_WATCH=1), PrefetchStats asks it what changed
  // instead of stat'ing every node. Null: stat everything.
  void set_watched_stats(WatchedStats* watched) { watched_stats_ = watched; }
  // Files the walk itself stat'ed or read (stats outside the prefetch,
  // depfiles): what the watcher cannot vouch for (see UpToDateRecord).
  size_t direct_reads() const { return direct_reads_; }

  // With a fingerprint db, a file whose mtime changed but whose content did
  // not keeps its old content time. Null turns content checks off.
  void set_fingerprints(FingerprintDb* db) { fingerprints_ = db; }
  FingerprintDb* fingerprints() const { return fingerprints_; }
  // Hashes `node` when its stat differs from the recorded one and sets its
  // content time. With `hash_new`, a file never seen before is hashed too
  // (sources); otherwise it is left for its producer to record. Returns
  // true when the content is known to be what was recorded before.
  // `known_hash`: the content's hash, when the caller wrote it and knows it.
  bool CheckContent(NodeId node, const FileStat& st, bool hash_new,
                    const Hash128* known_hash = nullptr);

  BuildLog* build_log() const { return build_log_; }
  void set_build_log(BuildLog* log) { build_log_ = log; }
  DepsLog* deps_log() const { return deps_log_; }

 private:
  bool RecomputeNodeDirty(NodeId node, std::vector<NodeId>* stack,
                          std::vector<NodeId>* validation_nodes, std::string* err);
  void ApplyStat(NodeId node, const FileStat& st);
  bool VerifyDAG(NodeId node, std::vector<NodeId>* stack, std::string* err);
  bool RecomputeOutputDirty(EdgeId edge, NodeId most_recent_input, uint64_t command_hash,
                            NodeId output);

  // Attaches the inputs the edge's command discovered last time. False with
  // an empty *err when they are missing or stale (the edge must rerun).
  bool LoadDeps(EdgeId edge, std::string* err);
  bool LoadDepfile(EdgeId edge, const std::string& path, std::string* err);
  bool LoadDepsFromLog(EdgeId edge, std::string* err);
  void AttachDiscovered(EdgeId edge, std::span<const NodeId> nodes);

  BuildState* state_;
  BuildLog* build_log_;
  DepsLog* deps_log_;
  FileSystem* file_system_;
  DyndepLoader dyndep_loader_;
  FingerprintDb* fingerprints_ = nullptr;
  ChunkedArray<NodeId> depfile_inputs_;  // inputs read from depfiles
  std::vector<NodeId> scratch_;
  WatchedStats* watched_stats_ = nullptr;
  size_t direct_reads_ = 0;
  std::vector<uint8_t> prefetched_edges_;  // by edge: walked by PrefetchStats
  // Whether any edge may have `outdirs`: -1 until first asked.
  int8_t outdirs_possible_ = -1;
};

}  // namespace composer
