// Running commands: each job is started with posix_spawn (/bin/sh -c, or
// the program itself when the command has no shell syntax), its stdout and
// stderr captured through one pipe, and the set of jobs waited on with
// ppoll. SIGINT, SIGTERM and SIGHUP are caught while jobs run, so the
// build can stop its jobs, record what finished and exit cleanly.
#pragma once

#include <signal.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace composer {

class Subprocess {
 public:
  ~Subprocess();

  // Reads what the job has written; true once the pipe is closed.
  void OnPipeReady();
  bool Done() const { return fd_ == -1; }

  // Reaps the job. Returns its exit code: the program's own, 128+N for a
  // signal N, and kInterrupted for SIGINT/SIGTERM/SIGHUP.
  int Finish();

  const std::string& output() const { return output_; }
  bool use_console() const { return use_console_; }

  static constexpr int kInterrupted = 130;

 private:
  friend class SubprocessSet;
  Subprocess(bool use_console) : use_console_(use_console) {}
  bool Start(class SubprocessSet* set, const std::string& command, std::string* err);

  std::string output_;
  int fd_ = -1;
  pid_t pid_ = -1;
  bool use_console_;
};

class SubprocessSet {
 public:
  SubprocessSet();
  ~SubprocessSet();

  // Starts `command`; console jobs share Composer's terminal instead of a
  // pipe. Returns null with *err set when the command cannot be started.
  Subprocess* Add(const std::string& command, bool use_console, std::string* err);

  // Waits for output or an exit (or for `wake_fd` to become readable, when
  // not -1). Returns true when interrupted by a signal; *woken is set when
  // wake_fd is readable.
  bool DoWork(int wake_fd = -1, bool* woken = nullptr);
  // A finished job, or null; the caller owns it.
  std::unique_ptr<Subprocess> NextFinished();
  // Stops every running job (forwarding the interrupting signal).
  void Clear();

  size_t running() const { return running_.size(); }
  size_t finished() const { return finished_.size(); }
  int interrupted() const { return interrupted_; }

 private:
  friend class Subprocess;
  static void SetInterruptedFlag(int signum);
  void HandlePendingInterruption();

  std::vector<std::unique_ptr<Subprocess>> running_;
  std::deque<std::unique_ptr<Subprocess>> finished_;
  static volatile sig_atomic_t interrupted_;
  sigset_t old_mask_;
  struct sigaction old_int_, old_term_, old_hup_;
};

// True when `command` can run without a shell: plain words, no quoting,
// expansions, redirections or operators. Such commands are exec'ed
// directly, which halves the cost of starting them.
bool IsPlainCommand(const std::string& command, std::vector<std::string>* argv);

}  // namespace composer
