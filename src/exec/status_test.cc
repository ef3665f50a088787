// Tests for the status line: every NINJA_STATUS / COMPOSER_STATUS
// placeholder (Ninja 1.11's, and 1.12-1.13's time predictions), which
// variable is read, the lines printed per edge, the FAILED block, and the
// fatal error for an unknown placeholder.

#include "exec/status.h"

#include <stdlib.h>

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parse/manifest_parser.h"
#include "plan/build_state.h"
#include "state/build_log.h"
#include "support/virtual_file_system.h"
#include "util/log.h"

namespace composer {
namespace {

using testing::HasSubstr;

// Sets an environment variable for the life of the object (or unsets it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = getenv(name);
    had_ = old != nullptr;
    if (old) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_)
      setenv(name_, old_.c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  bool had_ = false;
  std::string old_;
};

class StatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = CurrentPersonality();
    ManifestParserOptions options;
    options.quiet = true;
    ManifestParser parser(&graph_, &fs_, options);
    std::string err;
    ASSERT_TRUE(parser.ParseString("build.ninja",
                                   "rule cat\n"
                                   "  command = cat $in > $out\n"
                                   "rule cc\n"
                                   "  command = cc -c $in -o $out\n"
                                   "  description = CC $out\n"
                                   "build a: cat in\n"
                                   "build b: cc in\n"
                                   "build c: cat in\n",
                                   &err))
        << err;
    graph_.FinishLoading();
  }
  void TearDown() override { CurrentPersonality() = saved_; }

  EdgeId EdgeOf(const char* out) { return graph_.in_edge(graph_.LookupNode(out)); }

  std::unique_ptr<Status> Make(StatusConfig::Verbosity verbosity, int parallelism = 1) {
    StatusConfig config;
    config.verbosity = verbosity;
    config.parallelism = parallelism;
    return std::make_unique<Status>(graph_, config);
  }

  Personality saved_;
  // No format or colour from the environment the tests run in.
  ScopedEnv composer_status_{"COMPOSER_STATUS", nullptr};
  ScopedEnv ninja_status_{"NINJA_STATUS", nullptr};
  ScopedEnv clicolor_{"CLICOLOR_FORCE", nullptr};
  VirtualFileSystem fs_;
  Graph graph_;
};

using Verbosity = StatusConfig::Verbosity;

TEST_F(StatusTest, EdgeCounts) {
  auto status = Make(Verbosity::kNoStatusUpdate);
  status->PlanHasTotalEdges(3);
  status->BuildStarted();
  EXPECT_EQ("[0/3] ", status->FormatProgressStatus("[%f/%t] ", 0));
  EXPECT_EQ("s0 t3 r0 u3 f0   0%",
            status->FormatProgressStatus("s%s t%t r%r u%u f%f %p", 0));

  status->BuildEdgeStarted(EdgeOf("a"), 100);
  status->BuildEdgeStarted(EdgeOf("b"), 200);
  EXPECT_EQ("s2 t3 r2 u1 f0   0%",
            status->FormatProgressStatus("s%s t%t r%r u%u f%f %p", 0));
  status->BuildEdgeFinished(EdgeOf("a"), 1000, true, 0, "");
  EXPECT_EQ("s2 t3 r1 u1 f1  33%",
            status->FormatProgressStatus("s%s t%t r%r u%u f%f %p", 0));
  EXPECT_EQ(1, status->finished_edges());

  status->BuildEdgeStarted(EdgeOf("c"), 1000);
  status->BuildEdgeFinished(EdgeOf("b"), 1500, true, 0, "");
  status->BuildEdgeFinished(EdgeOf("c"), 2000, true, 0, "");
  EXPECT_EQ("s3 t3 r0 u0 f3 100%",
            status->FormatProgressStatus("s%s t%t r%r u%u f%f %p", 0));
}

