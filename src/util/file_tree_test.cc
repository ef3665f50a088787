#include "util/file_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace composer {
namespace {

TEST(FileTreeTest, ListsParentsFirstAndDoesNotFollowLinks) {
  ScratchDir dir("file-tree");
  const std::string root = dir.Path("out");
  ASSERT_EQ(0, mkdir(root.c_str(), 0755));
  ASSERT_EQ(0, mkdir((root + "/b").c_str(), 0700));
  WriteBytes(root + "/b/x", "xx");
  WriteBytes(root + "/a", "a");
  ASSERT_EQ(0, symlink("/", (root + "/c").c_str()));
  std::vector<TreeEntry> entries;
  std::string err;
  ASSERT_TRUE(ListTree(root, &entries, &err)) << err;
  ASSERT_EQ(5u, entries.size());
  EXPECT_EQ(root, entries[0].path);
  EXPECT_EQ(TreeEntry::Kind::kDirectory, entries[0].kind);
  EXPECT_EQ(root + "/a", entries[1].path);
  EXPECT_EQ(1u, entries[1].size);
  EXPECT_EQ(root + "/b", entries[2].path);
  EXPECT_EQ(0700u, entries[2].mode);
  EXPECT_EQ(root + "/b/x", entries[3].path);
  EXPECT_EQ(TreeEntry::Kind::kSymlink, entries[4].kind);
  EXPECT_EQ("/", entries[4].link_target);

  // Missing: nothing, no error. A file: an error.
  entries.clear();
  EXPECT_TRUE(ListTree(dir.Path("missing"), &entries, &err));
  EXPECT_TRUE(entries.empty());
  EXPECT_FALSE(ListTree(root + "/a", &entries, &err));
  EXPECT_EQ(root + "/a: not a directory", err);
}

TEST(FileTreeTest, RemoveTreeRemovesEverythingButLinkTargets) {
  ScratchDir dir("file-tree");
  const std::string root = dir.Path("out");
  const std::string kept = dir.Path("kept");
  ASSERT_EQ(0, mkdir(kept.c_str(), 0755));
  WriteBytes(kept + "/f", "f");
  ASSERT_EQ(0, mkdir(root.c_str(), 0755));
  ASSERT_EQ(0, mkdir((root + "/d").c_str(), 0755));
  WriteBytes(root + "/d/f", "f");
  ASSERT_EQ(0, symlink(kept.c_str(), (root + "/link").c_str()));
  std::string err;
  ASSERT_TRUE(RemoveTree(root, &err)) << err;
  struct stat st;
  EXPECT_NE(0, lstat(root.c_str(), &st));
  EXPECT_EQ("f", ReadBytes(kept + "/f"));
  EXPECT_TRUE(RemoveTree(root, &err)) << "a missing path is no error";
  ASSERT_EQ(0, mkdir(root.c_str(), 0755));
  WriteBytes(root + "/f", "f");
  ASSERT_TRUE(EmptyTree(root, &err)) << err;
  std::vector<TreeEntry> entries;
  ASSERT_TRUE(ListTree(root, &entries, &err));
  EXPECT_EQ(1u, entries.size()) << "the directory stays, empty";
  WriteBytes(dir.Path("file"), "x");
  EXPECT_TRUE(RemoveTree(dir.Path("file"), &err));
  EXPECT_NE(0, lstat(dir.Path("file").c_str(), &st));
}

}  // namespace
}  // namespace composer
