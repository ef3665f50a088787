// Tests for the Plan, after Ninja's PlanTest: which edges become ready and
// when, pools, the critical-path order, failures, restat cleaning dependents
// and dyndep files that add work mid-build. The graph is scanned first (as
// the Builder does) over a VirtualFileSystem; edges are "run" by the test.

#include "plan/plan.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parse/manifest_parser.h"
#include "plan/dependency_scan.h"
#include "state/build_log.h"
#include "support/test_manifest.h"
#include "support/virtual_file_system.h"

namespace composer {
namespace {

class PlanTest : public ::testing::Test, public Plan::Delegate {
 protected:
  void Parse(const std::string& manifest) {
    ParseWithCatRule(&graph_, &fs_, manifest);
    state_ = std::make_unique<BuildState>(&graph_);
    scan_ = std::make_unique<DependencyScan>(state_.get(), nullptr, nullptr, &fs_);
    plan_ = std::make_unique<Plan>(state_.get(), this);
  }

  NodeId Node(std::string_view path) {
    const NodeId node = graph_.LookupNode(path);
    EXPECT_TRUE(node.valid()) << "no node " << path;
    return node;
  }

  // Scans and adds each target, as Builder::AddTarget does. Returns the
  // last AddTarget's result; *err receives its error.
  bool AddTargets(const std::vector<std::string>& targets, std::string* err) {
    bool added = false;
    for (const std::string& target : targets) {
      const NodeId node = Node(target);
      if (!scan_->RecomputeDirty(node, nullptr, err)) return false;
      const EdgeId edge = graph_.in_edge(node);
      if (edge.valid() && state_->outputs_ready(edge)) continue;
      added = plan_->AddTarget(node, err);
      if (!added && !err->empty()) return false;
    }
    return added;
  }
  void MakePlan(const std::vector<std::string>& targets, const BuildLog* log = nullptr) {
    std::string err;
    AddTargets(targets, &err);
    ASSERT_EQ("", err);
    plan_->PrepareQueue(log);
  }

  // The first output of the next ready edge, or "" when none is ready.
  std::string Next() {
    const EdgeId edge = plan_->FindWork();
    if (!edge.valid()) return "";
    running_.push_back(edge);
    return std::string(graph_.Path(graph_.outputs(edge)[0]));
  }
  // Finishes the running edge whose first output is `output`.
  void Finish(std::string_view output, bool success = true) {
    const EdgeId edge = graph_.in_edge(Node(output));
    auto it = std::find(running_.begin(), running_.end(), edge);
    ASSERT_NE(running_.end(), it) << output << " is not running";
    running_.erase(it);
    std::string err;
    ASSERT_TRUE(plan_->EdgeFinished(
        edge, success ? Plan::EdgeResult::kSucceeded : Plan::EdgeResult::kFailed, &err))
        << err;
  }

  // Plan::Delegate: as Builder::LoadDyndeps.
  bool LoadDyndeps(NodeId node, std::string* err) override {
    dyndeps_loaded_.emplace_back(graph_.Path(node));
    DyndepFile file;
    if (!scan_->LoadDyndeps(node, &file, err)) return false;
    return plan_->DyndepsLoaded(scan_.get(), node, file, err);
  }

