// Tests for naming targets on the command line (CollectTarget: "foo.c^",
// canonical paths, Ninja's "did you mean" hints) and for -t commands and
// -t inputs. Expected output is /usr/bin/ninja 1.11.1's on the same manifest.

#include "tools/tool.h"

#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parse/manifest_parser.h"
#include "state/deps_log.h"
#include "support/virtual_file_system.h"
#include "tools/tools.h"
#include "util/log.h"

namespace composer {
namespace {

constexpr char kManifest[] =
    "rule cc\n"
    "  command = cc -c $in -o $out\n"
    "rule link\n"
    "  command = link $in -o $out\n"
    "build a.o: cc a.c | a.h || gen\n"
    "build b.o: cc b.c\n"
    "build gen: phony\n"
    "build app: link a.o b.o\n"
    "build all: phony app\n"
    "default app\n";

class ToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = CurrentPersonality();
    CurrentPersonality().program = "ninja";
    CurrentPersonality().ninja_compat = true;
    ManifestParserOptions options;
    options.quiet = true;
    ManifestParser parser(&graph_, &fs_, options);
    std::string err;
    ASSERT_TRUE(parser.ParseString("build.ninja", kManifest, &err)) << err;
    graph_.FinishLoading();
    context_.graph = &graph_;
    context_.file_system = &fs_;
  }
  void TearDown() override { CurrentPersonality() = saved_; }

  std::string Target(const std::string& name, const DepsLog* deps_log = nullptr) {
    std::string err;
    const NodeId node = CollectTarget(graph_, name, &err, deps_log);
    if (!node.valid()) return "error: " + err;
    EXPECT_EQ("", err);
    return std::string(graph_.Path(node));
  }

  // Runs a tool with `args` after its name; returns its exit code, stdout
  // in *out and stderr in *err.
  int RunTool(const char* name, std::vector<std::string> args, std::string* out,
              std::string* err) {
    const Tool* tool = FindToolByName(name);
    EXPECT_NE(nullptr, tool);
    if (!tool) return -1;
    args.insert(args.begin(), name);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // The tools reset getopt with optind = 1, which leaves glibc's pointer
    // into the previous argv: harmless in a process that runs one tool, but
    // the previous run's strings are gone here. optind = 0 resets it all.
    static char reset_name[] = "reset";
    char* reset_argv[] = {reset_name, nullptr};
    optind = 0;
    EXPECT_EQ(-1, getopt(1, reset_argv, ""));
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    const int code = tool->run(context_, static_cast<int>(args.size()), argv.data());
    fflush(stdout);
    *out = testing::internal::GetCapturedStdout();
    *err = testing::internal::GetCapturedStderr();
    return code;
  }

  Personality saved_;
  VirtualFileSystem fs_;
  Graph graph_;
  ToolContext context_;
};

TEST_F(ToolTest, TargetsByPath) {
  EXPECT_EQ("a.o", Target("a.o"));
  EXPECT_EQ("a.o", Target("./a.o"));
  EXPECT_EQ("a.o", Target("x/../a.o"));
  EXPECT_EQ("a.c", Target("a.c"));  // sources are targets too
  EXPECT_EQ("error: empty path", Target(""));
}

TEST_F(ToolTest, CaretNamesTheFirstDependent) {
  EXPECT_EQ("a.o", Target("a.c^"));
  EXPECT_EQ("a.o", Target("a.h^"));
  EXPECT_EQ("app", Target("a.o^"));
  EXPECT_EQ("error: 'all' has no out edge", Target("all^"));
  // Only one caret is taken off, as in Ninja.
  EXPECT_EQ("error: unknown target 'b.c^', did you mean 'b.c'?", Target("b.c^^"));
}

TEST_F(ToolTest, CaretFallsBackToTheDepsLog) {
  // A header no manifest edge reads, but a command discovered.
  const NodeId header = graph_.GetNode("only_discovered.h");
  EXPECT_EQ("error: 'only_discovered.h' has no out edge", Target("only_discovered.h^"));
  DepsLog deps_log;
  std::string err;
  ASSERT_TRUE(deps_log.RecordDeps(graph_, graph_.LookupNode("b.o"), 1,
                                  std::span(&header, 1), &err));
  EXPECT_EQ("b.o", Target("only_discovered.h^", &deps_log));
}

