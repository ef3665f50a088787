#include "exec/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/log.h"

extern char** environ;

namespace composer {

volatile sig_atomic_t SubprocessSet::interrupted_ = 0;

bool IsPlainCommand(const std::string& command, std::vector<std::string>* argv) {
  argv->clear();
  std::string word;
  for (char c : command) {
    switch (c) {
      case ' ':
      case '\t':
        if (!word.empty()) argv->push_back(std::move(word));
        word.clear();
        continue;
      // Anything the shell would interpret.
      case '\n':
      case '\'':
      case '"':
      case '\\':
      case '$':
      case '`':
      case '|':
      case '&':
      case ';':
      case '<':
      case '>':
      case '(':
      case ')':
      case '*':
      case '?':
      case '[':
      case ']':
      case '{':
      case '}':
      case '!':
        return false;
      case '#':
      case '~':
        // A comment or a home directory only at the start of a word.
        if (word.empty()) return false;
        word.push_back(c);
        continue;
      case '=':
        // "NAME=value cmd" sets a variable for the command.
        if (argv->empty()) return false;
        word.push_back(c);
        continue;
      default:
        word.push_back(c);
    }
  }
  if (!word.empty()) argv->push_back(std::move(word));
  if (argv->empty()) return false;
  // Shell builtins and keywords must go through the shell.
  static const char* const kBuiltins[] = {
      "cd",       "exec",     "exit",    "export", "set",     "unset", "source", ".",
      "eval",     "ulimit",   "umask",   "alias",  "read",    "wait",  "trap",   "shift",
      "times",    "type",     "command", "if",     "then",    "else",  "fi",     "for",
      "while",    "until",    "do",      "done",   "case",    "esac",  "return", "break",
      "continue", "readonly", "local",   "hash",   "getopts", "true",  "false",  ":",
      "echo",     "printf",   "test",    "kill",   "pwd"};
  for (const char* builtin : kBuiltins) {
    if ((*argv)[0] == builtin) return false;
  }
  return true;
}

Subprocess::~Subprocess() {
  if (fd_ >= 0) close(fd_);
  if (pid_ != -1) Finish();  // reap a job that was abandoned
}

bool Subprocess::Start(SubprocessSet* set, const std::string& command, std::string* err) {
  int output_pipe[2];
  if (pipe2(output_pipe, O_CLOEXEC) < 0) {
    *err = std::string("pipe: ") + strerror(errno);
    return false;
  }
  fd_ = output_pipe[0];
  // A console job inherits the write end and closes it by exiting.
  if (use_console_) fcntl(output_pipe[1], F_SETFD, 0);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The child starts with the signal mask Composer had before it blocked
  // the interrupting signals; caught signals revert to their defaults.
  short flags = POSIX_SPAWN_SETSIGMASK;
  posix_spawnattr_setsigmask(&attr, &set->old_mask_);
  if (!use_console_) {
    // Its own process group, so a ^C at the terminal reaches Composer, which
    // then stops the jobs itself.
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, output_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, output_pipe[1], 2);
  }
#ifdef POSIX_SPAWN_USEVFORK
  flags |= POSIX_SPAWN_USEVFORK;
#endif
  posix_spawnattr_setflags(&attr, flags);

  std::vector<std::string> words;
  int spawn_error;
  if (IsPlainCommand(command, &words)) {
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    spawn_error = posix_spawnp(&pid_, argv[0], &actions, &attr, argv.data(), environ);
    if (spawn_error == ENOENT || spawn_error == EACCES || spawn_error == ENOEXEC) {
      // Let the shell report it the way users expect ("sh: 1: foo: not
      // found", exit 127).
      const char* shell_argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
      spawn_error = posix_spawn(&pid_, "/bin/sh", &actions, &attr,
                                const_cast<char**>(shell_argv), environ);
    }
  } else {
    const char* shell_argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    spawn_error = posix_spawn(&pid_, "/bin/sh", &actions, &attr,
                              const_cast<char**>(shell_argv), environ);
  }
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(output_pipe[1]);
  if (spawn_error != 0) {
    pid_ = -1;
    *err = std::string("posix_spawn: ") + strerror(spawn_error);
    return false;
  }
  return true;
}

