// Tests for CanonicalizePath. The expected results are Ninja 1.11.1's (POSIX
// build): see its util_test.cc for the reference cases.

#include "util/canon_path.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace composer {
namespace {

std::string Canon(std::string path) {
  CanonicalizePath(&path);
  return path;
}

TEST(CanonPathTest, EmptyStaysEmpty) {
  EXPECT_EQ("", Canon(""));
}

TEST(CanonPathTest, PlainNamesAreUntouched) {
  EXPECT_EQ("foo.h", Canon("foo.h"));
  EXPECT_EQ("a/b/c.cc", Canon("a/b/c.cc"));
  EXPECT_EQ("foo/.hidden_bar", Canon("foo/.hidden_bar"));
  EXPECT_EQ("x/...", Canon("x/..."));
  EXPECT_EQ("..foo/a.", Canon("..foo/a."));
}

TEST(CanonPathTest, DotComponentsVanish) {
  EXPECT_EQ("foo.h", Canon("./foo.h"));
  EXPECT_EQ("foo/bar.h", Canon("./foo/./bar.h"));
  EXPECT_EQ("foo", Canon("foo/./."));
  EXPECT_EQ(".", Canon("."));
  EXPECT_EQ(".", Canon("./."));
  EXPECT_EQ(".", Canon("./"));
}

TEST(CanonPathTest, DotDotBacksUpOverAComponent) {
  EXPECT_EQ("x/bar.h", Canon("./x/foo/../bar.h"));
  EXPECT_EQ("bar.h", Canon("./x/foo/../../bar.h"));
  EXPECT_EQ("foo", Canon("foo/bar/.."));
  EXPECT_EQ(".", Canon("foo/.."));
  EXPECT_EQ("bar", Canon("foo//.//..///bar"));
}

TEST(CanonPathTest, LeadingDotDotIsKept) {
  EXPECT_EQ("../bar.h", Canon("./x/../foo/../../bar.h"));
  EXPECT_EQ("../../foo/bar.h", Canon("../../foo/bar.h"));
  EXPECT_EQ("../foo/bar.h", Canon("test/../../foo/bar.h"));
  EXPECT_EQ("..", Canon(".."));
  EXPECT_EQ("..", Canon("../"));
  EXPECT_EQ("..", Canon("foo/../.."));
  EXPECT_EQ("../..", Canon("../.."));
  EXPECT_EQ("..", Canon("../a/.."));
}

TEST(CanonPathTest, RepeatedAndTrailingSlashesCollapse) {
  EXPECT_EQ("foo/bar", Canon("foo//bar"));
  EXPECT_EQ("foo", Canon("foo/"));
  EXPECT_EQ("foo", Canon("foo//"));
  EXPECT_EQ("foo/bar", Canon("foo///bar///"));
}

TEST(CanonPathTest, AbsolutePaths) {
  EXPECT_EQ("/usr/include/stdio.h", Canon("/usr/include/stdio.h"));
  EXPECT_EQ("/foo", Canon("/foo"));
  EXPECT_EQ("/foo", Canon("//foo"));
  EXPECT_EQ("/foo", Canon("/foo/"));
  EXPECT_EQ("/..", Canon("/.."));
  EXPECT_EQ("/../x", Canon("/../x"));
}

TEST(CanonPathTest, BareRootBecomesEmpty) {
  // Ninja's quirk: the root itself canonicalises to the empty string.
  EXPECT_EQ("", Canon("/"));
  EXPECT_EQ("", Canon("//"));
  EXPECT_EQ("", Canon("/."));
  EXPECT_EQ("", Canon("/foo/.."));
}

TEST(CanonPathTest, PointerFormOnlyLooksAtTheGivenLength) {
  std::string buffer = "foo/. bar/.";
  size_t len = 5;  // "foo/."
  CanonicalizePath(buffer.data(), &len);
  EXPECT_EQ(3u, len);
  EXPECT_EQ("foo", buffer.substr(0, len));
  // Nothing after the given length is touched.
  EXPECT_EQ(" bar/.", buffer.substr(5));

  buffer = "foo/../file bar/.";
  len = 11;  // "foo/../file"
  CanonicalizePath(buffer.data(), &len);
  EXPECT_EQ(4u, len);
  EXPECT_EQ("file", buffer.substr(0, len));
  EXPECT_EQ(" bar/.", buffer.substr(11));
}

TEST(CanonPathTest, PointerFormWithZeroLengthDoesNothing) {
  char buffer[] = "x";
  size_t len = 0;
  CanonicalizePath(buffer, &len);
  EXPECT_EQ(0u, len);
  EXPECT_EQ('x', buffer[0]);
}

TEST(CanonPathTest, ManyComponents) {
  // Ninja stops at 60 components; Composer has no limit. Enough components
  // to outgrow the inline array more than once.
  std::string path, expected;
  for (int i = 0; i < 1000; ++i) {
    path += "d" + std::to_string(i) + "/./";
    if (i) expected += "/";
    expected += "d" + std::to_string(i);
  }
  path += "x/..";
  EXPECT_EQ(expected, Canon(path));

  // Back up over all of them, and one more.
  std::string up = path;
  for (int i = 0; i < 1001; ++i) up += "/..";
  EXPECT_EQ("..", Canon(up));

  // Back up from deep inside, after the component list has grown.
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "a/";
  for (int i = 0; i < 299; ++i) deep += "../";
  deep += "b";
  EXPECT_EQ("a/b", Canon(deep));
}

// A straightforward model of the same rules, to compare against.
std::string Model(const std::string& path) {
  const bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string> parts;
  size_t ups = 0;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    const std::string part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
      // nothing
    } else if (part == "..") {
      if (!parts.empty())
        parts.pop_back();
      else
        ++ups;
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string result = absolute ? "/" : "";
  bool first = true;
  for (size_t k = 0; k < ups; ++k) {
    result += first ? ".." : "/..";
    first = false;
  }
  for (const std::string& part : parts) {
    if (!first) result += "/";
    result += part;
    first = false;
  }
  if (first) return absolute ? "" : ".";
  return result;
}

TEST(CanonPathTest, AgreesWithASimpleModelOnRandomPaths) {
  const char* pieces[] = {"a", "b", ".", "..", "/", "//", "...", ".x", "x.", "cc"};
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 5000; ++round) {
    std::string path;
    const int count = 1 + static_cast<int>(next() % 12);
    for (int i = 0; i < count; ++i) path += pieces[next() % 10];
    if (path.empty()) continue;
    const std::string canonical = Canon(path);
    ASSERT_EQ(Model(path), canonical) << "input: " << path;
    ASSERT_LE(canonical.size(), path.size()) << "input: " << path;
    // Canonicalising again changes nothing (except the empty root, which
    // stays empty).
    ASSERT_EQ(canonical, Canon(canonical)) << "input: " << path;
  }
}

}  // namespace
}  // namespace composer