  VirtualFileSystem fs_;
  Graph graph_;
  std::unique_ptr<BuildState> state_;
  std::unique_ptr<DependencyScan> scan_;
  std::unique_ptr<Plan> plan_;
  std::vector<EdgeId> running_;
  std::vector<std::string> dyndeps_loaded_;
};

TEST_F(PlanTest, Basic) {
  Parse(
      "build out: cat mid\n"
      "build mid: cat in\n");
  fs_.Create("in", "");
  MakePlan({"out"});
  EXPECT_TRUE(plan_->more_to_do());
  EXPECT_EQ(2, plan_->command_edge_count());
  EXPECT_EQ("mid", Next());
  EXPECT_EQ("", Next());  // out waits for mid
  Finish("mid");
  EXPECT_TRUE(plan_->more_to_do());
  EXPECT_EQ("out", Next());
  EXPECT_EQ("", Next());
  Finish("out");
  EXPECT_FALSE(plan_->more_to_do());
  EXPECT_EQ("", Next());
}

TEST_F(PlanTest, DoubleOutputIsBuiltOnce) {
  // Ninja's PlanTest.DoubleOutputDirect.
  Parse(
      "build out: cat mid1 mid2\n"
      "build mid1 mid2: cat in\n");
  fs_.Create("in", "");
  MakePlan({"out"});
  EXPECT_EQ(2, plan_->command_edge_count());
  EXPECT_EQ("mid1", Next());
  EXPECT_EQ("", Next());
  Finish("mid1");
  EXPECT_EQ("out", Next());
  Finish("out");
  EXPECT_FALSE(plan_->more_to_do());
}

TEST_F(PlanTest, DependsOnMissingSource) {
  Parse("build out: cat in\n");
  std::string err;
  EXPECT_FALSE(AddTargets({"out"}, &err));
  EXPECT_EQ("'in', needed by 'out', missing and no known rule to make it", err);
}

TEST_F(PlanTest, MissingTargetWithoutRule) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  graph_.GetNode("nope");
  state_->Grow();
  std::string err;
  EXPECT_FALSE(AddTargets({"nope"}, &err));
  EXPECT_EQ("'nope' missing and no known rule to make it", err);
}

TEST_F(PlanTest, NothingToDo) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  fs_.Create("out", "");
  std::string err;
  EXPECT_FALSE(AddTargets({"out"}, &err));
  EXPECT_EQ("", err);
  plan_->PrepareQueue(nullptr);
  EXPECT_FALSE(plan_->more_to_do());
  EXPECT_EQ("", Next());
}

TEST_F(PlanTest, OnlyDirtyPartsArePlanned) {
  Parse(
      "build a: cat in\n"
      "build b: cat in\n"
      "build out: cat a b\n");
  fs_.Create("in", "");
  fs_.Create("a", "");  // b is missing
  MakePlan({"out"});
  EXPECT_EQ(2, plan_->command_edge_count());
  EXPECT_EQ("b", Next());
  EXPECT_EQ("", Next());
  Finish("b");
  EXPECT_EQ("out", Next());
}

TEST_F(PlanTest, PoolWithDepthOne) {
  // Ninja's PlanTest.PoolWithDepthOne.
  Parse(
      "pool foobar\n"
      "  depth = 1\n"
      "rule poolcat\n"
      "  command = cat $in > $out\n"
      "  pool = foobar\n"
      "build out1: poolcat in\n"
      "build out2: poolcat in\n");
  fs_.Create("in", "");
  MakePlan({"out1", "out2"});
  EXPECT_EQ("out1", Next());
  EXPECT_EQ("", Next()) << "the pool is full";
  Finish("out1");
  EXPECT_EQ("out2", Next());
  Finish("out2");
  EXPECT_FALSE(plan_->more_to_do());
}

TEST_F(PlanTest, PoolsLimitOnlyTheirOwnEdges) {
  Parse(
      "pool two\n"
      "  depth = 2\n"
      "rule slow\n"
      "  command = slow $out\n"
      "  pool = two\n"
      "build s1: slow in\n"
      "build s2: slow in\n"
      "build s3: slow in\n"
      "build free: cat in\n");
  fs_.Create("in", "");
  MakePlan({"s1", "s2", "s3", "free"});
  std::vector<std::string> started;
  for (std::string next = Next(); !next.empty(); next = Next()) started.push_back(next);
  ASSERT_EQ(3u, started.size());
  EXPECT_THAT(started, testing::UnorderedElementsAre("s1", "s2", "free"));
  Finish("s2");
  EXPECT_EQ("s3", Next());
  EXPECT_EQ("", Next());
}

TEST_F(PlanTest, ConsolePoolRunsOneAtATime) {
  Parse(
      "rule interactive\n"
      "  command = ask $out\n"
      "  pool = console\n"
      "build c1: interactive in\n"
      "build c2: interactive in\n");
  fs_.Create("in", "");
  MakePlan({"c1", "c2"});
  EXPECT_EQ("c1", Next());
  EXPECT_EQ("", Next());
  Finish("c1");
  EXPECT_EQ("c2", Next());
}

TEST_F(PlanTest, LongestChainStartsFirst) {
  // Without durations each command counts the same: the three-step chain
  // is started before the single edge declared ahead of it.
  Parse(
      "build solo: cat in\n"
      "build c1: cat in\n"
      "build c2: cat c1\n"
      "build c3: cat c2\n");
  fs_.Create("in", "");
  MakePlan({"solo", "c3"});
  EXPECT_EQ("c1", Next());
  EXPECT_EQ("solo", Next());
}

