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

  // The jobserver MAKEFLAGS announces (--jobserver-auth=fifo:PATH or R,W),
  // or null when there is none. *warning explains a jobserver that is
  // announced but unusable (e.g. make did not pass its descriptors on).
  static std::unique_ptr<JobserverClient> FromEnvironment(std::string* warning);
  // A client of the FIFO at `path`.
  static std::unique_ptr<JobserverClient> OpenFifo(const std::string& path,
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
// COMPOSER_JOBSERVER=1): a FIFO with `slots - 1` tokens, announced to
// children through MAKEFLAGS.
class JobserverServer {
 public:
  ~JobserverServer();
  static std::unique_ptr<JobserverServer> Start(int slots, std::string* err);
  const std::string& fifo_path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
  int keep_open_fd_ = -1;
};

}  // namespace composer
