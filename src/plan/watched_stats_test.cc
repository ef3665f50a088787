// Tests for stats through the watcher: a real daemon (on a thread) watches
// a scratch directory; each WatchedStats stands for one build process. The
// first build stats everything, the next ones only what changed, and the
// stats handed out always equal fresh ones.

#include "plan/watched_stats.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"
#include "support/test_manifest.h"
#include "watch/watch_client.h"
#include "watch/watch_daemon.h"

namespace composer {
namespace {

class WatchedStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(getcwd(saved_cwd_, sizeof saved_cwd_));
    ASSERT_EQ(0, chdir(scratch_.path().c_str()));
    ASSERT_EQ(0, mkdir("src", 0755));
    ASSERT_EQ(0, mkdir("dir", 0755));
    WriteBytes("a.c", "a");
    WriteBytes("src/b.c", "b");
    bool running = false;
    std::string err;
    ASSERT_TRUE(daemon_.Start(&running, &err)) << err;
    server_ = std::thread([this] { daemon_.Serve(); });
    ParseWithCatRule(&graph_, &fs_,
                     "build out/a.o: cat a.c\n"
                     "build out/b.o: cat src/b.c\n"
                     "build all: phony out/a.o out/b.o dir\n");
    for (const char* path : {"a.c", "src/b.c", "out/a.o", "out/b.o", "dir"})
      nodes_.push_back(graph_.LookupNode(path));
  }
  void TearDown() override {
    StopWatcher(&server_);
    ASSERT_EQ(0, chdir(saved_cwd_));
  }
  static void StopWatcher(std::thread* server) {
    if (!server->joinable()) return;
    watch::Request stop;
    stop.kind = watch::Request::Kind::kStop;
    watch::Reply reply;
    std::string err;
    watch::AskWatcher(stop, &reply, false, 5000, &err);
    server->join();
  }

  // One build's stats; *reused gets how many came from the snapshot.
  std::vector<FileStat> Build(size_t* reused) {
    WatchedStats watched(&fs_, ".composer_stats", false);
    std::vector<FileStat> stats(nodes_.size());
    std::vector<int> calls(nodes_.size());
    watched.Stat(graph_, nodes_, 1, [&](NodeId node, const FileStat& st) {
      const size_t i = std::find(nodes_.begin(), nodes_.end(), node) - nodes_.begin();
      EXPECT_LT(i, nodes_.size());
      if (i >= nodes_.size()) return;
      stats[i] = st;
      ++calls[i];
    });
    for (int count : calls) EXPECT_EQ(1, count);
    *reused = watched.reused();
    EXPECT_EQ(nodes_.size(), watched.reused() + watched.stated());
    // Whatever came from the snapshot must be what stat says now.
    for (size_t i = 0; i < nodes_.size(); ++i) {
      std::string err;
      const FileStat now = fs_.Stat(std::string(graph_.Path(nodes_[i])), &err);
      EXPECT_EQ(now.kind, stats[i].kind) << graph_.Path(nodes_[i]);
      EXPECT_EQ(now.mtime, stats[i].mtime) << graph_.Path(nodes_[i]);
      EXPECT_EQ(now.size, stats[i].size) << graph_.Path(nodes_[i]);
      EXPECT_EQ(now.inode, stats[i].inode) << graph_.Path(nodes_[i]);
    }
    return stats;
  }

  ScratchDir scratch_{"watched-stats"};
  char saved_cwd_[PATH_MAX];
  watch::Daemon daemon_{watch::DaemonOptions{}};
  std::thread server_;
  RealFileSystem fs_;
  Graph graph_;
  std::vector<NodeId> nodes_;
};

TEST_F(WatchedStatsTest, ReusesWhatDidNotChange) {
  size_t reused;
  Build(&reused);
  EXPECT_EQ(0u, reused);
  // Everything but the directory node, which the watcher began to follow
  // itself only during the first build.
  Build(&reused);
  EXPECT_EQ(4u, reused);
  Build(&reused);
  EXPECT_EQ(5u, reused);
}

TEST_F(WatchedStatsTest, DirectoryNodeFollowsItsEntries) {
  size_t reused;
  Build(&reused);
  Build(&reused);
  Build(&reused);
  ASSERT_EQ(5u, reused);
  WriteBytes("dir/new", "n");  // moves dir's mtime
  Build(&reused);
  EXPECT_EQ(4u, reused);
  ASSERT_EQ(0, unlink("dir/new"));
  Build(&reused);
  EXPECT_EQ(4u, reused);
  ASSERT_EQ(0, utimensat(AT_FDCWD, "dir", nullptr, 0));  // touched itself
  Build(&reused);
  EXPECT_EQ(4u, reused);
  Build(&reused);
  EXPECT_EQ(5u, reused);
}

TEST_F(WatchedStatsTest, RestatsEditsAndNewFiles) {
  size_t reused;
  Build(&reused);
  Build(&reused);
  WriteBytes("src/b.c", "bigger b");
  Build(&reused);
  EXPECT_EQ(4u, reused);
  ASSERT_EQ(0, mkdir("out", 0755));
  WriteBytes("out/a.o", "a");
  std::vector<FileStat> stats = Build(&reused);
  EXPECT_EQ(FileStat::kFile, stats[2].kind);
  EXPECT_EQ(3u, reused);  // a.c, src/b.c and dir
  Build(&reused);
  EXPECT_EQ(5u, reused);
}

TEST_F(WatchedStatsTest, RemovedDirectoryRestatsItsFiles) {
  size_t reused;
  Build(&reused);
  Build(&reused);
  ASSERT_EQ(0, system("rm -rf src"));
  std::vector<FileStat> stats = Build(&reused);
  EXPECT_EQ(FileStat::kMissing, stats[1].kind);
  ASSERT_EQ(0, mkdir("src", 0755));
  WriteBytes("src/b.c", "b again");
  stats = Build(&reused);
  EXPECT_EQ(FileStat::kFile, stats[1].kind);
  EXPECT_EQ(7u, stats[1].size);
}

TEST_F(WatchedStatsTest, DamagedSnapshotStatsEverything) {
  size_t reused;
  Build(&reused);
  Build(&reused);
  std::string data = ReadBytes(".composer_stats");
  ASSERT_GT(data.size(), 40u);
  data[30] ^= 1;
  WriteBytes(".composer_stats", data);
  Build(&reused);
  EXPECT_EQ(0u, reused);
  Build(&reused);
  EXPECT_EQ(5u, reused);
}

TEST_F(WatchedStatsTest, WithoutAWatcherStatsEverythingAndKeepsNoSnapshot) {
  size_t reused;
  Build(&reused);
  Build(&reused);
  StopWatcher(&server_);
  WriteBytes("a.c", "edited while nobody watched");
  Build(&reused);
  EXPECT_EQ(0u, reused);
  // A new watcher does not know the old token.
  bool running = false;
  std::string err;
  watch::Daemon next{watch::DaemonOptions{}};
  ASSERT_TRUE(next.Start(&running, &err)) << err;
  std::thread server([&] { next.Serve(); });
  Build(&reused);
  EXPECT_EQ(0u, reused);
  Build(&reused);
  EXPECT_EQ(4u, reused);
  StopWatcher(&server);
}

}  // namespace
}  // namespace composer
