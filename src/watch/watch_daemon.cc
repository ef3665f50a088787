#include "watch/watch_daemon.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "util/clock.h"
#include "watch/watch_paths.h"

namespace composer::watch {

namespace {

// Everything that changes what stat() says of an entry, or which entries
// there are. IN_CLOSE_WRITE catches files written through mmap (linkers
// do), whose writes raise no IN_MODIFY.
constexpr uint32_t kMask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE |
                           IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF |
                           IN_MOVE_SELF | IN_ONLYDIR;
constexpr uint32_t kEntryChanged = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;
constexpr uint32_t kWatchLost = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED;

// Past this many paths the history starts again (and old tokens with it).
constexpr size_t kMaxHistory = size_t{4} << 20;

// File systems whose changes can come from other machines, which inotify
// never hears of: directories on them are reported as changed every time.
bool IsRemoteFileSystem(const std::string& path) {
  struct statfs fs;
  if (statfs(path.c_str(), &fs) != 0) return false;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0x6969:      // NFS
    case 0x517B:      // SMB
    case 0xFF534D42:  // CIFS
    case 0xFE534D42:  // SMB2
    case 0x65735546:  // FUSE
    case 0x00C36400:  // Ceph
    case 0x5346414F:  // AFS
    case 0x01021997:  // 9P
    case 0x73757245:  // Coda
    case 0x47504653:  // GPFS
      return true;
    default:
      return false;
  }
}

uint64_t NewInstance() {
  uint64_t value = 0;
  while (value == 0) {
    if (getrandom(&value, sizeof value, 0) != sizeof value)
      value = static_cast<uint64_t>(MonotonicMillis()) ^
              (static_cast<uint64_t>(getpid()) << 40);
  }
  return value;
}

}  // namespace

Daemon::~Daemon() {
  for (int fd : {inotify_, listen_, cwd_})
    if (fd >= 0) close(fd);
}

bool Daemon::Start(bool* already_running, std::string* err) {
  *already_running = false;
  char real[PATH_MAX];
  if (!realpath(".", real)) {
    *err = std::string("realpath(.): ") + strerror(errno);
    return false;
  }
  cwd_ = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  inotify_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (cwd_ < 0 || inotify_ < 0) {
    *err = std::string(cwd_ < 0 ? "open(.): " : "inotify_init1: ") + strerror(errno);
    return false;
  }
  listen_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_ < 0) {
    *err = std::string("socket: ") + strerror(errno);
    return false;
  }
  const std::string name = SocketName(real);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path + 1, name.data(), name.size());  // sun_path[0] = 0: abstract
  const socklen_t size =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (bind(listen_, reinterpret_cast<sockaddr*>(&addr), size) != 0 ||
      listen(listen_, 64) != 0) {
    *already_running = errno == EADDRINUSE;
    *err = std::string("bind: ") + strerror(errno);
    return false;
  }
  instance_ = NewInstance();
  started_ms_ = last_request_ms_ = MonotonicMillis();
  return true;
}

void Daemon::Serve() {
  while (!stop_) {
    const int64_t now = MonotonicMillis();
    const int64_t idle_end = last_request_ms_ + int64_t{options_.idle_seconds} * 1000;
    if (now >= idle_end) break;
    // Wakes every two seconds at least, to notice its directory's removal
    // (a removed directory that is still some process's working directory
    // raises no IN_DELETE_SELF).
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {listen_, POLLIN, 0}};
    const int ready =
        poll(fds, 2, static_cast<int>(std::min<int64_t>(idle_end - now, 2000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0 && (fds[0].revents & POLLIN)) Drain();
    if (ready > 0 && (fds[1].revents & POLLIN)) Accept();
    struct stat st;
    if (fstat(cwd_, &st) != 0 || st.st_nlink == 0) break;
  }
  // From here on a build finds no watcher (and may start the next one).
  close(listen_);
  listen_ = -1;
}

void Daemon::Accept() {
  const int fd = accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  ucred peer{};
  socklen_t size = sizeof peer;
  std::string message, err;
  Request request;
  // Only this user's builds: an answer decides what gets rebuilt.
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0 &&
      peer.uid == getuid() && ReceiveMessage(fd, &message, 2000, &err) &&
      DecodeRequest(message, &request)) {
    last_request_ms_ = MonotonicMillis();
    SendMessage(fd, EncodeReply(Handle(request)), &err);
  }
  close(fd);
}