TEST_F(PlanTest, LoggedDurationsDecideTheOrder) {
  Parse(
      "build solo: cat in\n"
      "build c1: cat in\n"
      "build c2: cat c1\n"
      "build c3: cat c2\n");
  fs_.Create("in", "");
  BuildLog log;
  std::string err;
  auto record = [&](const char* out, int32_t millis) {
    const NodeId node = Node(out);
    ASSERT_TRUE(log.RecordCommand(graph_, std::span<const NodeId>(&node, 1), 1, 0, millis,
                                  0, &err));
  };
  record("solo", 5000);
  record("c1", 10);
  record("c2", 10);
  record("c3", 10);
  MakePlan({"c3", "solo"}, &log);
  EXPECT_EQ("solo", Next()) << "5 s alone outweighs three 10 ms steps";
  EXPECT_EQ("c1", Next());
}

TEST_F(PlanTest, TiesGoToTheEdgeDeclaredFirst) {
  Parse(
      "build b: cat in\n"
      "build a: cat in\n");
  fs_.Create("in", "");
  MakePlan({"a", "b"});
  EXPECT_EQ("b", Next());
  EXPECT_EQ("a", Next());
}

TEST_F(PlanTest, FailedEdgeHoldsBackItsDependents) {
  Parse(
      "build mid: cat in\n"
      "build out: cat mid\n"
      "build other: cat in\n");
  fs_.Create("in", "");
  MakePlan({"out", "other"});
  const std::string first = Next();
  const std::string second = Next();
  EXPECT_THAT((std::vector<std::string>{first, second}),
              testing::UnorderedElementsAre("mid", "other"));
  Finish("mid", false);
  Finish("other");
  EXPECT_EQ("", Next());
  EXPECT_TRUE(plan_->more_to_do()) << "out is still wanted";
}

TEST_F(PlanTest, PhonyEdgesAreHandedOutButNotCountedAsCommands) {
  Parse(
      "build out1: cat in\n"
      "build out2: cat in\n"
      "build all: phony out1 out2\n");
  fs_.Create("in", "");
  MakePlan({"all"});
  EXPECT_EQ(2, plan_->command_edge_count());
  Next();
  Next();
  Finish("out1");
  EXPECT_EQ("", Next());
  Finish("out2");
  // The phony edge is handed out too (the builder finishes it at once).
  EXPECT_TRUE(plan_->more_to_do());
  EXPECT_EQ("all", Next());
  Finish("all");
  EXPECT_FALSE(plan_->more_to_do());
  EXPECT_EQ(2, plan_->command_edge_count()) << "a total, not what remains";
}

TEST_F(PlanTest, RequeuedEdgeComesBack) {
  Parse("build out: cat in\n");
  fs_.Create("in", "");
  MakePlan({"out"});
  const EdgeId edge = plan_->FindWork();
  ASSERT_TRUE(edge.valid());
  EXPECT_FALSE(plan_->FindWork().valid());
  plan_->Requeue(edge);
  EXPECT_EQ(edge, plan_->FindWork());
}

TEST_F(PlanTest, RestatCleansDependents) {
  // Ninja's BuildTest.RestatTest at the plan's level: mid's command leaves
  // it unchanged, so out (dirty only because of mid) need not run.
  Parse(
      "rule true\n"
      "  command = true\n"
      "  restat = 1\n"
      "build mid: true in\n"
      "build out: cat mid\n");
  fs_.Create("mid", "");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");
  MakePlan({"out"});
  EXPECT_TRUE(state_->dirty(Node("out")));
  EXPECT_EQ(2, plan_->command_edge_count());
  EXPECT_EQ("mid", Next());
  // mid was not rewritten: its mtime is unchanged.
  std::string err;
  ASSERT_TRUE(plan_->CleanNode(scan_.get(), Node("mid"), &err)) << err;
  EXPECT_FALSE(state_->dirty(Node("out")));
  EXPECT_EQ(1, plan_->command_edge_count());
  Finish("mid");
  EXPECT_EQ("", Next());
  EXPECT_FALSE(plan_->more_to_do());
}

