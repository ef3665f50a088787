// Stats through the file-system watcher (COMPOSER_WATCH=1, src/watch): a
// node whose stat the last build recorded (.composer_stats) and whose
// directory the watcher has seen nothing happen to since keeps that stat;
// the rest are stat'ed. A no-op build of a large tree then stats almost
// nothing.
//
// Correct because the watcher's token is taken before any stat it vouches
// for: whatever changes afterwards is in its history at the next build.
// Symbolic links are always stat'ed (a link's target elsewhere changes
// without an event in the watched parent). A directory node's own mtime
// moves with its entries, which only a watch on it hears of: it is vouched
// for once the watcher follows it itself.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "state/stat_snapshot.h"
#include "util/file_system.h"
#include "watch/watch_protocol.h"

namespace composer {

class WatchedStats {
 public:
  // `snapshot_path`: .composer_stats in the build directory.
  // `start_watcher`: start one when none answers (off in tests, whose
  // binary is not composer).
  WatchedStats(FileSystem* file_system, std::string snapshot_path,
               bool start_watcher = true)
      : file_system_(file_system),
        snapshot_path_(std::move(snapshot_path)),
        start_watcher_(start_watcher) {}

  // Calls `apply` with each of `nodes` and its stat (not in their order);
  // up to `threads` threads stat what must be stat'ed. Without a watcher
  // (the first build starts one) every node is stat'ed. A failed stat is
  // passed on as kError.
  void Stat(const Graph& graph, std::span<const NodeId> nodes, unsigned threads,
            const std::function<void(NodeId, const FileStat&)>& apply);

  // For -d stats and the tests: nodes answered from the snapshot, and
  // stat'ed, over this process's calls.
  // The token of this process's first answer, and whether every stat of
  // the process came with the watcher's answer and may be vouched for by it
  // later (none failed, none was of a directory or a link): then nothing
  // changed since that token means no stat changed.
  watch::Token first_token() const { return first_token_; }
  bool all_vouchable() const { return all_vouchable_; }

  size_t reused() const { return reused_; }
  size_t stated() const { return stated_; }

 private:
  FileSystem* file_system_;
  std::string snapshot_path_;
  bool start_watcher_;
  watch::Token first_token_;
  bool all_vouchable_ = true;
  size_t reused_ = 0;
  size_t stated_ = 0;
};

}  // namespace composer
