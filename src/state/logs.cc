#include "state/logs.h"

#include <thread>

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
  std::string err;
  LoadStatus status;
  if (build_log_loaded_) {
    status = build_log_status_;
    err = std::move(build_log_err_);
  } else {
    build_log_at_open_ = StatLog(fs_, path);
    status = build_log_.Load(path, &err);
  }
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
  std::string err;
  const LoadStatus status = deps_log_.Load(Path(".ninja_deps"), graph_, &err);
  return FinishDepsLog(status, err, recompact_only);
}

bool Logs::FinishDepsLog(LoadStatus status, std::string err, bool recompact_only) {
  const std::string path = Path(".ninja_deps");
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

bool Logs::OpenForBuild(bool* content_check) {
  const std::string path = Path(".ninja_log");
  build_log_at_open_ = StatLog(fs_, path);
  std::thread reader(
      [this, &path] { build_log_status_ = build_log_.Load(path, &build_log_err_); });
  // The deps log (and .composer_db, below) add nodes to the graph, so they
  // stay on this thread. Their loads have no side effects that would matter
  // if the build log turned out unreadable, except cutting a torn tail.
  std::string deps_err;
  const LoadStatus deps_status = deps_log_.Load(Path(".ninja_deps"), graph_, &deps_err);
  reader.join();
  build_log_loaded_ = true;
  if (!OpenBuildLog(false)) return false;
  if (!FinishDepsLog(deps_status, deps_err, false)) return false;
  *content_check = *content_check && OpenFingerprints();
  return true;
}

}  // namespace composer
