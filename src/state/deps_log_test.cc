// Tests for .ninja_deps (version 4, as Ninja 1.11 writes it): records read
// back into a fresh graph, unchanged deps are not written twice, a file cut
// short anywhere loads what is whole and is truncated there, old or foreign
// files are discarded, and recompaction drops dead records.

#include "state/deps_log.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace composer {
namespace {

using Strings = std::vector<std::string>;

class DepsLogTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = dir_.Path(".ninja_deps"); }

  void WriteRaw(const std::string& contents) { WriteBytes(path_, contents); }
  std::string ReadRaw() { return ReadBytes(path_); }
  off_t FileSize() {
    struct stat st;
    return stat(path_.c_str(), &st) == 0 ? st.st_size : -1;
  }

  // Records `inputs` as the deps of `output` in graph_.
  void Record(DepsLog* log, const std::string& output, int64_t mtime,
              const Strings& inputs) {
    std::vector<NodeId> nodes;
    for (const std::string& in : inputs) nodes.push_back(graph_.GetNode(in));
    std::string err;
    ASSERT_TRUE(log->RecordDeps(graph_, graph_.GetNode(output), mtime, nodes, &err))
        << err;
  }

  static Strings Paths(const Graph& graph, std::span<const NodeId> nodes) {
    Strings result;
    for (NodeId node : nodes) result.emplace_back(graph.Path(node));
    return result;
  }

  // The deps recorded for `output` in a log loaded into `graph`.
  static Strings DepsOf(const DepsLog& log, const Graph& graph, const std::string& output,
                        int64_t* mtime = nullptr) {
    const NodeId node = graph.LookupNode(output);
    if (!node.valid()) return {"<no node>"};
    const DepsLog::Deps* deps = log.GetDeps(node);
    if (!deps) return {"<no deps>"};
    if (mtime) *mtime = deps->mtime;
    return Paths(graph, deps->nodes);
  }

  // Writes the standard two-output log and returns its bytes.
  std::string WriteSample() {
    DepsLog log;
    std::string err;
    EXPECT_EQ(LoadStatus::kNotFound, log.Load(path_, &graph_, &err));
    EXPECT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err)) << err;
    Record(&log, "out.o", 1, {"foo.h", "bar.h"});
    Record(&log, "out2.o", 2, {"foo.h", "bar2.h"});
    log.Close();
    return ReadRaw();
  }

  ScratchDir dir_{"depslog"};
  std::string path_;
  Graph graph_;
};

TEST_F(DepsLogTest, WriteAndReadBack) {
  {
    DepsLog log;
    std::string err;
    EXPECT_EQ(LoadStatus::kNotFound, log.Load(path_, &graph_, &err));
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err)) << err;
    Record(&log, "out.o", 1, {"foo.h", "bar.h"});
    Record(&log, "out2.o", 0x123456789a, {"foo.h", "bar2.h"});
    // The in-memory view is updated as records are written.
    EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph_, "out.o"));
  }
  // The signature and version Ninja writes.
  const std::string bytes = ReadRaw();
  ASSERT_GE(bytes.size(), 16u);
  EXPECT_EQ("# ninjadeps\n", bytes.substr(0, 12));
  int32_t version;
  memcpy(&version, bytes.data() + 12, 4);
  EXPECT_EQ(4, version);

  Graph graph;
  graph.GetNode("unrelated");  // ids in the file are not node ids
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  EXPECT_EQ("", err);
  int64_t mtime = 0;
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph, "out.o", &mtime));
  EXPECT_EQ(1, mtime);
  EXPECT_EQ((Strings{"foo.h", "bar2.h"}), DepsOf(log, graph, "out2.o", &mtime));
  EXPECT_EQ(0x123456789a, mtime);  // both halves of the mtime
  EXPECT_EQ(nullptr, log.GetDeps(graph.LookupNode("foo.h")));
  EXPECT_EQ(nullptr, log.GetDeps(graph.LookupNode("unrelated")));
}

TEST_F(DepsLogTest, NodesWithDepsAndReverseLookup) {
  WriteSample();
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  EXPECT_EQ((Strings{"out.o", "out2.o"}), Paths(graph, log.NodesWithDeps()));
  EXPECT_EQ("out.o", graph.Path(log.FirstReverseDepsNode(graph.LookupNode("foo.h"))));
  EXPECT_EQ("out2.o", graph.Path(log.FirstReverseDepsNode(graph.LookupNode("bar2.h"))));
  EXPECT_FALSE(log.FirstReverseDepsNode(graph.LookupNode("out.o")).valid());
}

