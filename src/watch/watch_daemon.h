// The watcher behind COMPOSER_WATCH=1: a process that outlives builds and
// follows, with inotify, every directory that holds a node of the graph
// (and their parents), so that a build re-stats only what changed since
// the last one instead of every node. Started by the first build that asks
// (`composer -t watch serve`), one per build directory; it exits after an
// idle time, when asked, or when its directory is removed.
//
// What it keeps is a history: a sequence number per event, and for each
// path the number of the last event that concerned it. A directory that could not be
// followed the whole time (created, removed, moved, replaced, a symbolic link retargeted)
// enters the history as a subtree: everything under it may have changed. A history that
// is lost (the kernel's queue overflowed) gets a new instance number, so every older
// token stops meaning anything.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "watch/watch_protocol.h"

namespace composer::watch {

struct DaemonOptions {
  int idle_seconds = 3600;  // exits after this long without a request
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options) : options_(options) {}
  ~Daemon();

  // Sets up inotify and binds the socket for the current directory. False
  // with *err; *already_running when another watcher holds the socket.
  bool Start(bool* already_running, std::string* err);
  // Serves requests until a stop request, the idle time or the removal of
  // the current directory.
  void Serve();

  // One request, as Serve handles it (tests call it directly).
  Reply Handle(const Request& request);

 private:
  enum class AddResult { kWatched, kMissing, kUnwatchable };

  void Drain();
  void OnEvent(int wd, uint32_t mask, const char* name);
  void Want(const std::string& dir);
  AddResult AddWatch(const std::string& path);
  void Unwatch(const std::string& path);
  // The subtree at `path` stopped being followed: log it, drop its watches.
  void Lose(const std::string& path);
  // Follows again whatever under `path` (itself included) is there now.
  void Rewatch(const std::string& path);
  bool Known(const std::string& path) const;
  void Log(std::string path, bool subtree);
  void ForgetHistory();
  void Accept();
  std::string StatusText() const;

  DaemonOptions options_;
  int inotify_ = -1;
  int listen_ = -1;
  int cwd_ = -1;
  bool stop_ = false;
  int64_t started_ms_ = 0;
  int64_t last_request_ms_ = 0;

  uint64_t instance_ = 0;
  uint64_t seq_ = 0;
  uint64_t floor_ = 0;  // tokens older than this are unknown
  // The history, as the last event of each path: a path changed a thousand
  // times costs one entry, so its size is bounded by the tree's.
  std::unordered_map<std::string, uint64_t> changed_;
  std::unordered_map<std::string, uint64_t> subtrees_;
  uint64_t overflows_ = 0;

  std::map<std::string, int> wd_of_path_;  // ordered: subtrees are ranges
  std::unordered_map<int, std::vector<std::string>> paths_of_wd_;
  std::set<std::string> missing_;      // asked for, not there now
  std::set<std::string> unwatchable_;  // remote file systems, watch limits
  std::string unwatchable_reason_;
};

}  // namespace composer::watch