Reply Daemon::Handle(const Request& request) {
  Reply reply;
  // Every change made before the request was sent is queued by now: inotify
  // queues an event inside the system call that makes the change.
  Drain();
  switch (request.kind) {
    case Request::Kind::kStop:
      stop_ = true;
      reply.text = "stopped";
      return reply;
    case Request::Kind::kStatus:
      reply.text = StatusText();
      return reply;
    case Request::Kind::kQuery:
      break;
  }
  for (const std::string& dir : request.dirs) Want(dir);
  const Token since = request.since;
  reply.complete =
      since.instance == instance_ && since.seq >= floor_ && since.seq <= seq_;
  if (reply.complete) {
    for (const auto& [path, seq] : changed_)
      if (seq > since.seq) reply.changed.push_back(path);
    for (const auto& [path, seq] : subtrees_)
      if (seq > since.seq) reply.subtrees.push_back(path);
    reply.subtrees.insert(reply.subtrees.end(), unwatchable_.begin(), unwatchable_.end());
  }
  reply.token = Token{instance_, seq_};
  return reply;
}

void Daemon::Drain() {
  alignas(inotify_event) char buffer[65536];
  for (;;) {
    const ssize_t n = read(inotify_, buffer, sizeof buffer);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return;  // EAGAIN: the queue is empty
    }
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      OnEvent(event->wd, event->mask, event->len ? event->name : nullptr);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

void Daemon::OnEvent(int wd, uint32_t mask, const char* name) {
  if (mask & IN_Q_OVERFLOW) {
    ++overflows_;
    ForgetHistory();
    return;
  }
  auto found = paths_of_wd_.find(wd);
  if (found == paths_of_wd_.end()) return;  // a watch already dropped
  // Copied: Lose and Rewatch edit the maps.
  const std::vector<std::string> dirs = found->second;
  for (const std::string& dir : dirs) {
    if (mask & kWatchLost) {
      if (dir == ".") {
        stop_ = true;  // the build directory itself went away
        return;
      }
      Lose(dir);
      Rewatch(dir);  // moved back, or a top directory with no parent watch
      continue;
    }
    if (!name) {
      if (mask & (IN_ATTRIB | IN_MODIFY)) Log(dir, false);  // touched itself
      continue;
    }
    std::string path = JoinPath(dir, name);
    if (mask & kEntryChanged) {
      Log(dir, false);  // the directory's own mtime changed
      if (Known(path)) {
        Lose(path);
        Rewatch(path);
        continue;
      }
    }
    Log(std::move(path), false);
  }
}

void Daemon::Want(const std::string& dir) {
  if (Known(dir)) return;
  // Parents first, so that a symbolic link retargeted or a directory
  // replaced anywhere on the way shows up as an event.
  std::vector<std::string> chain{dir};
  for (std::string up = ParentDir(dir); !up.empty(); up = ParentDir(up)) {
    if (Known(up)) break;
    chain.push_back(up);
  }
  bool parent_missing = false;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (parent_missing) {
      missing_.insert(*it);
      continue;
    }
    switch (AddWatch(*it)) {
      case AddResult::kWatched:
        // What happened there before now is unknown.
        Log(*it, true);
        break;
      case AddResult::kMissing:
        missing_.insert(*it);
        parent_missing = true;
        break;
      case AddResult::kUnwatchable:
        unwatchable_.insert(*it);
        break;
    }
  }
}