TEST_F(PlanTest, RestatDoesNotCleanDependentsWithOtherDirtyInputs) {
  Parse(
      "rule true\n"
      "  command = true\n"
      "  restat = 1\n"
      "build mid: true in\n"
      "build other: cat in\n"
      "build out: cat mid other\n");
  fs_.Create("mid", "");
  fs_.Create("out", "");
  fs_.Tick();
  fs_.Create("in", "");  // "other" is missing
  MakePlan({"out"});
  EXPECT_EQ(3, plan_->command_edge_count());
  Next();
  Next();
  std::string err;
  ASSERT_TRUE(plan_->CleanNode(scan_.get(), Node("mid"), &err)) << err;
  EXPECT_TRUE(state_->dirty(Node("out")));
  EXPECT_EQ(3, plan_->command_edge_count());
  Finish("mid");
  Finish("other");
  EXPECT_EQ("out", Next());
}

TEST_F(PlanTest, RestatCleaningComparesContentTimes) {
  // With content checks, an input touched without changing keeps its old
  // content time. Cleaning after a restat must compare content times, as
  // the scan does: "x" has the newest mtime but old content, "y" changed
  // after "out" was built, so out must still run.
  Parse(
      "rule true\n"
      "  command = true\n"
      "  restat = 1\n"
      "build mid: true in\n"
      "build out: cat mid x y\n");
  fs_.Create("mid", "");  // 1
  fs_.Tick();
  fs_.Create("out", "");  // 2
  fs_.Tick();
  fs_.Create("in", "");  // 3
  fs_.Create("y", "");   // 3: changed after out
  fs_.Tick();
  fs_.Create("x", "");  // 4, but its content is as at 1
  const NodeId x = Node("x");
  state_->set_mtime(x, 4);
  state_->set_content_mtime(x, 1);  // what the fingerprints would say
  MakePlan({"out"});
  EXPECT_TRUE(state_->dirty(Node("mid")));
  EXPECT_TRUE(state_->dirty(Node("out")));
  EXPECT_EQ("mid", Next());
  std::string err;
  ASSERT_TRUE(plan_->CleanNode(scan_.get(), Node("mid"), &err)) << err;
  EXPECT_TRUE(state_->dirty(Node("out"))) << "y is newer than out";
  EXPECT_EQ(2, plan_->command_edge_count());
  Finish("mid");
  EXPECT_EQ("out", Next());
}

TEST_F(PlanTest, DyndepFileBuiltMidBuildAddsInputs) {
  // As Ninja's BuildTest.DyndepBuildDiscoverNewInput: the dyndep file,
  // once built, names an input that must itself be built first.
  Parse(
      "rule cp\n"
      "  command = cp $in $out\n"
      "build dd: cp dd-in\n"
      "build in: cat src\n"
      "build out: cat || dd\n"
      "  dyndep = dd\n");
  fs_.Create("dd-in",
             "ninja_dyndep_version = 1\n"
             "build out: dyndep | in\n");
  fs_.Create("src", "");
  MakePlan({"out"});
  EXPECT_TRUE(state_->dyndep_pending(Node("dd")));
  EXPECT_EQ("dd", Next());
  EXPECT_EQ("", Next());
  // "Run" the cp: the dyndep file now exists.
  fs_.Create("dd", fs_.files["dd-in"].contents);
  Finish("dd");
  EXPECT_EQ((std::vector<std::string>{"dd"}), dyndeps_loaded_);
  EXPECT_EQ(3, plan_->command_edge_count());
  EXPECT_EQ("in", Next()) << "the discovered input is built before out";
  EXPECT_EQ("", Next());
  Finish("in");
  EXPECT_EQ("out", Next());
  Finish("out");
  EXPECT_FALSE(plan_->more_to_do());
}

TEST_F(PlanTest, BrokenDyndepFileFailsTheEdge) {
  Parse(
      "rule cp\n"
      "  command = cp $in $out\n"
      "build dd: cp dd-in\n"
      "build out: cat || dd\n"
      "  dyndep = dd\n");
  fs_.Create("dd-in", "");
  MakePlan({"out"});
  EXPECT_EQ("dd", Next());
  fs_.Create("dd", "ninja_dyndep_version = 1\n");  // does not mention out
  std::string err;
  EXPECT_FALSE(plan_->EdgeFinished(graph_.in_edge(Node("dd")),
                                   Plan::EdgeResult::kSucceeded, &err));
  EXPECT_EQ("'out' not mentioned in its dyndep file 'dd'", err);
}

}  // namespace
}  // namespace composer
