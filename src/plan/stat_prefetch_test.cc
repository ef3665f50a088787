// Tests for stat prefetching: which nodes a walk will need (inputs, all
// outputs, validations, dyndep files, deps-log dependencies; never a node
// already stat'ed or an edge already walked), parallel stats returned in
// order, and a prefetched scan deciding exactly as an unprefetched one.

#include "plan/stat_prefetch.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parse/manifest_parser.h"
#include "plan/build_state.h"
#include "plan/dependency_scan.h"
#include "state/deps_log.h"
#include "support/scratch_dir.h"
#include "support/test_manifest.h"
#include "support/virtual_file_system.h"

namespace composer {
namespace {

using testing::UnorderedElementsAre;
using Strings = std::vector<std::string>;

class StatPrefetchTest : public ::testing::Test {
 protected:
  void Parse(const std::string& manifest) { ParseWithCatRule(&graph_, &fs_, manifest); }
  Strings Collect(const BuildState& state, const char* root, const DepsLog* deps_log,
                  std::vector<uint8_t>* seen) {
    std::vector<NodeId> nodes;
    CollectNodesToStat(state, deps_log, graph_.LookupNode(root), seen, &nodes);
    Strings paths;
    for (NodeId n : nodes) paths.emplace_back(graph_.Path(n));
    return paths;
  }

  VirtualFileSystem fs_;
  Graph graph_;
};

TEST_F(StatPrefetchTest, CollectsEverythingTheWalkWillStat) {
  Parse(
      "build out | out.imp: cat mid | imp || oo |@ check\n"
      "build mid: cat in\n"
      "build check: cat in2\n"
      "build dyn: cat dd-in\n"
      "build unrelated: cat other\n"
      "build x: cat in || dd\n"
      "  dyndep = dd\n"
      "build all: phony out x\n");
  BuildState state(&graph_);
  std::vector<uint8_t> seen;
  EXPECT_THAT(Collect(state, "all", nullptr, &seen),
              UnorderedElementsAre("all", "out", "out.imp", "mid", "in", "imp", "oo",
                                   "check", "in2", "x", "dd"));
}

TEST_F(StatPrefetchTest, SkipsKnownNodesAndWalkedEdges) {
  Parse(
      "build a: cat shared\n"
      "build b: cat shared\n");
  BuildState state(&graph_);
  state.set_mtime(graph_.LookupNode("shared"), 5);
  std::vector<uint8_t> seen;
  EXPECT_EQ((Strings{"a"}), Collect(state, "a", nullptr, &seen));
  EXPECT_EQ((Strings{"a"}), Collect(state, "a", nullptr, &seen)) << "the root itself";
  EXPECT_EQ((Strings{"b"}), Collect(state, "b", nullptr, &seen));
}

TEST_F(StatPrefetchTest, IncludesDepsLogDependencies) {
  Parse("build out.o: cat in.c\n");
  DepsLog deps_log;
  std::string err;
  const NodeId header = graph_.GetNode("hdr.h");
  ASSERT_TRUE(deps_log.RecordDeps(graph_, graph_.LookupNode("out.o"), 1,
                                  std::span<const NodeId>(&header, 1), &err));
  BuildState state(&graph_);
  std::vector<uint8_t> seen;
  EXPECT_THAT(Collect(state, "out.o", &deps_log, &seen),
              UnorderedElementsAre("out.o", "in.c", "hdr.h"));
}

// Real files, so that several threads may stat at once.
class ParallelStatTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, int64_t seconds) {
    const std::string path = dir_.Path(name);
    WriteBytes(path, "");
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    EXPECT_EQ(0, utimensat(AT_FDCWD, path.c_str(), times, 0));
    return path;
  }

  ScratchDir dir_{"prefetch"};
  RealFileSystem fs_;
};

TEST_F(ParallelStatTest, ResultsInOrder) {
  Graph graph;
  std::vector<NodeId> nodes;
  for (int i = 0; i < 600; ++i) {
    // Every third file is missing.
    const std::string name = "f" + std::to_string(i);
    nodes.push_back(graph.GetNode(i % 3 ? Write(name, 1000 + i) : dir_.Path(name)));
  }
  for (unsigned threads : {1u, 4u}) {
    SCOPED_TRACE(threads);
    const std::vector<FileStat> stats = StatInParallel(&fs_, graph, nodes, threads);
    ASSERT_EQ(nodes.size(), stats.size());
    for (int i = 0; i < 600; ++i) {
      if (i % 3 == 0) {
        EXPECT_EQ(FileStat::kMissing, stats[i].kind) << i;
      } else {
        EXPECT_EQ(FileStat::kFile, stats[i].kind) << i;
        EXPECT_EQ((1000 + i) * 1000000000LL, stats[i].mtime) << i;
      }
    }
  }
}

TEST_F(ParallelStatTest, PrefetchedScanDecidesTheSame) {
  // A chain of objects, half of them older than their sources.
  std::string manifest =
      "rule cat\n"
      "  command = cat $in > $out\n";
  std::string all;
  for (int i = 0; i < 20; ++i) {
    const std::string src = Write("s" + std::to_string(i), 2000);
    const std::string obj = Write("o" + std::to_string(i), i % 2 ? 1000 : 3000);
    manifest += "build " + obj + ": cat " + src + "\n";
    all += " " + obj;
  }
  // A missing source: dirty, so "all" cannot be built (a prefetched stat
  // once let the walk skip judging it, and the build saw nothing to do).
  manifest +=
      "build " + dir_.Path("o-missing") + ": cat " + dir_.Path("s-missing") + "\n";
  all += " " + dir_.Path("o-missing");
  manifest += "build all: phony" + all + "\n";
  auto scan = [&](bool prefetch) {
    Graph graph;
    VirtualFileSystem unused;
    ManifestParser parser(&graph, &unused);
    std::string err;
    EXPECT_TRUE(parser.ParseString("build.ninja", manifest, &err)) << err;
    graph.FinishLoading();
    BuildState state(&graph);
    DependencyScan dependency_scan(&state, nullptr, nullptr, &fs_);
    if (prefetch) {
      setenv("COMPOSER_STAT_THREADS", "4", 1);
      dependency_scan.PrefetchStats(graph.LookupNode("all"));
      unsetenv("COMPOSER_STAT_THREADS");
      // Everything is known before the walk.
      for (uint32_t n = 0; n < graph.node_count(); ++n) {
        EXPECT_TRUE(state.status_known(NodeId(n))) << graph.Path(NodeId(n));
      }
    }
    EXPECT_TRUE(dependency_scan.RecomputeDirty(graph.LookupNode("all"), nullptr, &err))
        << err;
    std::vector<std::string> dirty;
    for (uint32_t n = 0; n < graph.node_count(); ++n) {
      if (state.dirty(NodeId(n))) dirty.emplace_back(graph.Path(NodeId(n)));
    }
    return dirty;
  };
  const std::vector<std::string> plain = scan(false);
  EXPECT_EQ(13u, plain.size());  // ten objects, the missing source, its object, "all"
  EXPECT_EQ(plain, scan(true));
}

}  // namespace
}  // namespace composer