Daemon::AddResult Daemon::AddWatch(const std::string& path) {
  if (IsRemoteFileSystem(path)) {
    unwatchable_reason_ = path + " is on a network file system";
    return AddResult::kUnwatchable;
  }
  const int wd = inotify_add_watch(inotify_, path.c_str(), kMask);
  if (wd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return AddResult::kMissing;
    unwatchable_reason_ = "inotify_add_watch(" + path + "): " + strerror(errno);
    return AddResult::kUnwatchable;
  }
  wd_of_path_[path] = wd;
  std::vector<std::string>& paths = paths_of_wd_[wd];
  if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  return AddResult::kWatched;
}

void Daemon::Unwatch(const std::string& path) {
  auto it = wd_of_path_.find(path);
  if (it == wd_of_path_.end()) return;
  const int wd = it->second;
  wd_of_path_.erase(it);
  missing_.insert(path);
  std::vector<std::string>& paths = paths_of_wd_[wd];
  paths.erase(std::remove(paths.begin(), paths.end(), path), paths.end());
  if (paths.empty()) {
    paths_of_wd_.erase(wd);
    inotify_rm_watch(inotify_, wd);
  }
}

void Daemon::Lose(const std::string& path) {
  Log(path, true);
  std::vector<std::string> under{path};
  const std::string prefix = path == "/" ? "/" : path + "/";
  for (auto it = wd_of_path_.lower_bound(prefix);
       it != wd_of_path_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    under.push_back(it->first);
  for (const std::string& p : under) Unwatch(p);
  // A directory given up on may be back: try it anew.
  if (unwatchable_.erase(path)) missing_.insert(path);
}

void Daemon::Rewatch(const std::string& path) {
  std::vector<std::string> candidates;
  if (missing_.count(path)) candidates.push_back(path);
  const std::string prefix = path == "/" ? "/" : path + "/";
  for (auto it = missing_.lower_bound(prefix);
       it != missing_.end() && it->compare(0, prefix.size(), prefix) == 0; ++it)
    candidates.push_back(*it);
  // Sorted, so parents come before their children.
  for (const std::string& c : candidates) {
    if (c != path && missing_.count(ParentDir(c))) continue;  // its parent is not there
    switch (AddWatch(c)) {
      case AddResult::kWatched:
        missing_.erase(c);
        Log(c, true);
        break;
      case AddResult::kMissing:
        break;
      case AddResult::kUnwatchable:
        missing_.erase(c);
        unwatchable_.insert(c);
        break;
    }
  }
}

bool Daemon::Known(const std::string& path) const {
  return wd_of_path_.count(path) || missing_.count(path) || unwatchable_.count(path);
}

void Daemon::Log(std::string path, bool subtree) {
  if (changed_.size() + subtrees_.size() >= kMaxHistory) ForgetHistory();
  (subtree ? subtrees_ : changed_)[std::move(path)] = ++seq_;
}

void Daemon::ForgetHistory() {
  changed_ = {};
  subtrees_ = {};
  instance_ = NewInstance();
  floor_ = seq_;
}

std::string Daemon::StatusText() const {
  char text[512];
  snprintf(text, sizeof text,
           "pid %d, up %llds, idle exit after %ds\n"
           "directories watched: %zu, missing: %zu, not watchable: %zu\n"
           "history: %zu paths, queue overflows: %llu\n",
           static_cast<int>(getpid()),
           static_cast<long long>((MonotonicMillis() - started_ms_) / 1000),
           options_.idle_seconds, wd_of_path_.size(), missing_.size(),
           unwatchable_.size(), changed_.size() + subtrees_.size(),
           static_cast<unsigned long long>(overflows_));
  std::string result = text;
  if (!unwatchable_reason_.empty())
    result += "last not watchable: " + unwatchable_reason_ + "\n";
  return result;
}

}  // namespace composer::watch
