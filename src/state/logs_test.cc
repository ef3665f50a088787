// Tests for Logs, the three state files opened together: which build-log
// and deps-log records are dead, the -n and recompact-only modes, and the
// .composer_db marker that says whether another program built here since.

#include "state/logs.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"
#include "util/file_system.h"

namespace composer {
namespace {

class LogsTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("COMPOSER_NINJA_LOG_VERSION"); }

  // The graph of "build out.o: cc in.c" (deps = gcc), "build copy: cp
  // in.c" and "build alias: phony out.o", made by hand: this layer has no
  // manifest parser.
  static void Parse(Graph* graph) {
    const RuleId cc = graph->AddRule(Graph::kRootScope, graph->InternName("cc"));
    Rule& rule = graph->rule(cc);
    rule.bindings[static_cast<int>(RuleKey::kCommand)].AddText("cc");
    rule.present[static_cast<int>(RuleKey::kCommand)] = true;
    rule.bindings[static_cast<int>(RuleKey::kDeps)].AddText("gcc");
    rule.present[static_cast<int>(RuleKey::kDeps)] = true;
    const RuleId cp = graph->AddRule(Graph::kRootScope, graph->InternName("cp"));
    graph->rule(cp).bindings[static_cast<int>(RuleKey::kCommand)].AddText("cp");
    graph->rule(cp).present[static_cast<int>(RuleKey::kCommand)] = true;
    auto add = [graph](RuleId rule, const char* out, const char* in) {
      const EdgeId edge = graph->StartEdge(rule, Graph::kRootScope);
      EXPECT_TRUE(graph->AddOutput(edge, graph->GetNode(out)));
      graph->AddInput(edge, graph->GetNode(in));
      graph->edge(edge).explicit_outs = 1;
      graph->edge(edge).explicit_ins = 1;
    };
    add(cc, "out.o", "in.c");
    add(cp, "copy", "in.c");
    add(Graph::kPhonyRule, "alias", "out.o");
    graph->FinishLoading();
  }
  bool Exists(const char* name) {
    struct stat st;
    return stat((dir_ + "/" + name).c_str(), &st) == 0;
  }
  void Record(Logs* logs, Graph* graph, const char* output) {
    const NodeId node = graph->GetNode(output);
    std::string err;
    ASSERT_TRUE(logs->build_log().RecordCommand(*graph, std::span<const NodeId>(&node, 1),
                                                0x1234, 0, 1, 2, &err))
        << err;
  }

  ScratchDir scratch_{"logs"};
  std::string dir_ = scratch_.path();
  RealFileSystem fs_;
};

TEST_F(LogsTest, PathsAreInTheBuildDir) {
  Graph graph;
  Logs in_dir(&graph, &fs_, "out/dir", false);
  EXPECT_EQ("out/dir/.ninja_log", in_dir.Path(".ninja_log"));
  Logs here(&graph, &fs_, "", false);
  EXPECT_EQ(".ninja_deps", here.Path(".ninja_deps"));
}

TEST_F(LogsTest, DeadOutputs) {
  Graph graph;
  Parse(&graph);
  Logs logs(&graph, &fs_, dir_, false);
  // Built by an edge: alive, whether or not the file exists.
  EXPECT_FALSE(logs.IsOutputDead("out.o"));
  EXPECT_FALSE(logs.IsOutputDead("alias"));
  // No edge builds it and it is gone: dead.
  EXPECT_TRUE(logs.IsOutputDead(dir_ + "/gone"));
  graph.GetNode(dir_ + "/src.c");  // a node no edge builds, with no file
  EXPECT_TRUE(logs.IsOutputDead(dir_ + "/src.c"));
  // No edge, but the file is still there (for generators that use it).
  { std::ofstream(dir_ + "/kept") << "x"; }
  EXPECT_FALSE(logs.IsOutputDead(dir_ + "/kept"));
}

TEST_F(LogsTest, LiveDepsEntries) {
  Graph graph;
  Parse(&graph);
  Logs logs(&graph, &fs_, dir_, false);
  EXPECT_TRUE(logs.IsDepsEntryLive(graph.LookupNode("out.o")));
  EXPECT_FALSE(logs.IsDepsEntryLive(graph.LookupNode("copy"))) << "no deps binding";
  EXPECT_FALSE(logs.IsDepsEntryLive(graph.LookupNode("alias")));
  EXPECT_FALSE(logs.IsDepsEntryLive(graph.LookupNode("in.c"))) << "no edge";
}