TEST_F(DepsLogTest, UnchangedDepsAreNotWrittenAgain) {
  const std::string first = WriteSample();
  {
    DepsLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph_, &err));
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    Record(&log, "out.o", 1, {"foo.h", "bar.h"});
    Record(&log, "out2.o", 2, {"foo.h", "bar2.h"});
  }
  EXPECT_EQ(first, ReadRaw()) << "identical deps appended";

  {
    // A new mtime, or other inputs, are a new record.
    DepsLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph_, &err));
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    Record(&log, "out.o", 3, {"foo.h", "bar.h"});
    Record(&log, "out2.o", 2, {"bar2.h", "foo.h"});
  }
  // Two deps records, no new paths: 2 * (4 + 12 + 8).
  EXPECT_EQ(first.size() + 48, ReadRaw().size());
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  int64_t mtime = 0;
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph, "out.o", &mtime));
  EXPECT_EQ(3, mtime);
  EXPECT_EQ((Strings{"bar2.h", "foo.h"}), DepsOf(log, graph, "out2.o"));
}

TEST_F(DepsLogTest, NewPathInUnchangedCountIsWritten) {
  WriteSample();
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph_, &err));
  ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
  Record(&log, "out.o", 1, {"foo.h", "baz.h"});
  log.Close();
  Graph graph;
  DepsLog reloaded;
  ASSERT_EQ(LoadStatus::kSuccess, reloaded.Load(path_, &graph, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ((Strings{"foo.h", "baz.h"}), DepsOf(reloaded, graph, "out.o"));
}

TEST_F(DepsLogTest, EmptyDepsListIsRecorded) {
  {
    DepsLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    Record(&log, "out.o", 5, {});
  }
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  int64_t mtime = 0;
  EXPECT_EQ(Strings{}, DepsOf(log, graph, "out.o", &mtime));
  EXPECT_EQ(5, mtime);
}

TEST_F(DepsLogTest, WithoutOpenForWriteNothingIsWritten) {
  DepsLog log;
  Record(&log, "out.o", 1, {"a.h"});
  EXPECT_EQ(-1, FileSize());
  EXPECT_EQ((Strings{"a.h"}), DepsOf(log, graph_, "out.o"));
}

TEST_F(DepsLogTest, TruncatedFileLoadsWhatIsWhole) {
  // As Ninja's DepsLogTest.Truncated: cut at every byte, the load succeeds
  // and yields a consistent prefix (never more deps than a longer cut).
  const std::string whole = WriteSample();
  int last_deps = 2, last_nodes = 1 << 30;
  for (size_t size = whole.size(); size > 0; --size) {
    SCOPED_TRACE(size);
    WriteRaw(whole.substr(0, size));
    Graph graph;
    DepsLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
    const std::vector<NodeId> with_deps = log.NodesWithDeps();
    const int deps = static_cast<int>(with_deps.size());
    EXPECT_LE(deps, last_deps);
    EXPECT_LE(static_cast<int>(graph.node_count()), last_nodes);
    last_deps = deps;
    last_nodes = static_cast<int>(graph.node_count());
    for (NodeId node : with_deps) {
      const std::string path(graph.Path(node));
      const Strings expected =
          path == "out.o" ? Strings{"foo.h", "bar.h"} : Strings{"foo.h", "bar2.h"};
      EXPECT_EQ(expected, DepsOf(log, graph, path));
    }
    if (size < 16) {
      // Not even a header: discarded.
      EXPECT_EQ("bad deps log signature or version; starting over", err);
      EXPECT_EQ(-1, FileSize());
    } else if (size == 16) {
      EXPECT_EQ("", err);
    }
  }
  EXPECT_EQ(0, last_deps);
}

TEST_F(DepsLogTest, TornTailIsCutOffAndLogStaysAppendable) {
  // As Ninja's DepsLogTest.TruncatedRecovery.
  const std::string whole = WriteSample();
  WriteRaw(whole.substr(0, whole.size() - 2));  // inside out2.o's deps record
  {
    Graph graph;
    DepsLog log;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
    EXPECT_EQ("premature end of file; recovering", err);
    EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph, "out.o"));
    EXPECT_EQ((Strings{"<no deps>"}), DepsOf(log, graph, "out2.o"));
    // The torn record is gone from the file: its last sound record ends it.
    EXPECT_EQ(static_cast<off_t>(whole.size() - 24), FileSize());
    EXPECT_EQ(whole.substr(0, whole.size() - 24), ReadRaw());

    // Appending after recovery gives ids that a later load agrees with.
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph, &err));
    std::vector<NodeId> inputs{graph.GetNode("new.h"), graph.GetNode("foo.h")};
    ASSERT_TRUE(log.RecordDeps(graph, graph.LookupNode("out2.o"), 7, inputs, &err))
        << err;
  }
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph, "out.o"));
  EXPECT_EQ((Strings{"new.h", "foo.h"}), DepsOf(log, graph, "out2.o"));
}

