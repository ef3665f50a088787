#include "exec/jobserver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>

namespace composer {

namespace {

// A new open file description for an inherited pipe end, so making it
// non-blocking does not change the descriptor other processes share.
int ReopenNonBlocking(int fd, int flags) {
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  return open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC);
}

}  // namespace

JobserverClient::~JobserverClient() {
  if (read_fd_ >= 0) close(read_fd_);
  if (write_fd_ >= 0 && write_fd_ != read_fd_) close(write_fd_);
}

std::unique_ptr<JobserverClient> JobserverClient::OpenFifo(const std::string& path,
                                                           std::string* err) {
  const int fd = open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *err = "jobserver fifo " + path + ": " + strerror(errno);
    return nullptr;
  }
  std::unique_ptr<JobserverClient> client(new JobserverClient);
  client->read_fd_ = fd;
  client->write_fd_ = fd;
  return client;
}

std::unique_ptr<JobserverClient> JobserverClient::FromEnvironment(std::string* warning) {
  const char* makeflags = getenv("MAKEFLAGS");
  if (!makeflags) return nullptr;
  const std::string flags = makeflags;
  // The last announcement wins (make appends when it nests).
  size_t pos = std::string::npos;
  size_t length = 0;
  for (const char* key : {"--jobserver-auth=", "--jobserver-fds="}) {
    const size_t found = flags.rfind(key);
    if (found != std::string::npos && (pos == std::string::npos || found > pos)) {
      pos = found;
      length = strlen(key);
    }
  }
  if (pos == std::string::npos) return nullptr;
  const size_t start = pos + length;
  const std::string value = flags.substr(start, flags.find(' ', start) - start);
  if (value.rfind("fifo:", 0) == 0) return OpenFifo(value.substr(5), warning);

  int read_fd = -1, write_fd = -1;
  if (sscanf(value.c_str(), "%d,%d", &read_fd, &write_fd) != 2 || read_fd < 0 ||
      write_fd < 0) {
    *warning = "unrecognised jobserver in MAKEFLAGS: " + value;
    return nullptr;
  }
  if (fcntl(read_fd, F_GETFD) < 0 || fcntl(write_fd, F_GETFD) < 0) {
    *warning = "jobserver descriptors " + value +
               " are not open (mark the make rule with '+'); running without it";
    return nullptr;
  }
  std::string err;
  std::unique_ptr<JobserverClient> client = OpenPipe(read_fd, write_fd, &err);
  if (!client) *warning = "cannot use jobserver descriptors " + value + ": " + err;
  return client;
}

std::unique_ptr<JobserverClient> JobserverClient::OpenPipe(int read_fd, int write_fd,
                                                           std::string* err) {
  std::unique_ptr<JobserverClient> client(new JobserverClient);
  client->read_fd_ = ReopenNonBlocking(read_fd, O_RDONLY);
  client->write_fd_ = ReopenNonBlocking(write_fd, O_WRONLY);
  if (client->read_fd_ < 0 || client->write_fd_ < 0) {
    *err = strerror(errno);
    return nullptr;
  }
  return client;
}

bool JobserverClient::TryAcquire() {
  char token;
  for (;;) {
    const ssize_t n = read(read_fd_, &token, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

void JobserverClient::Release() {
  const char token = '+';
  while (write(write_fd_, &token, 1) < 0 && errno == EINTR) {
  }
}

JobserverServer::~JobserverServer() {
  if (read_fd_ >= 0) close(read_fd_);
  if (write_fd_ >= 0) close(write_fd_);
}

std::unique_ptr<JobserverServer> JobserverServer::Start(int slots, std::string* err) {
  // Inherited by every command (no O_CLOEXEC), and blocking, as make's own
  // pipe is: a child make waits for a token in read().
  int fds[2];
  if (pipe(fds) < 0) {
    *err = std::string("pipe: ") + strerror(errno);
    return nullptr;
  }
  std::unique_ptr<JobserverServer> server(new JobserverServer);
  // Above the standard descriptors, should one of them be closed: commands
  // get /dev/null and the output pipe there.
  for (int i = 0; i < 2; ++i) {
    int fd = fds[i];
    if (fd <= 2) {
      fd = fcntl(fds[i], F_DUPFD, 3);
      close(fds[i]);
    }
    (i == 0 ? server->read_fd_ : server->write_fd_) = fd;
  }
  if (server->read_fd_ < 0 || server->write_fd_ < 0) {
    *err = std::string("pipe: ") + strerror(errno);
    return nullptr;
  }
  // The tokens, written through a non-blocking descriptor of our own: a
  // pipe holds 64 KiB by default, so a huge -j gets as many as fit.
  const int fill_fd = ReopenNonBlocking(server->write_fd_, O_WRONLY);
  if (fill_fd < 0) {
    *err = std::string("opening the jobserver pipe: ") + strerror(errno);
    return nullptr;
  }
  const std::string tokens(static_cast<size_t>(slots > 1 ? slots - 1 : 0), '+');
  size_t written = 0;
  while (written < tokens.size()) {
    const ssize_t n = write(fill_fd, tokens.data() + written, tokens.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  close(fill_fd);
  // Children find it through MAKEFLAGS, as they would under make -jN.
  const std::string makeflags = "-j" + std::to_string(slots) +
                                " --jobserver-auth=" + std::to_string(server->read_fd_) +
                                "," + std::to_string(server->write_fd_);
  setenv("MAKEFLAGS", makeflags.c_str(), 1);
  return server;
}

}  // namespace composer