void Subprocess::OnPipeReady() {
  char buffer[16 << 10];
  const ssize_t len = read(fd_, buffer, sizeof(buffer));
  if (len > 0) {
    output_.append(buffer, static_cast<size_t>(len));
    return;
  }
  if (len < 0 && (errno == EINTR || errno == EAGAIN)) return;
  close(fd_);
  fd_ = -1;
}

int Subprocess::Finish() {
  int status;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) Fatal("waitpid(%d): %s", pid_, strerror(errno));
  }
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) return kInterrupted;
    return 128 + sig;
  }
  return 1;
}

void SubprocessSet::SetInterruptedFlag(int signum) {
  interrupted_ = signum;
}

SubprocessSet::SubprocessSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  if (sigprocmask(SIG_BLOCK, &set, &old_mask_) < 0)
    Fatal("sigprocmask: %s", strerror(errno));
  struct sigaction act;
  memset(&act, 0, sizeof(act));
  act.sa_handler = SetInterruptedFlag;
  if (sigaction(SIGINT, &act, &old_int_) < 0 ||
      sigaction(SIGTERM, &act, &old_term_) < 0 || sigaction(SIGHUP, &act, &old_hup_) < 0)
    Fatal("sigaction: %s", strerror(errno));
}

SubprocessSet::~SubprocessSet() {
  Clear();
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
  sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

Subprocess* SubprocessSet::Add(const std::string& command, bool use_console,
                               std::string* err) {
  std::unique_ptr<Subprocess> job(new Subprocess(use_console));
  if (!job->Start(this, command, err)) return nullptr;
  running_.push_back(std::move(job));
  return running_.back().get();
}

void SubprocessSet::HandlePendingInterruption() {
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) < 0) return;
  if (sigismember(&pending, SIGINT))
    interrupted_ = SIGINT;
  else if (sigismember(&pending, SIGTERM))
    interrupted_ = SIGTERM;
  else if (sigismember(&pending, SIGHUP))
    interrupted_ = SIGHUP;
}

bool SubprocessSet::DoWork(int wake_fd, bool* woken) {
  std::vector<pollfd> fds;
  fds.reserve(running_.size() + 1);
  for (const auto& job : running_) fds.push_back(pollfd{job->fd_, POLLIN | POLLPRI, 0});
  if (wake_fd >= 0) fds.push_back(pollfd{wake_fd, POLLIN, 0});
  interrupted_ = 0;
  // The interrupting signals are blocked except inside ppoll, so one that
  // arrives between checks is not lost.
  const int ret = ppoll(fds.data(), fds.size(), nullptr, &old_mask_);
  if (ret < 0) {
    if (errno != EINTR) Fatal("ppoll: %s", strerror(errno));
    return interrupted_ != 0;
  }
  HandlePendingInterruption();
  if (interrupted_) return true;
  if (wake_fd >= 0 && woken) *woken = fds.back().revents != 0;
  size_t kept = 0;
  for (size_t i = 0; i < running_.size(); ++i) {
    if (fds[i].revents) {
      running_[i]->OnPipeReady();
      if (running_[i]->Done()) {
        finished_.push_back(std::move(running_[i]));
        continue;
      }
    }
    if (kept != i) running_[kept] = std::move(running_[i]);
    ++kept;
  }
  running_.resize(kept);
  return interrupted_ != 0;
}

std::unique_ptr<Subprocess> SubprocessSet::NextFinished() {
  if (finished_.empty()) return nullptr;
  std::unique_ptr<Subprocess> job = std::move(finished_.front());
  finished_.pop_front();
  return job;
}

void SubprocessSet::Clear() {
  for (const auto& job : running_) {
    // Console jobs share our process group and got the signal themselves.
    if (!job->use_console_ && job->pid_ > 0)
      kill(-job->pid_, interrupted_ ? interrupted_ : SIGTERM);
  }
  running_.clear();  // the destructors reap them
}

}  // namespace composer