TEST_F(ToolTest, UnknownTargetsWithNinjasHints) {
  EXPECT_EQ("error: unknown target 'a.o.x', did you mean 'a.o'?", Target("a.o.x"));
  EXPECT_EQ("error: unknown target 'nope', did you mean 'app'?", Target("nope"));
  EXPECT_EQ("error: unknown target 'clean', did you mean 'ninja -t clean'?",
            Target("clean"));
  EXPECT_EQ("error: unknown target 'help', did you mean 'ninja -h'?", Target("help"));
  EXPECT_EQ("error: unknown target 'completely-different-name'",
            Target("completely-different-name"));
  CurrentPersonality().program = "composer";
  EXPECT_EQ("error: unknown target 'clean', did you mean 'composer -t clean'?",
            Target("clean"));
}

TEST_F(ToolTest, CollectTargetsDefaultsAndOrder) {
  std::vector<NodeId> targets;
  std::string err;
  ASSERT_TRUE(CollectTargets(graph_, {}, &targets, &err)) << err;
  ASSERT_EQ(1u, targets.size());
  EXPECT_EQ("app", graph_.Path(targets[0]));

  targets.clear();
  ASSERT_TRUE(CollectTargets(graph_, {"b.o", "a.c^"}, &targets, &err)) << err;
  ASSERT_EQ(2u, targets.size());
  EXPECT_EQ("b.o", graph_.Path(targets[0]));
  EXPECT_EQ("a.o", graph_.Path(targets[1]));

  targets.clear();
  EXPECT_FALSE(CollectTargets(graph_, {"b.o", "missing"}, &targets, &err));
  EXPECT_THAT(err, testing::StartsWith("unknown target 'missing'"));
}

TEST_F(ToolTest, FindToolByName) {
  for (const char* name :
       {"clean", "commands", "inputs", "deps", "missingdeps", "graph", "query", "targets",
        "compdb", "recompact", "restat", "rules", "cleandead", "browse"}) {
    SCOPED_TRACE(name);
    const Tool* tool = FindToolByName(name);
    ASSERT_NE(nullptr, tool);
    EXPECT_STREQ(name, tool->name);
  }
  EXPECT_EQ(nullptr, FindToolByName("nonexistent"));
  EXPECT_EQ(nullptr, FindToolByName(""));
  EXPECT_EQ(Tool::When::kAfterLogs, FindToolByName("deps")->when);
  EXPECT_EQ(Tool::When::kAfterLoad, FindToolByName("commands")->when);
  EXPECT_EQ(Tool::When::kAfterFlags, FindToolByName("restat")->when);
  const std::vector<const char*> names = ToolNames();
  EXPECT_EQ("browse", std::string(names.front()));
}

TEST_F(ToolTest, Commands) {
  std::string out, err;
  EXPECT_EQ(0, RunTool("commands", {}, &out, &err));
  EXPECT_EQ("cc -c a.c -o a.o\ncc -c b.c -o b.o\nlink a.o b.o -o app\n", out);
  EXPECT_EQ(0, RunTool("commands", {"-s", "app"}, &out, &err));
  EXPECT_EQ("link a.o b.o -o app\n", out);
  EXPECT_EQ(0, RunTool("commands", {"a.o"}, &out, &err));
  EXPECT_EQ("cc -c a.c -o a.o\n", out);
  EXPECT_EQ(0, RunTool("commands", {"a.c^"}, &out, &err));
  EXPECT_EQ("cc -c a.c -o a.o\n", out);
  // Shared inputs are listed once.
  EXPECT_EQ(0, RunTool("commands", {"app", "a.o", "all"}, &out, &err));
  EXPECT_EQ("cc -c a.c -o a.o\ncc -c b.c -o b.o\nlink a.o b.o -o app\n", out);
}

TEST_F(ToolTest, CommandsForUnknownTarget) {
  std::string out, err;
  EXPECT_EQ(1, RunTool("commands", {"nope"}, &out, &err));
  EXPECT_EQ("", out);
  EXPECT_EQ("ninja: error: unknown target 'nope', did you mean 'app'?\n", err);
}

TEST_F(ToolTest, Inputs) {
  std::string out, err;
  EXPECT_EQ(0, RunTool("inputs", {"app"}, &out, &err));
  EXPECT_EQ("a.c\na.h\na.o\nb.c\nb.o\ngen\n", out);
  EXPECT_EQ(0, RunTool("inputs", {}, &out, &err));
  EXPECT_EQ("a.c\na.h\na.o\nb.c\nb.o\ngen\n", out);
  EXPECT_EQ(0, RunTool("inputs", {"b.o"}, &out, &err));
  EXPECT_EQ("b.c\n", out);
}

}  // namespace
}  // namespace composer
