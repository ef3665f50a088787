// Tests for running commands with real child processes, after Ninja's
// subprocess_test.cc: exit codes and signals, stdout and stderr through one
// pipe, the shell-free fast path and what must still go to /bin/sh, a
// missing program reported the shell's way, the child's stdin and process
// group, console jobs, and SIGINT/SIGTERM/SIGHUP while jobs run.

#include "exec/subprocess.h"
#include "support/scratch_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace composer {
namespace {

using testing::HasSubstr;
using Words = std::vector<std::string>;

// --- IsPlainCommand ----------------------------------------------------------

Words Plain(const std::string& command) {
  Words argv;
  if (!IsPlainCommand(command, &argv)) return {"<shell>"};
  return argv;
}

TEST(IsPlainCommandTest, PlainWordsAreSplit) {
  EXPECT_EQ((Words{"cc", "-c", "a.c", "-o", "a.o"}), Plain("cc -c a.c -o a.o"));
  EXPECT_EQ((Words{"/usr/bin/ld", "x"}), Plain("  /usr/bin/ld \t x  "));
  EXPECT_EQ((Words{"gcc", "-DX=1", "-Wl,--as-needed", "a+b.c", "@rsp", "%x", "b#c"}),
            Plain("gcc -DX=1 -Wl,--as-needed a+b.c @rsp %x b#c"));
  EXPECT_EQ((Words{"ls", "a~"}), Plain("ls a~"));
}

TEST(IsPlainCommandTest, ShellSyntaxGoesToTheShell) {
  for (const char* command :
       {"echo 'a b'",   "cat \"x\"", "cat a\\ b", "cat $HOME",  "echo `date`",
        "a | b",        "a && b",    "a; b",      "a > out",    "a < in",
        "a 2>&1",       "(a)",       "ls *.c",    "ls ?.c",     "ls [ab].c",
        "ls {a,b}",     "! a",       "a\nb",      "a #comment", "ls ~/x",
        "FOO=1 cc a.c", "",          "   ",       "cc a.c &"}) {
    SCOPED_TRACE(command);
    EXPECT_EQ(Words{"<shell>"}, Plain(command));
  }
}

TEST(IsPlainCommandTest, BuiltinsGoToTheShell) {
  for (const char* command :
       {"cd dir",     "echo hi",   "printf x", "true",     "false",         ": x",
        "test -f a",  "[ -f a ]",  "exit 3",   "export X", "kill 1",        "pwd",
        "set -e",     "exec cc",   "if",       "for",      "command -v cc", ". ./env",
        "source env", "umask 022", "ulimit -n"}) {
    SCOPED_TRACE(command);
    EXPECT_EQ(Words{"<shell>"}, Plain(command));
  }
  // Only as the program: as arguments they are words like any other.
  EXPECT_EQ((Words{"git", "cd", "echo"}), Plain("git cd echo"));
  EXPECT_EQ((Words{"/bin/echo", "hi"}), Plain("/bin/echo hi"));
}

// --- SubprocessSet -----------------------------------------------------------

class SubprocessTest : public ::testing::Test {
 protected:
  // Starts `command` and waits until it (and any others) finished; returns
  // it reaped: *exit_code and its output.
  std::string Run(const std::string& command, int* exit_code, bool console = false) {
    std::string err;
    Subprocess* job = subprocs_.Add(command, console, &err);
    EXPECT_NE(nullptr, job) << err;
    if (!job) return "<not started>";
    while (!job->Done()) EXPECT_FALSE(subprocs_.DoWork());
    std::unique_ptr<Subprocess> finished = subprocs_.NextFinished();
    EXPECT_EQ(job, finished.get());
    *exit_code = finished->Finish();
    return finished->output();
  }

