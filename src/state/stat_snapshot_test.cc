// Tests for .composer_stats: a round trip keeps every field; a damaged,
// truncated or other-version file loads as empty (the build then stats
// everything); a missing one is no error.

#include "state/stat_snapshot.h"

#include <gtest/gtest.h>

#include "support/virtual_file_system.h"

namespace composer {
namespace {

StatSnapshot Sample() {
  StatSnapshot snapshot;
  snapshot.instance = 0x1234;
  snapshot.seq = 99;
  FileStat file;
  file.kind = FileStat::kFile;
  file.mtime = 1700000000123456789;
  file.size = 42;
  file.inode = 7;
  snapshot.Append(StatSnapshot::Entry::Of(3, file, HashBytes128("src/a.c")));
  snapshot.Append(StatSnapshot::Entry::Of(5, FileStat(), HashBytes128("out/a.o")));
  return snapshot;
}

TEST(StatSnapshotTest, RoundTrip) {
  VirtualFileSystem fs;
  std::string err;
  ASSERT_TRUE(SaveStatSnapshot(&fs, ".composer_stats", Sample(), &err)) << err;
  StatSnapshot loaded;
  ASSERT_TRUE(LoadStatSnapshot(&fs, ".composer_stats", &loaded, &err)) << err;
  EXPECT_EQ(0x1234u, loaded.instance);
  EXPECT_EQ(99u, loaded.seq);
  ASSERT_EQ(2u, loaded.size());
  EXPECT_EQ(3u, loaded.entry(0).node_hint);
  EXPECT_EQ(FileStat::kFile, loaded.entry(0).stat().kind);
  EXPECT_EQ(1700000000123456789, loaded.entry(0).stat().mtime);
  EXPECT_EQ(42u, loaded.entry(0).stat().size);
  EXPECT_EQ(7u, loaded.entry(0).stat().inode);
  EXPECT_EQ(HashBytes128("src/a.c"), loaded.entry(0).path_hash);
  EXPECT_EQ(FileStat::kMissing, loaded.entry(1).stat().kind);
}

TEST(StatSnapshotTest, DamageLoadsAsEmpty) {
  VirtualFileSystem fs;
  std::string err;
  ASSERT_TRUE(SaveStatSnapshot(&fs, "s", Sample(), &err)) << err;
  std::string data;
  ASSERT_EQ(FileSystem::ReadStatus::kOkay, fs.ReadFile("s", &data, &err));
  for (size_t at : {size_t{0}, size_t{12}, size_t{40}, data.size() - 1}) {
    std::string damaged = data;
    damaged[at] ^= 0x10;
    fs.Create("s", damaged);
    StatSnapshot loaded;
    ASSERT_TRUE(LoadStatSnapshot(&fs, "s", &loaded, &err));
    EXPECT_TRUE(loaded.size() == 0) << at;
    EXPECT_EQ(0u, loaded.instance) << at;
  }
  fs.Create("s", data.substr(0, data.size() - 10));
  StatSnapshot loaded;
  ASSERT_TRUE(LoadStatSnapshot(&fs, "s", &loaded, &err));
  EXPECT_TRUE(loaded.size() == 0);
}

TEST(StatSnapshotTest, MissingFileIsEmpty) {
  VirtualFileSystem fs;
  StatSnapshot loaded;
  std::string err;
  EXPECT_TRUE(LoadStatSnapshot(&fs, "nothing", &loaded, &err));
  EXPECT_EQ("", err);
  EXPECT_TRUE(loaded.size() == 0);
}

}  // namespace
}  // namespace composer