TEST_F(StatusTest, PercentSign) {
  auto status = Make(Verbosity::kNoStatusUpdate);
  EXPECT_EQ("100%% done %", status->FormatProgressStatus("100%%%% done %%", 0));
  EXPECT_EQ("plain text", status->FormatProgressStatus("plain text", 0));
  EXPECT_EQ("", status->FormatProgressStatus("", 0));
}

TEST_F(StatusTest, ElapsedTime) {
  auto status = Make(Verbosity::kNoStatusUpdate);
  status->PlanHasTotalEdges(3);
  status->BuildEdgeStarted(EdgeOf("a"), 0);
  status->BuildEdgeFinished(EdgeOf("a"), 1500, true, 0, "");
  EXPECT_EQ("1.500 00:01", status->FormatProgressStatus("%e %w", 0));
  // The time is the last event's, not the argument (as in Ninja).
  EXPECT_EQ("1.500", status->FormatProgressStatus("%e", 99999));

  status->BuildEdgeStarted(EdgeOf("b"), 1500);
  status->BuildEdgeFinished(EdgeOf("b"), 3725000, true, 0, "");
  EXPECT_EQ("3725.000 1:02:05", status->FormatProgressStatus("%e %w", 0));
}

TEST_F(StatusTest, OverallRate) {
  auto status = Make(Verbosity::kNoStatusUpdate);
  status->PlanHasTotalEdges(3);
  status->BuildEdgeStarted(EdgeOf("a"), 0);
  status->BuildEdgeStarted(EdgeOf("b"), 0);
  status->BuildEdgeFinished(EdgeOf("a"), 500, true, 0, "");
  status->BuildEdgeFinished(EdgeOf("b"), 4000, true, 0, "");
  EXPECT_EQ("0.5", status->FormatProgressStatus("%o", 0));  // 2 edges in 4 s
}

TEST_F(StatusTest, CurrentRateOverTheLastParallelismEdges) {
  auto status = Make(Verbosity::kNoStatusUpdate, 2);
  status->PlanHasTotalEdges(3);
  status->BuildEdgeStarted(EdgeOf("a"), 0);
  status->BuildEdgeFinished(EdgeOf("a"), 1000, true, 0, "");
  EXPECT_EQ("?", status->FormatProgressStatus("%c", 0)) << "one sample is no rate";
  status->BuildEdgeStarted(EdgeOf("b"), 1000);
  status->BuildEdgeFinished(EdgeOf("b"), 1500, true, 0, "");
  EXPECT_EQ("4.0", status->FormatProgressStatus("%c", 0));  // 2 in 0.5 s
  // Asking again without a new finish keeps the window.
  EXPECT_EQ("4.0", status->FormatProgressStatus("%c", 0));
  status->BuildEdgeStarted(EdgeOf("c"), 1500);
  status->BuildEdgeFinished(EdgeOf("c"), 3500, true, 0, "");
  EXPECT_EQ("1.0", status->FormatProgressStatus("%c", 0));  // 2 in 2 s
}

TEST_F(StatusTest, PredictionFromLoggedDurations) {
  // %P, %E and %W (Ninja 1.13): shares of the predicted command time.
  ScopedEnv format("NINJA_STATUS", "[%P %E %W] ");
  BuildState state(&graph_);
  BuildLog log;
  std::string err;
  for (auto [out, millis] : {std::pair{"a", 1000}, std::pair{"b", 3000}}) {
    const NodeId node = graph_.LookupNode(out);
    state.set_dirty(node, true);
    ASSERT_TRUE(log.RecordCommand(graph_, std::span<const NodeId>(&node, 1), 1, 0, millis,
                                  0, &err));
  }
  testing::internal::CaptureStdout();
  auto status = Make(Verbosity::kVerbose);
  status->PredictFrom(state, &log);
  status->PlanHasTotalEdges(2);
  status->BuildStarted();
  EXPECT_EQ("  0%|?|?|0.000|00:00", status->FormatProgressStatus("%P|%E|%W|%e|%w", 0));
  status->BuildEdgeStarted(EdgeOf("a"), 0);
  status->BuildEdgeFinished(EdgeOf("a"), 1000, true, 0, "");
  // 1 s done of 1 s + 3 s predicted.
  EXPECT_EQ(" 25%|3.000|00:03", status->FormatProgressStatus("%P|%E|%W", 0));
  status->BuildEdgeStarted(EdgeOf("b"), 1000);
  status->BuildEdgeFinished(EdgeOf("b"), 4000, true, 0, "");
  EXPECT_EQ("100%|0.000|00:00", status->FormatProgressStatus("%P|%E|%W", 0));
  status->BuildFinished();
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_EQ(
      "[ 25% 3.000 00:03] cat in > a\n"
      "[100% 0.000 00:00] cc -c in -o b\n",
      printed);
}

