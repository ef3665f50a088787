// Tests for EditDistance and SpellcheckString (Ninja's edit_distance.cc and
// SpellcheckString in util.cc give the expected values).

#include "util/spellcheck.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace composer {
namespace {

TEST(EditDistanceTest, EmptyStrings) {
  EXPECT_EQ(5, EditDistance("", "ninja", true, 0));
  EXPECT_EQ(5, EditDistance("ninja", "", true, 0));
  EXPECT_EQ(0, EditDistance("", "", true, 0));
  EXPECT_EQ(3, EditDistance("", "abc", false, 0));
}

TEST(EditDistanceTest, Basics) {
  EXPECT_EQ(0, EditDistance("browser_tests", "browser_tests", true, 0));
  EXPECT_EQ(1, EditDistance("browser_test", "browser_tests", true, 0));
  EXPECT_EQ(1, EditDistance("browser_tests", "browser_test", true, 0));
  EXPECT_EQ(3, EditDistance("kitten", "sitting", true, 0));
  EXPECT_EQ(2, EditDistance("ab", "ba", true, 0));
}

TEST(EditDistanceTest, ReplacementsCountOnceOrTwice) {
  EXPECT_EQ(1, EditDistance("ninja", "njnja", true, 0));
  EXPECT_EQ(1, EditDistance("njnja", "ninja", true, 0));
  // Without replacements a changed letter is a deletion plus an insertion.
  EXPECT_EQ(2, EditDistance("ninja", "njnja", false, 0));
  EXPECT_EQ(2, EditDistance("njnja", "ninja", false, 0));
  EXPECT_EQ(5, EditDistance("kitten", "sitting", false, 0));
}

TEST(EditDistanceTest, IsSymmetric) {
  const char* words[] = {"",    "a",   "ab", "abc", "build.ninja", "bulid.ninja",
                         "xyz", "aaaa"};
  for (const char* a : words) {
    for (const char* b : words) {
      for (bool replace : {false, true}) {
        EXPECT_EQ(EditDistance(a, b, replace, 0), EditDistance(b, a, replace, 0))
            << a << " / " << b;
      }
    }
  }
}

TEST(EditDistanceTest, CutOffReturnsMaxPlusOne) {
  for (int max_distance = 1; max_distance < 7; ++max_distance) {
    EXPECT_EQ(max_distance + 1,
              EditDistance("abcdefghijklmnop", "ponmlkjihgfedcba", true, max_distance));
  }
  // Under the cut-off the exact distance comes back.
  EXPECT_EQ(1, EditDistance("ninja", "njnja", true, 3));
  EXPECT_EQ(3, EditDistance("kitten", "sitting", true, 3));
  // Zero means no cut-off at all.
  EXPECT_EQ(16, EditDistance("abcdefghijklmnop", "", true, 0));
}

TEST(SpellcheckTest, FindsTheClosestWord) {
  const std::vector<const char*> words = {"build", "rule", "pool", "default"};
  EXPECT_STREQ("build", SpellcheckString("biuld", words));
  EXPECT_STREQ("rule", SpellcheckString("rul", words));
  EXPECT_STREQ("default", SpellcheckString("defualt", words));
}

TEST(SpellcheckTest, NothingWithinThreeEdits) {
  EXPECT_EQ(nullptr, SpellcheckString("completely", {"build", "rule"}));
  EXPECT_EQ(nullptr, SpellcheckString("abc", std::vector<const char*>{}));
  // Exactly three edits still counts; four does not.
  EXPECT_STREQ("abcdef", SpellcheckString("abc", {"abcdef"}));
  EXPECT_EQ(nullptr, SpellcheckString("ab", {"abcdef"}));
}

TEST(SpellcheckTest, TiesGoToTheFirstWord) {
  EXPECT_STREQ("cat", SpellcheckString("cot", {"cat", "cut"}));
  EXPECT_STREQ("cut", SpellcheckString("cot", {"cut", "cat"}));
  // A closer word later in the list wins.
  EXPECT_STREQ("cot", SpellcheckString("cot", {"cat", "cot"}));
}

TEST(SpellcheckTest, InitializerListAndVectorAgree) {
  const std::vector<const char*> words = {"commands", "targets", "query", "graph"};
  for (const char* text : {"comands", "target", "qurey", "grpah", "nothing-like"}) {
    const char* from_vector = SpellcheckString(text, words);
    const char* from_list =
        SpellcheckString(text, {"commands", "targets", "query", "graph"});
    if (from_vector == nullptr)
      EXPECT_EQ(nullptr, from_list) << text;
    else
      EXPECT_STREQ(from_vector, from_list) << text;
  }
  EXPECT_STREQ("query", SpellcheckString("qurey", words));
}

}  // namespace
}  // namespace composer
