// The GNU make jobserver protocol, so that make, cargo and nested
// composer/ninja runs share one pool of job slots. A token is one byte in a
// pipe or FIFO; every process owns one implicit slot and must hold a token
// for each further job it runs at once.
#pragma once

#include <memory>
#include <string>

namespace composer {

class JobserverClient {
 public:
  ~JobserverClient();

  // The jobserver MAKEFLAGS announces (--jobserver-auth=fifo:PATH or R,W, or
  // the older --jobserver-fds=R,W), or null when there is none. *warning
  // explains a jobserver that is announced but unusable (e.g. make did not
  // pass its descriptors on).
  static std::unique_ptr<JobserverClient> FromEnvironment(std::string* warning);
  // A client of the FIFO at `path`.
  static std::unique_ptr<JobserverClient> OpenFifo(const std::string& path,
                                                   std::string* err);
  // A client of the pipe whose ends this process holds as `read_fd` and
  // `write_fd`. It reads and writes through descriptors of its own
  // (reopened through /proc/self/fd, non-blocking), so the ones shared with
  // other processes keep their blocking mode.
  static std::unique_ptr<JobserverClient> OpenPipe(int read_fd, int write_fd,
                                                   std::string* err);

  // Takes a token if one is free, without waiting.
  bool TryAcquire();
  // Gives a token back.
  void Release();
  // Readable when a token may be free: poll it to wake up for one.
  int fd() const { return read_fd_; }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};

// Composer as the jobserver for the processes it runs (--jobserver or
// COMPOSER_JOBSERVER): an anonymous pipe holding `slots - 1` tokens, whose
// two ends every command inherits, announced to them as GNU make does it:
// MAKEFLAGS="-jN --jobserver-auth=R,W". Every GNU make with a jobserver
// (4.3 knows no FIFOs), cargo and composer understand it; Ninja 1.13 takes
// only FIFOs and says it ignores this one.
class JobserverServer {
 public:
  ~JobserverServer();
  static std::unique_ptr<JobserverServer> Start(int slots, std::string* err);
  int read_fd() const { return read_fd_; }
  int write_fd() const { return write_fd_; }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace composer
