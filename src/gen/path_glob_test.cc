#include "gen/path_glob.h"

#include <gtest/gtest.h>

namespace composer {
namespace {

TEST(PathGlobTest, Segments) {
  EXPECT_TRUE(GlobMatch("packages/*", "packages/a"));
  EXPECT_FALSE(GlobMatch("packages/*", "packages/a/b"));
  EXPECT_FALSE(GlobMatch("packages/*", "packages"));
  EXPECT_TRUE(GlobMatch("./packages/a/", "packages/a"));
  EXPECT_TRUE(GlobMatch("src/*.ts", "src/index.ts"));
  EXPECT_FALSE(GlobMatch("src/*.ts", "src/index.js"));
  EXPECT_TRUE(GlobMatch("p?ckages/[ab]", "packages/b"));
  EXPECT_FALSE(GlobMatch("p?ckages/[ab]", "packages/c"));
}

TEST(PathGlobTest, DoubleStar) {
  EXPECT_TRUE(GlobMatch("apps/**", "apps"));
  EXPECT_TRUE(GlobMatch("apps/**", "apps/a/b/c"));
  EXPECT_TRUE(GlobMatch("**/*.test.js", "test/x.test.js"));
  EXPECT_TRUE(GlobMatch("**/*.test.js", "x.test.js"));
  EXPECT_TRUE(GlobMatch("src/**/*.ts", "src/a/b/c.ts"));
  EXPECT_TRUE(GlobMatch("src/**/*.ts", "src/c.ts"));
  EXPECT_FALSE(GlobMatch("src/**/*.ts", "lib/c.ts"));
}

TEST(PathGlobTest, Normalize) {
  EXPECT_EQ("a/b", NormalizeGlob("./a//b/"));
  EXPECT_EQ("", NormalizeGlob("./"));
}

}  // namespace
}  // namespace composer
