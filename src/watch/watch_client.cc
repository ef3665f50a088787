#include "watch/watch_client.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

extern char** environ;

namespace composer::watch {

namespace {

// A connected socket to the watcher, or -1 (errno from connect).
int Connect(std::string* err) {
  char real[PATH_MAX];
  if (!realpath(".", real)) {
    *err = std::string("realpath(.): ") + strerror(errno);
    return -1;
  }
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *err = std::string("socket: ") + strerror(errno);
    return -1;
  }
  const std::string name = SocketName(real);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path + 1, name.data(), name.size());
  const socklen_t size =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), size) != 0) {
    const int saved = errno;
    close(fd);
    errno = saved;
    *err = std::string("connect: ") + strerror(errno);
    return -1;
  }
  // Another user could have taken the name first; its answers would
  // decide what this build skips.
  ucred peer{};
  socklen_t peer_size = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) != 0 ||
      peer.uid != getuid()) {
    close(fd);
    errno = EPERM;
    *err = "the watcher's socket belongs to another user";
    return -1;
  }
  return fd;
}

}  // namespace

AskResult AskWatcher(const Request& request, Reply* reply, bool start, int timeout_ms,
                     std::string* err) {
  const int fd = Connect(err);
  if (fd < 0) {
    if (errno != ECONNREFUSED && errno != ENOENT) return AskResult::kFailed;
    if (start && !StartWatcher(err)) return AskResult::kFailed;
    return AskResult::kNoWatcher;
  }
  std::string message;
  const bool ok = SendMessage(fd, EncodeRequest(request), err) &&
                  ReceiveMessage(fd, &message, timeout_ms, err);
  close(fd);
  if (!ok) return AskResult::kFailed;
  if (!DecodeReply(message, reply)) {
    *err = "garbled reply";
    return AskResult::kFailed;
  }
  return AskResult::kAnswered;
}

bool StartWatcher(std::string* err) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  for (int fd = 0; fd < 3; ++fd)
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY,
                                     0);
  // Nothing of this build's (pipes a caller waits on, the jobserver) may
  // stay open in a process that outlives it.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(
      &attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  char program[] = "composer", tool_flag[] = "-t", tool[] = "watch", serve[] = "serve";
  char* argv[] = {program, tool_flag, tool, serve, nullptr};
  pid_t pid;
  const int error = posix_spawn(&pid, "/proc/self/exe", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (error != 0) {
    *err = std::string("starting the watcher: ") + strerror(error);
    return false;
  }
  return true;
}

}  // namespace composer::watch