TEST_F(StatusTest, NoPredictionWithoutDurations) {
  ScopedEnv format("NINJA_STATUS", "%E ");
  BuildState state(&graph_);
  state.set_dirty(graph_.LookupNode("a"), true);
  BuildLog log;  // knows nothing
  testing::internal::CaptureStdout();
  auto status = Make(Verbosity::kVerbose);
  status->PredictFrom(state, &log);
  status->PlanHasTotalEdges(2);
  status->BuildEdgeStarted(EdgeOf("a"), 0);
  status->BuildEdgeFinished(EdgeOf("a"), 2000, true, 0, "");
  // One of two done in 2 s, the other taken to be as long.
  EXPECT_EQ("2.000", status->FormatProgressStatus("%E", 0));
  testing::internal::GetCapturedStdout();
}

TEST_F(StatusTest, DefaultFormatAndDescription) {
  testing::internal::CaptureStdout();
  {
    // Not a terminal: one line per finished edge, description if any.
    auto status = Make(Verbosity::kNormal);
    status->PlanHasTotalEdges(2);
    status->BuildEdgeStarted(EdgeOf("a"), 0);
    status->BuildEdgeFinished(EdgeOf("a"), 10, true, 0, "");
    status->BuildEdgeStarted(EdgeOf("b"), 10);
    status->BuildEdgeFinished(EdgeOf("b"), 20, true, 0, "");
  }
  EXPECT_EQ("[1/2] cat in > a\n[2/2] CC b\n", testing::internal::GetCapturedStdout());
}

TEST_F(StatusTest, VerboseShowsTheCommand) {
  testing::internal::CaptureStdout();
  {
    auto status = Make(Verbosity::kVerbose);
    status->PlanHasTotalEdges(1);
    status->BuildEdgeStarted(EdgeOf("b"), 0);
    status->BuildEdgeFinished(EdgeOf("b"), 10, true, 0, "");
  }
  EXPECT_EQ("[1/1] cc -c in -o b\n", testing::internal::GetCapturedStdout());
}

TEST_F(StatusTest, ComposerStatusWinsOverNinjaStatus) {
  ScopedEnv ninja("NINJA_STATUS", "ninja %f: ");
  {
    testing::internal::CaptureStdout();
    auto status = Make(Verbosity::kVerbose);
    status->PlanHasTotalEdges(1);
    status->BuildEdgeStarted(EdgeOf("a"), 0);
    status->BuildEdgeFinished(EdgeOf("a"), 10, true, 0, "");
    EXPECT_EQ("ninja 1: cat in > a\n", testing::internal::GetCapturedStdout());
  }
  ScopedEnv composer("COMPOSER_STATUS", "composer %f/%t| ");
  testing::internal::CaptureStdout();
  auto status = Make(Verbosity::kVerbose);
  status->PlanHasTotalEdges(1);
  status->BuildEdgeStarted(EdgeOf("a"), 0);
  status->BuildEdgeFinished(EdgeOf("a"), 10, true, 0, "");
  EXPECT_EQ("composer 1/1| cat in > a\n", testing::internal::GetCapturedStdout());
}

