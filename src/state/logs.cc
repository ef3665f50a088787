#include "state/logs.h"

#include "graph/edge_env.h"
#include "util/file_system.h"
#include "util/log.h"

namespace composer {

namespace {

LogMarker StatLog(FileSystem* fs, const std::string& path) {
  std::string err;
  const FileStat st = fs->Stat(path, &err);
  LogMarker marker;
  if (st.exists()) {
    marker.size = st.size;
    marker.mtime = st.mtime;
    marker.inode = st.inode;
  }
  return marker;
}

}  // namespace

Logs::~Logs() {
  if (!mark_on_close_) return;
  build_log_.Close();
  std::string err;
  if (!fingerprints_.RecordLogMarker(StatLog(fs_, Path(".ninja_log")), &err))
    Warning("%s", err.c_str());
}

bool Logs::IsOutputDead(std::string_view path) const {
  const NodeId node = graph_->LookupNode(path);
  if (node.valid() && graph_->in_edge(node).valid()) return false;
  // Keep records of files that still exist, for generators that use them.
  std::string err;
  const FileStat st = fs_->Stat(std::string(path), &err);
  if (st.kind == FileStat::kError) {
    Error("%s", err.c_str());
    return false;
  }
  return !st.exists();
}

bool Logs::IsDepsEntryLive(NodeId node) const {
  const EdgeId edge = graph_->in_edge(node);
  return edge.valid() && !GetBinding(*graph_, edge, RuleKey::kDeps).empty();
}

bool Logs::OpenBuildLog(bool recompact_only) {
  const std::string path = Path(".ninja_log");
  build_log_at_open_ = StatLog(fs_, path);
  std::string err;
  const LoadStatus status = build_log_.Load(path, &err);
  if (status == LoadStatus::kError) {
    Error("loading build log %s: %s", path.c_str(), err.c_str());
    return false;
  }
  if (!err.empty()) Warning("%s", err.c_str());
  auto is_dead = [this](std::string_view p) { return IsOutputDead(p); };
  err.clear();
  if (recompact_only) {
    if (status == LoadStatus::kNotFound) return true;
    if (!build_log_.Recompact(path, is_dead, &err)) {
      Error("failed recompaction: %s", err.c_str());
      return false;
    }
    return true;
  }
  if (!dry_run_ && !build_log_.OpenForWrite(path, is_dead, &err)) {
    Error("opening build log: %s", err.c_str());
    return false;
  }
  return true;
}

bool Logs::OpenDepsLog(bool recompact_only) {
  const std::string path = Path(".ninja_deps");
  std::string err;
  const LoadStatus status = deps_log_.Load(path, graph_, &err);
  if (status == LoadStatus::kError) {
    Error("loading deps log %s: %s", path.c_str(), err.c_str());
    return false;
  }
  if (!err.empty()) Warning("%s", err.c_str());
  auto is_live = [this](NodeId node) { return IsDepsEntryLive(node); };
  err.clear();
  if (recompact_only) {
    if (status == LoadStatus::kNotFound) return true;
    if (!deps_log_.Recompact(path, is_live, *graph_, &err)) {
      Error("failed recompaction: %s", err.c_str());
      return false;
    }
    return true;
  }
  if (!dry_run_ && !deps_log_.OpenForWrite(path, is_live, *graph_, &err)) {
    Error("opening deps log: %s", err.c_str());
    return false;
  }
  return true;
}

}  // namespace composer

namespace composer {

bool Logs::OpenFingerprints() {
  const std::string path = Path(".composer_db");
  std::string err;
  const LoadStatus status = fingerprints_.Load(path, graph_, &err);
  if (status == LoadStatus::kError) {
    Warning("loading %s: %s", path.c_str(), err.c_str());
    return false;
  }
  if (!err.empty()) Warning("%s", err.c_str());
  fingerprints_.set_trusted(fingerprints_.MarkerMatches(build_log_at_open_));
  err.clear();
  if (!fingerprints_.OpenForWrite(dry_run_ ? std::string() : path, *graph_, &err)) {
    Warning("%s", err.c_str());
    return false;
  }
  mark_on_close_ = !dry_run_;
  return true;
}

}  // namespace composer
