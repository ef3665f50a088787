// Composer's own state beside Ninja's logs: .composer_db. For every file
// whose content Composer has hashed, the stat it had (size, mtime, inode),
// its xxh3-128 content hash, and the "content time": the mtime at which
// its content last changed. A file whose stat still matches is known
// unchanged without being read; one touched without a change keeps its
// content time, so nothing downstream reruns.
//
// Binary and append-only like .ninja_deps (see doc/formats.md): a magic, a
// version, then records; a torn tail is cut off on load, and the file is
// rewritten compactly when mostly superseded records fill it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "state/build_log.h"
#include "util/hash.h"

namespace composer {

struct Fingerprint {
  uint64_t size = 0;
  int64_t mtime = 0;
  uint64_t inode = 0;
  Hash128 hash;
  int64_t content_mtime = 0;
};

// What .ninja_log looked like when a Composer build that kept this database
// current ended. If the log differs at the next start, another program
// (ninja, or composer --ninja-exact) built here since, possibly from file
// contents this database never saw: a file whose hash matches an old record
// may have been edited and reverted in between, so "unchanged since" cannot
// be trusted for that build.
struct LogMarker {
  uint64_t size = 0;
  int64_t mtime = 0;
  uint64_t inode = 0;
  bool operator==(const LogMarker&) const = default;
};

class FingerprintDb {
 public:
  static constexpr uint32_t kVersion = 1;

  ~FingerprintDb();

  LoadStatus Load(const std::string& path, Graph* graph, std::string* err);
  // Rewrites the file first when it has grown redundant. An empty path
  // keeps everything in memory (dry runs).
  bool OpenForWrite(const std::string& path, const Graph& graph, std::string* err);
  void Close();

  // Whether the last recorded marker equals `log_now`, the build log as
  // found before this build touched it.
  bool MarkerMatches(const LogMarker& log_now) const {
    return has_marker_ && marker_ == log_now;
  }
  bool RecordLogMarker(const LogMarker& marker, std::string* err);
  // Whether an old record may vouch that a file with a new stat but the
  // same hash is unchanged (false after another program built here).
  bool trusted() const { return trusted_; }
  void set_trusted(bool trusted) { trusted_ = trusted; }

  // A journal of commands in flight, by first output: a command that
  // failed or was cut off may have left partial outputs that mtimes cannot
  // expose (its inputs can keep old content times), so its edge reruns
  // until a run of it succeeds.
  bool CommandStarted(const Graph& graph, NodeId first_output, std::string* err);
  bool CommandFinished(const Graph& graph, NodeId first_output, std::string* err);
  bool Unfinished(NodeId first_output) const {
    const int32_t id = IdOf(first_output);
    return id >= 0 && unfinished_[id];
  }

  const Fingerprint* Find(NodeId node) const;
  bool Record(const Graph& graph, NodeId node, const Fingerprint& print,
              std::string* err);

  // Statistics for -d stats.
  uint32_t files_hashed = 0;
  uint32_t touched_unchanged = 0;

 private:
  bool EnsureOpen(std::string* err);
  bool Write(const void* data, size_t size, std::string* err);
  // The db id of `node`, appending its path record to *record if new.
  int32_t EnsureId(const Graph& graph, NodeId node, std::string* record);
  bool RecordCommandState(const Graph& graph, NodeId node, uint32_t kind,
                          std::string* err);
  bool Recompact(const std::string& path, const Graph& graph, std::string* err);
  int32_t IdOf(NodeId node) const {
    return node.value < id_of_node_.size() ? id_of_node_[node.value] : -1;
  }

  std::vector<NodeId> nodes_;        // db id -> node
  std::vector<int32_t> id_of_node_;  // node -> db id, -1 if none
  std::vector<Fingerprint> prints_;  // by db id
  std::vector<uint8_t> has_print_;
  std::vector<uint8_t> unfinished_;  // by db id
  LogMarker marker_;
  bool has_marker_ = false;
  bool trusted_ = true;
  uint32_t total_records_ = 0;
  bool needs_recompaction_ = false;
  std::string path_;
  FILE* file_ = nullptr;
};

}  // namespace composer