TEST_F(LogsTest, OpenForBuildWritesOnlyWhatIsRecorded) {
  Graph graph;
  Parse(&graph);
  {
    Logs logs(&graph, &fs_, dir_, false);
    bool content_check = true;
    ASSERT_TRUE(logs.OpenForBuild(&content_check));
    EXPECT_TRUE(content_check);
  }
  EXPECT_FALSE(Exists(".ninja_log"));
  EXPECT_FALSE(Exists(".ninja_deps"));
  {
    Logs logs(&graph, &fs_, dir_, false);
    bool content_check = true;
    ASSERT_TRUE(logs.OpenForBuild(&content_check));
    Record(&logs, &graph, "out.o");
  }
  EXPECT_TRUE(Exists(".ninja_log"));
  EXPECT_TRUE(Exists(".composer_db")) << "the marker";

  Graph again;
  Parse(&again);
  Logs logs(&again, &fs_, dir_, false);
  bool content_check = true;
  ASSERT_TRUE(logs.OpenForBuild(&content_check));
  const BuildLog::Entry* entry = logs.build_log().Lookup("out.o");
  ASSERT_NE(nullptr, entry);
  EXPECT_EQ(0x1234u, entry->command_hash);
}

TEST_F(LogsTest, DryRunWritesNothing) {
  Graph graph;
  Parse(&graph);
  {
    Logs logs(&graph, &fs_, dir_, true);
    bool content_check = true;
    ASSERT_TRUE(logs.OpenForBuild(&content_check));
    Record(&logs, &graph, "out.o");
    ASSERT_NE(nullptr, logs.build_log().Lookup("out.o"));
  }
  EXPECT_FALSE(Exists(".ninja_log"));
  EXPECT_FALSE(Exists(".composer_db"));
}

TEST_F(LogsTest, RecompactOnlyWithoutLogsCreatesNone) {
  Graph graph;
  Parse(&graph);
  Logs logs(&graph, &fs_, dir_, false);
  EXPECT_TRUE(logs.OpenBuildLog(true));
  EXPECT_TRUE(logs.OpenDepsLog(true));
  EXPECT_FALSE(Exists(".ninja_log"));
  EXPECT_FALSE(Exists(".ninja_deps"));
}

TEST_F(LogsTest, RecompactOnlyDropsDeadOutputs) {
  {
    std::ofstream log(dir_ + "/.ninja_log");
    log << "# ninja log v5\n"
        << "0\t1\t2\tout.o\tab\n"
        << "0\t1\t2\t" << dir_ << "/gone\tcd\n";
  }
  Graph graph;
  Parse(&graph);
  Logs logs(&graph, &fs_, dir_, false);
  ASSERT_TRUE(logs.OpenBuildLog(true));
  std::ifstream in(dir_ + "/.ninja_log");
  std::string contents((std::istreambuf_iterator<char>(in)),
                       std::istreambuf_iterator<char>());
  EXPECT_EQ("# ninja log v5\n0\t1\t2\tout.o\tab\n", contents);
}

TEST_F(LogsTest, MarkerTrustsOnlyComposersOwnLog) {
  Graph graph;
  Parse(&graph);
  {
    Logs logs(&graph, &fs_, dir_, false);
    bool content_check = true;
    ASSERT_TRUE(logs.OpenForBuild(&content_check));
    Record(&logs, &graph, "out.o");
  }  // the marker records .ninja_log as this build left it
  {
    Logs logs(&graph, &fs_, dir_, false);
    bool content_check = true;
    ASSERT_TRUE(logs.OpenForBuild(&content_check));
    EXPECT_TRUE(logs.fingerprints().trusted());
  }
  // Another program (ninja) appends to the log.
  {
    std::ofstream log(dir_ + "/.ninja_log", std::ios::app);
    log << "5\t6\t7\tcopy\tef\n";
  }
  {
    Logs logs(&graph, &fs_, dir_, false);
    bool content_check = true;
    ASSERT_TRUE(logs.OpenForBuild(&content_check));
    EXPECT_FALSE(logs.fingerprints().trusted());
  }  // this build marks the log as it found it: trusted again next time
  Logs logs(&graph, &fs_, dir_, false);
  bool content_check = true;
  ASSERT_TRUE(logs.OpenForBuild(&content_check));
  EXPECT_TRUE(logs.fingerprints().trusted());
}

}  // namespace
}  // namespace composer
