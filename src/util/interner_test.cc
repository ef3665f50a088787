// Tests for the string interner and the arena behind it.

#include "util/interner.h"

#include <string>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

#include "util/arena.h"
#include "util/hash.h"

namespace composer {
namespace {

TEST(ArenaTest, CopiesAreEqualAndIndependent) {
  Arena arena;
  std::string source = "hello";
  std::string_view copy = arena.Copy(source);
  source[0] = 'j';
  EXPECT_EQ("hello", copy);
  EXPECT_NE(static_cast<const void*>(source.data()),
            static_cast<const void*>(copy.data()));
  EXPECT_EQ(5u, arena.used());
}

TEST(ArenaTest, EmptyStringsCostNothing) {
  Arena arena;
  EXPECT_TRUE(arena.Copy("").empty());
  EXPECT_EQ(0u, arena.used());
}

TEST(ArenaTest, ViewsStayValidAcrossManyChunks) {
  Arena arena;
  std::vector<std::string_view> views;
  std::vector<std::string> expected;
  size_t total = 0;
  // Mix small strings with ones large enough to get chunks of their own,
  // well past the first chunk.
  for (int i = 0; i < 3000; ++i) {
    std::string s = "string-" + std::to_string(i);
    if (i % 500 == 0) s.append(100 * 1024, static_cast<char>('a' + i % 26));
    if (i % 7 == 0) s.append(1000, 'x');
    total += s.size();
    views.push_back(arena.Copy(s));
    expected.push_back(std::move(s));
  }
  for (size_t i = 0; i < views.size(); ++i) ASSERT_EQ(expected[i], views[i]) << i;
  EXPECT_EQ(total, arena.used());
}

TEST(ArenaTest, HugeString) {
  Arena arena;
  const std::string big(3 * 1024 * 1024, 'z');
  std::string_view small_before = arena.Copy("before");
  std::string_view copy = arena.Copy(big);
  std::string_view small_after = arena.Copy("after");
  EXPECT_EQ(big, copy);
  EXPECT_EQ("before", small_before);
  EXPECT_EQ("after", small_after);
}

TEST(ArenaTest, MovedArenaKeepsItsStrings) {
  Arena arena;
  std::string_view view = arena.Copy("kept");
  Arena moved = std::move(arena);
  EXPECT_EQ("kept", view);
  EXPECT_EQ(4u, moved.used());
}

TEST(InternerTest, SameStringSameId) {
  Interner interner;
  const uint32_t a = interner.Intern("alpha");
  const uint32_t b = interner.Intern("beta");
  EXPECT_NE(a, b);
  EXPECT_EQ(a, interner.Intern("alpha"));
  EXPECT_EQ(b, interner.Intern(std::string("be") + "ta"));
  EXPECT_EQ(2u, interner.size());
}

TEST(InternerTest, IdsAreDenseAndInOrderOfFirstSight) {
  Interner interner;
  EXPECT_EQ(0u, interner.Intern("x"));
  EXPECT_EQ(1u, interner.Intern("y"));
  EXPECT_EQ(0u, interner.Intern("x"));
  EXPECT_EQ(2u, interner.Intern("z"));
  EXPECT_EQ("x", interner.Get(0));
  EXPECT_EQ("y", interner.Get(1));
  EXPECT_EQ("z", interner.Get(2));
}

TEST(InternerTest, FindDoesNotAdd) {
  Interner interner;
  EXPECT_EQ(Interner::kNone, interner.Find("missing"));
  EXPECT_EQ(0u, interner.size());
  const uint32_t id = interner.Intern("present");
  EXPECT_EQ(id, interner.Find("present"));
  EXPECT_EQ(Interner::kNone, interner.Find("presen"));
  EXPECT_EQ(Interner::kNone, interner.Find("present2"));
  EXPECT_EQ(1u, interner.size());
}

TEST(InternerTest, EmptyStringIsAnOrdinaryKey) {
  Interner interner;
  EXPECT_EQ(Interner::kNone, interner.Find(""));
  const uint32_t empty = interner.Intern("");
  EXPECT_EQ(empty, interner.Find(""));
  EXPECT_EQ(empty, interner.Intern(""));
  EXPECT_EQ("", interner.Get(empty));
  EXPECT_NE(empty, interner.Intern("a"));
}

TEST(InternerTest, EmbeddedNulAndBinaryBytes) {
  Interner interner;
  const std::string a("a\0b", 3);
  const std::string b("a\0c", 3);
  const uint32_t ia = interner.Intern(a);
  const uint32_t ib = interner.Intern(b);
  EXPECT_NE(ia, ib);
  EXPECT_NE(ia, interner.Intern("a"));
  EXPECT_EQ(a, interner.Get(ia));
  EXPECT_EQ(3u, interner.Get(ib).size());
  EXPECT_EQ(ia, interner.Find(a));
}

TEST(InternerTest, DoesNotKeepTheCallersBuffer) {
  Interner interner;
  std::string s = "temporary";
  const uint32_t id = interner.Intern(s);
  s = "overwritten";
  EXPECT_EQ("temporary", interner.Get(id));
  EXPECT_EQ(id, interner.Find("temporary"));
  EXPECT_EQ(Interner::kNone, interner.Find("overwritten"));
}

TEST(InternerTest, ManyStringsSurviveGrowth) {
  Interner interner;
  const int kCount = 100000;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(static_cast<uint32_t>(i),
              interner.Intern("path/to/file" + std::to_string(i)));
  }
  EXPECT_EQ(static_cast<uint32_t>(kCount), interner.size());
  for (int i = 0; i < kCount; i += 37) {
    const std::string s = "path/to/file" + std::to_string(i);
    ASSERT_EQ(static_cast<uint32_t>(i), interner.Find(s));
    ASSERT_EQ(s, interner.Get(static_cast<uint32_t>(i)));
  }
  EXPECT_EQ(Interner::kNone, interner.Find("path/to/file" + std::to_string(kCount)));
}

TEST(InternerTest, ReserveKeepsExistingIds) {
  Interner interner;
  const uint32_t a = interner.Intern("a");
  const uint32_t b = interner.Intern("b");
  interner.Reserve(10000);
  EXPECT_EQ(a, interner.Find("a"));
  EXPECT_EQ(b, interner.Find("b"));
  for (int i = 0; i < 10000; ++i) interner.Intern(std::to_string(i));
  EXPECT_EQ(10002u, interner.size());
  EXPECT_EQ(a, interner.Intern("a"));
  EXPECT_EQ("b", interner.Get(b));
  // Reserving less than what is there changes nothing.
  interner.Reserve(1);
  EXPECT_EQ(b, interner.Find("b"));
}

TEST(InternerTest, MemoryUsedGrows) {
  Interner interner;
  const size_t before = interner.MemoryUsed();
  EXPECT_GT(before, 0u);  // the empty table itself
  for (int i = 0; i < 1000; ++i)
    interner.Intern(std::string(20, 'a') + std::to_string(i));
  EXPECT_GE(interner.MemoryUsed(), before + 1000 * 20);
}

TEST(HashTest, IsDeterministicAndSpreadsValues) {
  EXPECT_EQ(HashString("build.ninja"), HashString(std::string("build.") + "ninja"));
  EXPECT_NE(HashString("a"), HashString("b"));
  EXPECT_NE(HashString(""), HashString(std::string("\0", 1)));
  std::unordered_set<uint64_t> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(HashString(std::to_string(i)));
  EXPECT_EQ(10000u, seen.size());
}

}  // namespace
}  // namespace composer