TEST_F(DepsLogTest, RecordNamingUnknownIdIsCorrupt) {
  const std::string whole = WriteSample();
  // A deps record for out id 0 listing input id 99, which no path names.
  std::string bad;
  const uint32_t words[] = {16u | 0x80000000u, 0, 1, 0, 99};
  bad.append(reinterpret_cast<const char*>(words), sizeof(words));
  WriteRaw(whole + bad);
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  EXPECT_EQ("premature end of file; recovering", err);
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph, "out.o"));
  EXPECT_EQ(static_cast<off_t>(whole.size()), FileSize());
}

TEST_F(DepsLogTest, PathRecordWithWrongChecksumIsCorrupt) {
  // Two writers racing: a path record whose id checksum does not match.
  const std::string bytes = WriteSample();
  std::string record;
  const uint32_t size = 8, checksum = ~7u;  // the next id is 5, not 7
  record.append(reinterpret_cast<const char*>(&size), 4);
  record.append("x.h\0", 4);
  record.append(reinterpret_cast<const char*>(&checksum), 4);
  WriteRaw(bytes + record);
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  EXPECT_EQ("premature end of file; recovering", err);
  EXPECT_FALSE(graph.LookupNode("x.h").valid());
  EXPECT_EQ(bytes, ReadRaw());
  EXPECT_EQ(2u, log.NodesWithDeps().size());
}

TEST_F(DepsLogTest, OldVersionIsDiscarded) {
  // Version 1 (Ninja before 1.3): rebuilt, with Ninja's message.
  std::string v1 = "# ninjadeps\n";
  const int32_t one = 1;
  v1.append(reinterpret_cast<const char*>(&one), 4);
  v1 += std::string(20, 'x');
  WriteRaw(v1);
  DepsLog log;
  std::string err;
  EXPECT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph_, &err));
  EXPECT_EQ("deps log version change; rebuilding", err);
  EXPECT_EQ(-1, FileSize());
  EXPECT_TRUE(log.NodesWithDeps().empty());
}

