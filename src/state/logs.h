// The build directory's two logs, loaded and opened together the way every
// build and several tools need them, with Ninja's messages on failure.
#pragma once

#include <string>
#include <string_view>

#include "state/build_log.h"
#include "state/deps_log.h"
#include "state/fingerprint_db.h"

namespace composer {

class FileSystem;

class Logs {
 public:
  Logs(Graph* graph, FileSystem* file_system, std::string build_dir, bool dry_run)
      : graph_(graph),
        fs_(file_system),
        build_dir_(std::move(build_dir)),
        dry_run_(dry_run) {}
  // Marks .composer_db with the state of .ninja_log after a build that kept
  // it current (see LogMarker).
  ~Logs();

  std::string Path(const char* name) const { return PathIn(build_dir_, name); }
  // Where a state file lives: in `build_dir` ($builddir), else here.
  static std::string PathIn(const std::string& build_dir, const char* name) {
    return build_dir.empty() ? std::string(name) : build_dir + "/" + name;
  }

  // Loads each log and opens it for appending (not under -n); with
  // recompact_only, rewrites it compactly instead. Errors are printed.
  bool OpenBuildLog(bool recompact_only);
  bool OpenDepsLog(bool recompact_only);
  // Composer's .composer_db. Failing to read it is only a warning: the
  // build goes on with mtimes alone. Call after OpenBuildLog.
  bool OpenFingerprints();
  // What a build needs, as the three calls above in that order (and with
  // the same messages), but the build log is read on a thread of its own
  // while the others are read (it shares nothing with the graph). Sets
  // *content_check to false when .composer_db could not be opened.
  bool OpenForBuild(bool* content_check);

  // An output the build log names that no edge builds any more and that is
  // gone from the disk: its record can go.
  bool IsOutputDead(std::string_view path) const;
  // Whether an output's recorded deps are still wanted: it is built by an
  // edge with a "deps" binding.
  bool IsDepsEntryLive(NodeId node) const;

  BuildLog& build_log() { return build_log_; }
  DepsLog& deps_log() { return deps_log_; }
  FingerprintDb& fingerprints() { return fingerprints_; }

 private:
  Graph* graph_;
  FileSystem* fs_;
  std::string build_dir_;
  bool dry_run_;
  LogMarker build_log_at_open_;  // .ninja_log before this build touched it
  bool mark_on_close_ = false;
  // Reports a deps log load and opens it, as OpenDepsLog.
  bool FinishDepsLog(LoadStatus status, std::string err, bool recompact_only);
  // A load done ahead (OpenForBuild), consumed by OpenBuildLog.
  bool build_log_loaded_ = false;
  LoadStatus build_log_status_ = LoadStatus::kSuccess;
  std::string build_log_err_;
  BuildLog build_log_;
  DepsLog deps_log_;
  FingerprintDb fingerprints_;
};

}  // namespace composer
