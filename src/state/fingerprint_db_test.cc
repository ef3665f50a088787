// Tests for .composer_db: records survive a reload, a torn tail is cut off,
// and the build-log marker says whether the records may be trusted.

#include "state/fingerprint_db.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace composer {
namespace {

class FingerprintDbTest : public ::testing::Test {
 protected:
  static Fingerprint Print(uint64_t seed) {
    Fingerprint print;
    print.size = seed;
    print.mtime = static_cast<int64_t>(seed * 10);
    print.inode = seed + 7;
    print.hash.low = seed * 31;
    print.hash.high = seed * 37;
    print.content_mtime = static_cast<int64_t>(seed * 5);
    return print;
  }

  ScratchDir dir_{"fpdb"};
  std::string path_ = dir_.Path(".composer_db");
  Graph graph_;
};

TEST_F(FingerprintDbTest, RecordsSurviveAReload) {
  const NodeId a = graph_.GetNode("a.c"), b = graph_.GetNode("dir/b.h");
  {
    FingerprintDb db;
    std::string err;
    EXPECT_EQ(LoadStatus::kNotFound, db.Load(path_, &graph_, &err));
    ASSERT_TRUE(db.OpenForWrite(path_, graph_, &err)) << err;
    ASSERT_TRUE(db.Record(graph_, a, Print(1), &err)) << err;
    ASSERT_TRUE(db.Record(graph_, b, Print(2), &err)) << err;
    ASSERT_TRUE(db.Record(graph_, a, Print(3), &err)) << err;  // supersedes
  }
  Graph other;
  FingerprintDb db;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, db.Load(path_, &other, &err));
  EXPECT_EQ("", err);
  const Fingerprint* pa = db.Find(other.LookupNode("a.c"));
  const Fingerprint* pb = db.Find(other.LookupNode("dir/b.h"));
  ASSERT_TRUE(pa && pb);
  EXPECT_EQ(3u, pa->size);
  EXPECT_EQ(15, pa->content_mtime);
  EXPECT_TRUE(pa->hash == Print(3).hash);
  EXPECT_EQ(2u, pb->size);
  EXPECT_EQ(9u, pb->inode);
}

TEST_F(FingerprintDbTest, TornTailIsCutAndTheRestKept) {
  const NodeId a = graph_.GetNode("a.c"), b = graph_.GetNode("b.c");
  {
    FingerprintDb db;
    std::string err;
    db.Load(path_, &graph_, &err);
    ASSERT_TRUE(db.OpenForWrite(path_, graph_, &err));
    ASSERT_TRUE(db.Record(graph_, a, Print(1), &err));
    ASSERT_TRUE(db.Record(graph_, b, Print(2), &err));
  }
  // Cut the last record in half, as a kill in the middle of a write would.
  std::ifstream in(path_, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_EQ(0, truncate(path_.c_str(), static_cast<off_t>(bytes.size() - 20)));

  Graph other;
  FingerprintDb db;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, db.Load(path_, &other, &err));
  EXPECT_NE(std::string::npos, err.find("premature end of file")) << err;
  EXPECT_TRUE(db.Find(other.LookupNode("a.c")));
  EXPECT_FALSE(db.Find(other.LookupNode("b.c")));
  // The file was cut back to whole records: a second load is clean.
  Graph third;
  FingerprintDb again;
  err.clear();
  ASSERT_EQ(LoadStatus::kSuccess, again.Load(path_, &third, &err));
  EXPECT_EQ("", err);
}

TEST_F(FingerprintDbTest, LogMarkerMatchesOnlyTheSameLog) {
  const LogMarker marker{120, 123456789, 42};
  {
    FingerprintDb db;
    std::string err;
    db.Load(path_, &graph_, &err);
    EXPECT_FALSE(db.MarkerMatches(marker));  // nothing recorded yet
    ASSERT_TRUE(db.OpenForWrite(path_, graph_, &err));
    ASSERT_TRUE(db.Record(graph_, graph_.GetNode("a"), Print(1), &err));
    ASSERT_TRUE(db.RecordLogMarker(LogMarker{1, 2, 3}, &err));
    ASSERT_TRUE(db.RecordLogMarker(marker, &err));  // the last one counts
  }
  FingerprintDb db;
  std::string err;
  ASSERT_EQ(LoadStatus::kSuccess, db.Load(path_, &graph_, &err));
  EXPECT_TRUE(db.MarkerMatches(marker));
  EXPECT_FALSE(db.MarkerMatches(LogMarker{1, 2, 3}));
  EXPECT_FALSE(db.MarkerMatches(LogMarker{121, 123456789, 42}));  // log grew
  EXPECT_FALSE(db.MarkerMatches(LogMarker{120, 123456790, 42}));  // rewritten
  EXPECT_FALSE(db.MarkerMatches(LogMarker{120, 123456789, 43}));  // replaced
}

TEST_F(FingerprintDbTest, SameMarkerAgainWritesNothing) {
  const LogMarker marker{120, 123456789, 42};
  std::string err;
  {
    FingerprintDb db;
    db.Load(path_, &graph_, &err);
    ASSERT_TRUE(db.OpenForWrite(path_, graph_, &err));
    ASSERT_TRUE(db.RecordLogMarker(marker, &err));
  }
  const std::string before = ReadBytes(path_);
  {
    // A no-op build: loads the marker, ends with the same one.
    FingerprintDb db;
    ASSERT_EQ(LoadStatus::kSuccess, db.Load(path_, &graph_, &err));
    ASSERT_TRUE(db.OpenForWrite(path_, graph_, &err));
    ASSERT_TRUE(db.RecordLogMarker(marker, &err));
  }
  EXPECT_EQ(before, ReadBytes(path_));
}

TEST_F(FingerprintDbTest, UnfinishedCommandsSurviveReloadAndRecompaction) {
  const NodeId a = graph_.GetNode("a.o"), b = graph_.GetNode("b.o");
  const NodeId c = graph_.GetNode("c.o");
  {
    FingerprintDb db;
    std::string err;
    db.Load(path_, &graph_, &err);
    ASSERT_TRUE(db.OpenForWrite(path_, graph_, &err));
    ASSERT_TRUE(db.CommandStarted(graph_, a, &err));
    ASSERT_TRUE(db.CommandStarted(graph_, b, &err));
    ASSERT_TRUE(db.CommandFinished(graph_, b, &err));
    ASSERT_TRUE(db.CommandFinished(graph_, c, &err));  // never started: no-op
    EXPECT_TRUE(db.Unfinished(a));
    EXPECT_FALSE(db.Unfinished(b));
    EXPECT_FALSE(db.Unfinished(c));
    // Enough superseded records to make the next open recompact.
    for (int i = 0; i < 1200; ++i) ASSERT_TRUE(db.Record(graph_, c, Print(i), &err));
  }
  for (int round = 0; round < 2; ++round) {  // the second load reads the recompacted file
    Graph other;
    FingerprintDb db;
    std::string err;
    ASSERT_EQ(LoadStatus::kSuccess, db.Load(path_, &other, &err));
    EXPECT_EQ("", err);
    EXPECT_TRUE(db.Unfinished(other.LookupNode("a.o")));
    EXPECT_FALSE(db.Unfinished(other.LookupNode("b.o")));
    EXPECT_EQ(1199u, db.Find(other.LookupNode("c.o"))->size);
    ASSERT_TRUE(db.OpenForWrite(path_, other, &err)) << err;
  }
  struct stat st;
  ASSERT_EQ(0, stat(path_.c_str(), &st));
  EXPECT_LT(st.st_size, 1000);  // recompacted
}

}  // namespace
}  // namespace composer