TEST_F(DepsLogTest, OtherVersionsAndForeignFilesAreDiscarded) {
  std::string v3 = "# ninjadeps\n";
  const int32_t three = 3, five = 5;
  v3.append(reinterpret_cast<const char*>(&three), 4);
  std::string v5 = "# ninjadeps\n";
  v5.append(reinterpret_cast<const char*>(&five), 4);
  for (const std::string& contents :
       {v3, v5, std::string("# ninja log v5\n1\t2\t3\tout\tab\n"), std::string("x"),
        std::string("")}) {
    SCOPED_TRACE(contents);
    WriteRaw(contents);
    Graph graph;
    DepsLog log;
    std::string err;
    EXPECT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
    EXPECT_EQ("bad deps log signature or version; starting over", err);
    EXPECT_EQ(-1, FileSize());
    EXPECT_EQ(0u, graph.node_count());
  }
  // A new log is started from scratch afterwards.
  DepsLog log;
  std::string err;
  ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
  Record(&log, "out.o", 1, {"a.h"});
  log.Close();
  Graph graph;
  DepsLog reloaded;
  ASSERT_EQ(LoadStatus::kSuccess, reloaded.Load(path_, &graph, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ((Strings{"a.h"}), DepsOf(reloaded, graph, "out.o"));
}

TEST_F(DepsLogTest, UnreadableFileIsAnError) {
  ASSERT_EQ(0, mkdir(path_.c_str(), 0755));
  DepsLog log;
  std::string err;
  EXPECT_EQ(LoadStatus::kError, log.Load(path_, &graph_, &err));
  EXPECT_EQ("Is a directory", err);
  rmdir(path_.c_str());
}

TEST_F(DepsLogTest, RecompactDropsDeadRecords) {
  {
    DepsLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    Record(&log, "live.o", 1, {"foo.h"});
    Record(&log, "dead.o", 1, {"dead_only.h", "foo.h"});
    Record(&log, "live.o", 2, {"foo.h", "bar.h"});  // supersedes
  }
  const off_t before = FileSize();

  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  const NodeId dead = graph.LookupNode("dead.o");
  ASSERT_TRUE(log.Recompact(
      path_, [dead](NodeId node) { return node != dead; }, graph, &err))
      << err;
  EXPECT_LT(FileSize(), before);
  // The log in memory matches the rewritten file.
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(log, graph, "live.o"));
  EXPECT_EQ(nullptr, log.GetDeps(dead));

  Graph fresh;
  DepsLog reloaded;
  ASSERT_EQ(LoadStatus::kSuccess, reloaded.Load(path_, &fresh, &err));
  EXPECT_EQ("", err);
  int64_t mtime = 0;
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(reloaded, fresh, "live.o", &mtime));
  EXPECT_EQ(2, mtime);
  // Paths only the dead record used are gone from the file.
  EXPECT_FALSE(fresh.LookupNode("dead.o").valid());
  EXPECT_FALSE(fresh.LookupNode("dead_only.h").valid());
  EXPECT_EQ((Strings{"live.o"}), Paths(fresh, reloaded.NodesWithDeps()));
  struct stat st;
  EXPECT_NE(0, stat((path_ + ".recompact").c_str(), &st));

  // And it can be appended to afterwards.
  ASSERT_TRUE(reloaded.OpenForWrite(path_, nullptr, fresh, &err));
  std::vector<NodeId> inputs{fresh.GetNode("new.h")};
  ASSERT_TRUE(reloaded.RecordDeps(fresh, fresh.GetNode("other.o"), 3, inputs, &err));
  reloaded.Close();
  Graph third;
  DepsLog again;
  ASSERT_EQ(LoadStatus::kSuccess, again.Load(path_, &third, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ((Strings{"new.h"}), DepsOf(again, third, "other.o"));
  EXPECT_EQ((Strings{"foo.h", "bar.h"}), DepsOf(again, third, "live.o"));
}

TEST_F(DepsLogTest, RedundantLogIsRecompactedWhenOpened) {
  // More than 1000 records, over three per output: rewritten on open.
  {
    DepsLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    for (int i = 0; i < 1100; ++i) Record(&log, "out.o", i + 1, {"a.h", "b.h"});
    Record(&log, "gone.o", 1, {"a.h"});
  }
  const off_t before = FileSize();
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  const NodeId gone = graph.LookupNode("gone.o");
  ASSERT_TRUE(log.OpenForWrite(
      path_, [gone](NodeId node) { return node != gone; }, graph, &err))
      << err;
  // Header, three paths (out.o 16 bytes, a.h and b.h 12) and one deps
  // record (head, out id, mtime, two ids).
  EXPECT_EQ(16 + 16 + 2 * 12 + 24, FileSize());
  EXPECT_LT(FileSize(), before);
  int64_t mtime = 0;
  EXPECT_EQ((Strings{"a.h", "b.h"}), DepsOf(log, graph, "out.o", &mtime));
  EXPECT_EQ(1100, mtime);
  EXPECT_EQ(nullptr, log.GetDeps(gone));
}

TEST_F(DepsLogTest, FewRecordsAreNotRecompacted) {
  {
    DepsLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    for (int i = 0; i < 50; ++i) Record(&log, "out.o", i + 1, {"a.h"});
  }
  const off_t before = FileSize();
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph, &err));
  EXPECT_EQ(before, FileSize());
}

TEST_F(DepsLogTest, PathsArePaddedToFourBytes) {
  {
    DepsLog log;
    std::string err;
    ASSERT_TRUE(log.OpenForWrite(path_, nullptr, graph_, &err));
    Record(&log, "o", 1, {"ab", "abc", "abcd", "abcde"});
  }
  // Sizes: "o" 4+4, "ab" 4+4, "abc" 4+4, "abcd" 4+4, "abcde" 8+4; each with a
  // 4-byte head. Then the deps record: 4 + 12 + 4 * 4.
  EXPECT_EQ(16 + 12 * 4 + 16 + 32, FileSize());
  Graph graph;
  DepsLog log;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, log.Load(path_, &graph, &err));
  EXPECT_EQ("", err);
  EXPECT_EQ((Strings{"ab", "abc", "abcd", "abcde"}), DepsOf(log, graph, "o"));
}

}  // namespace
}  // namespace composer