TEST_F(StatusTest, FailedEdge) {
  testing::internal::CaptureStdout();
  {
    auto status = Make(Verbosity::kNormal);
    status->PlanHasTotalEdges(1);
    status->BuildEdgeStarted(EdgeOf("a"), 0);
    // Colours are stripped when stdout is not a terminal.
    status->BuildEdgeFinished(EdgeOf("a"), 10, false, 2, "\x1B[31merror\x1B[0m: boom\n");
  }
  EXPECT_EQ(
      "[1/1] cat in > a\n"
      "FAILED: [code=2] a \n"
      "cat in > a\n"
      "error: boom\n",
      testing::internal::GetCapturedStdout());
}

TEST_F(StatusTest, FailedEdgeAsNinja) {
  CurrentPersonality().ninja_compat = true;
  testing::internal::CaptureStdout();
  {
    auto status = Make(Verbosity::kNormal);
    status->PlanHasTotalEdges(1);
    status->BuildEdgeStarted(EdgeOf("a"), 0);
    status->BuildEdgeFinished(EdgeOf("a"), 10, false, 1, "");
  }
  EXPECT_EQ("[1/1] cat in > a\nFAILED: a \ncat in > a\n",
            testing::internal::GetCapturedStdout());
}

TEST_F(StatusTest, QuietPrintsNothing) {
  testing::internal::CaptureStdout();
  {
    auto status = Make(Verbosity::kQuiet);
    status->PlanHasTotalEdges(2);
    status->BuildEdgeStarted(EdgeOf("a"), 0);
    status->BuildEdgeFinished(EdgeOf("a"), 10, true, 0, "some output\n");
    status->BuildEdgeStarted(EdgeOf("b"), 0);
    status->BuildEdgeFinished(EdgeOf("b"), 10, false, 1, "");
    EXPECT_EQ(2, status->finished_edges());
  }
  EXPECT_EQ("", testing::internal::GetCapturedStdout());
}

TEST_F(StatusTest, SuccessfulOutputIsShown) {
  testing::internal::CaptureStdout();
  {
    auto status = Make(Verbosity::kNoStatusUpdate);
    status->PlanHasTotalEdges(1);
    status->BuildEdgeStarted(EdgeOf("a"), 0);
    status->BuildEdgeFinished(EdgeOf("a"), 10, true, 0, "warning: x\n");
  }
  EXPECT_EQ("warning: x\n", testing::internal::GetCapturedStdout());
}

using StatusDeathTest = StatusTest;

TEST_F(StatusDeathTest, UnknownPlaceholderIsFatal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto status = Make(Verbosity::kNoStatusUpdate);
  EXPECT_EXIT(status->FormatProgressStatus("[%f %Z]", 0), testing::ExitedWithCode(1),
              "composer: fatal: unknown placeholder '%Z' in \\$NINJA_STATUS");
}

TEST_F(StatusDeathTest, UnknownPlaceholderNamesComposerStatus) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ScopedEnv composer("COMPOSER_STATUS", "%y");
  auto status = Make(Verbosity::kNoStatusUpdate);
  EXPECT_EXIT(status->FormatProgressStatus("%y", 0), testing::ExitedWithCode(1),
              "unknown placeholder '%y' in \\$COMPOSER_STATUS");
  // As Ninja, Composer under that name speaks of NINJA_STATUS only.
  CurrentPersonality().ninja_compat = true;
  CurrentPersonality().program = "ninja";
  auto as_ninja = Make(Verbosity::kNoStatusUpdate);
  EXPECT_EXIT(as_ninja->FormatProgressStatus("%y", 0), testing::ExitedWithCode(1),
              "ninja: fatal: unknown placeholder '%y' in \\$NINJA_STATUS");
}

}  // namespace
}  // namespace composer