  SubprocessSet subprocs_;
};

TEST_F(SubprocessTest, ExitCodes) {
  int code = -1;
  EXPECT_EQ("", Run("exit 3", &code));  // a builtin: through the shell
  EXPECT_EQ(3, code);
  EXPECT_EQ("", Run("/bin/false", &code));  // plain: spawned directly
  EXPECT_EQ(1, code);
  EXPECT_EQ("", Run("/bin/true", &code));
  EXPECT_EQ(0, code);
  EXPECT_EQ("", Run("sh -c 'exit 255'", &code));
  EXPECT_EQ(255, code);
}

TEST_F(SubprocessTest, StdoutAndStderrTogether) {
  int code = -1;
  EXPECT_EQ("out 1\nerr 1\nout 2\n",
            Run("echo out 1; echo err 1 >&2; echo out 2; exit 4", &code));
  EXPECT_EQ(4, code);
}

TEST_F(SubprocessTest, PlainCommandGetsItsWordsVerbatim) {
  int code = -1;
  // No shell: nothing is expanded or re-split.
  EXPECT_EQ("a b %d X=1 c#d\n", Run("/bin/echo a   b %d X=1 c#d", &code));
  EXPECT_EQ(0, code);
  // The shell for quoting, expansions and builtins.
  EXPECT_EQ("a   b\n", Run("/bin/echo 'a   b'", &code));
  EXPECT_EQ("/\n", Run("cd / && pwd", &code));
  EXPECT_EQ(0, code);
  EXPECT_EQ("xyz\n", Run("V=xyz; echo $V", &code));
}

TEST_F(SubprocessTest, EnvironmentIsPassedOn) {
  setenv("COMPOSER_SUBPROCESS_TEST", "value 42", 1);
  int code = -1;
  EXPECT_THAT(Run("env", &code), HasSubstr("COMPOSER_SUBPROCESS_TEST=value 42\n"));
  EXPECT_EQ("value 42\n", Run("echo \"$COMPOSER_SUBPROCESS_TEST\"", &code));
  unsetenv("COMPOSER_SUBPROCESS_TEST");
}

TEST_F(SubprocessTest, MissingProgramIsReportedByTheShell) {
  // Ninja's SubprocessTest.NoSuchCommand: exit 127 and sh's message, for a
  // plain command too.
  int code = -1;
  const std::string output = Run("composer_no_such_command_xyz --flag", &code);
  EXPECT_EQ(127, code);
  EXPECT_THAT(output, HasSubstr("composer_no_such_command_xyz: not found"));
  const std::string via_shell = Run("composer_no_such_command_xyz 'quoted'", &code);
  EXPECT_EQ(127, code);
  EXPECT_EQ(output, via_shell) << "the same message either way";
}

class SubprocessFileTest : public SubprocessTest {
 protected:
  std::string Write(const char* name, const std::string& contents, mode_t mode) {
    const std::string path = dir_.Path(name);
    WriteBytes(path, contents);
    EXPECT_EQ(0, chmod(path.c_str(), mode));
    return path;
  }
  ScratchDir dir_{"subprocess"};
};

TEST_F(SubprocessFileTest, NotExecutableIsReportedByTheShell) {
  const std::string path = Write("script", "echo hi\n", 0644);
  int code = -1;
  const std::string output = Run(path + " arg", &code);
  EXPECT_EQ(126, code);
  EXPECT_THAT(output, HasSubstr("Permission denied"));
}

TEST_F(SubprocessFileTest, ScriptWithoutInterpreterLineRunsInTheShell) {
  const std::string path = Write("script", "echo from script: $1\nexit 5\n", 0755);
  int code = -1;
  EXPECT_EQ("from script: arg\n", Run(path + " arg", &code));
  EXPECT_EQ(5, code);
}

TEST_F(SubprocessFileTest, RedirectionsWork) {
  const std::string out = dir_.Path("out");
  int code = -1;
  EXPECT_EQ("", Run("echo written > " + out, &code));
  EXPECT_EQ(0, code);
  EXPECT_EQ("written\n", Run("cat " + out, &code));  // plain
}

TEST_F(SubprocessTest, StdinIsDevNull) {
  int code = -1;
  EXPECT_EQ("/dev/null\n", Run("readlink /proc/self/fd/0", &code));
  // A command reading its input sees the end at once instead of waiting.
  EXPECT_EQ("", Run("cat", &code));
  EXPECT_EQ(0, code);
}

TEST_F(SubprocessTest, JobLeadsItsOwnProcessGroup) {
  // So that ^C at the terminal reaches Composer only; it stops the jobs.
  int code = -1;
  const std::string output =
      Run("read pid comm state ppid pgrp rest < /proc/self/stat; echo $pid $pgrp", &code);
  ASSERT_EQ(0, code);
  std::istringstream fields(output);
  long pid = 0, pgrp = 1;
  fields >> pid >> pgrp;
  EXPECT_GT(pid, 0);
  EXPECT_EQ(pid, pgrp) << output;
  EXPECT_NE(getpgrp(), pgrp);
}

TEST_F(SubprocessTest, ConsoleJobSharesTheTerminal) {
  // Its output is not captured; it stays in Composer's process group.
  int code = -1;
  EXPECT_EQ("", Run("read pid comm state ppid pgrp rest < /proc/self/stat; "
                    "test $pgrp = " +
                        std::to_string(getpgrp()) + " && exit 6",
                    &code, true));
  EXPECT_EQ(6, code);
}

TEST_F(SubprocessTest, SignalledJobs) {
  int code = -1;
  // Ninja's SubprocessTest.InterruptChild (and its SIGTERM/SIGHUP variants):
  // a job killed by one of those counts as interrupted.
  Run("kill -INT $$", &code);
  EXPECT_EQ(Subprocess::kInterrupted, code);
  Run("kill -TERM $$", &code);
  EXPECT_EQ(Subprocess::kInterrupted, code);
  Run("kill -HUP $$", &code);
  EXPECT_EQ(Subprocess::kInterrupted, code);
  // Other signals: 128 + N, as a shell reports them.
  Run("kill -USR1 $$", &code);
  EXPECT_EQ(128 + SIGUSR1, code);
  Run("kill -KILL $$", &code);
  EXPECT_EQ(128 + SIGKILL, code);
}

TEST_F(SubprocessTest, LargeOutput) {
  int code = -1;
  const std::string output = Run("head -c 300000 /dev/zero", &code);
  EXPECT_EQ(0, code);
  EXPECT_EQ(300000u, output.size());
  EXPECT_EQ(std::string(300000, '\0'), output);
}

TEST_F(SubprocessTest, ManyJobsAtOnce) {
  // Ninja's SubprocessTest.SetWithMulti, wider.
  constexpr int kJobs = 40;
  std::vector<Subprocess*> jobs;
  std::string err;
  for (int i = 0; i < kJobs; ++i) {
    Subprocess* job = subprocs_.Add("/bin/echo job " + std::to_string(i), false, &err);
    ASSERT_NE(nullptr, job) << err;
    jobs.push_back(job);
  }
  EXPECT_EQ(static_cast<size_t>(kJobs), subprocs_.running());
  while (subprocs_.running() > 0) ASSERT_FALSE(subprocs_.DoWork());
  EXPECT_EQ(static_cast<size_t>(kJobs), subprocs_.finished());
  std::vector<std::string> outputs;
  while (std::unique_ptr<Subprocess> job = subprocs_.NextFinished()) {
    EXPECT_EQ(0, job->Finish());
    outputs.push_back(job->output());
  }
  ASSERT_EQ(static_cast<size_t>(kJobs), outputs.size());
  for (int i = 0; i < kJobs; ++i) {
    const std::string expected = "job " + std::to_string(i) + "\n";
    EXPECT_EQ(1, std::count(outputs.begin(), outputs.end(), expected)) << expected;
  }
}

TEST_F(SubprocessTest, WakeFd) {
  int fds[2];
  ASSERT_EQ(0, pipe(fds));
  std::string err;
  ASSERT_NE(nullptr, subprocs_.Add("sleep 10", false, &err)) << err;
  ASSERT_EQ(1, write(fds[1], "x", 1));
  bool woken = false;
  EXPECT_FALSE(subprocs_.DoWork(fds[0], &woken));
  EXPECT_TRUE(woken);
  EXPECT_EQ(1u, subprocs_.running());
  close(fds[0]);
  close(fds[1]);
  subprocs_.Clear();  // SIGTERM to the sleep
  EXPECT_EQ(0u, subprocs_.running());
}

// Ninja's SubprocessTest.InterruptParent and its SIGTERM/SIGHUP variants:
// the signal, sent while a job runs, ends DoWork, and Clear stops the job.
class SubprocessInterruptTest : public ::testing::TestWithParam<int> {};

TEST_P(SubprocessInterruptTest, ParentInterrupted) {
  const int signum = GetParam();
  struct sigaction before;
  ASSERT_EQ(0, sigaction(signum, nullptr, &before));
  sigset_t mask_before;
  ASSERT_EQ(0, sigprocmask(SIG_SETMASK, nullptr, &mask_before));
  const auto start = std::chrono::steady_clock::now();
  {
    SubprocessSet subprocs;
    std::string err;
    Subprocess* job = subprocs.Add("sleep 30", false, &err);
    ASSERT_NE(nullptr, job) << err;
    ASSERT_EQ(0, kill(getpid(), signum));  // blocked until DoWork waits
    EXPECT_TRUE(subprocs.DoWork());
    EXPECT_EQ(signum, subprocs.interrupted());
    subprocs.Clear();
    EXPECT_EQ(0u, subprocs.running());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10))
      << "the job was not stopped";
  // The handlers and the signal mask are restored afterwards.
  struct sigaction action;
  ASSERT_EQ(0, sigaction(signum, nullptr, &action));
  EXPECT_EQ(before.sa_handler, action.sa_handler);
  sigset_t mask;
  ASSERT_EQ(0, sigprocmask(SIG_SETMASK, nullptr, &mask));
  EXPECT_EQ(sigismember(&mask_before, signum), sigismember(&mask, signum));
}

TEST_P(SubprocessInterruptTest, ParentInterruptedWithoutJobs) {
  const int signum = GetParam();
  SubprocessSet subprocs;
  ASSERT_EQ(0, kill(getpid(), signum));
  EXPECT_TRUE(subprocs.DoWork());
  EXPECT_EQ(signum, subprocs.interrupted());
}

INSTANTIATE_TEST_SUITE_P(Signals, SubprocessInterruptTest,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP));

TEST_F(SubprocessTest, JobStartsWithSignalsUnblocked) {
  // Composer blocks SIGINT/SIGTERM/SIGHUP while it runs jobs; its jobs must
  // not inherit that mask.
  int code = -1;
  const std::string output = Run("grep SigBlk /proc/self/status", &code);
  EXPECT_EQ(0, code);
  ASSERT_THAT(output, testing::StartsWith("SigBlk:\t"));
  const unsigned long long blocked = strtoull(output.c_str() + 8, nullptr, 16);
  for (int signum : {SIGINT, SIGTERM, SIGHUP})
    EXPECT_EQ(0u, blocked & (1ull << (signum - 1))) << output;
}

}  // namespace
}  // namespace composer
