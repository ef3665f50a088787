#include "gen/path_glob.h"

#include <gtest/gtest.h>

namespace composer {
namespace {

TEST(PathGlobTest, Match) {
  struct Case {
    const char* pattern;
    const char* path;
    bool matches;
  };
  const Case cases[] = {
      // One segment per '/', fnmatch within it.
      {"packages/*", "packages/a", true},
      {"packages/*", "packages/a/b", false},
      {"packages/*", "packages", false},
      {"./packages/a/", "packages/a", true},
      {"src/*.ts", "src/index.ts", true},
      {"src/*.ts", "src/index.js", false},
      {"p?ckages/[ab]", "packages/b", true},
      {"p?ckages/[ab]", "packages/c", false},
      // '**': any number of segments, none included.
      {"apps/**", "apps", true},
      {"apps/**", "apps/a/b/c", true},
      {"**/*.test.js", "test/x.test.js", true},
      {"**/*.test.js", "x.test.js", true},
      {"src/**/*.ts", "src/a/b/c.ts", true},
      {"src/**/*.ts", "src/c.ts", true},
      {"src/**/*.ts", "lib/c.ts", false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(c.matches, GlobMatch(c.pattern, c.path)) << c.pattern << " vs " << c.path;
}

TEST(PathGlobTest, Normalize) {
  EXPECT_EQ("a/b", NormalizeGlob("./a//b/"));
  EXPECT_EQ("", NormalizeGlob("./"));
}

}  // namespace
}  // namespace composer
