#include "parse/depfile_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace composer {
namespace {

struct Parsed {
  bool ok = false;
  std::string err;
  std::vector<std::string> outs, ins;
};

Parsed Parse(std::string content) {
  DepfileParser parser;
  Parsed result;
  result.ok = parser.Parse(&content, &result.err);
  for (std::string_view out : parser.outs()) result.outs.emplace_back(out);
  for (std::string_view in : parser.ins()) result.ins.emplace_back(in);
  return result;
}

TEST(DepfileParserTest, GccStyle) {
  const Parsed p = Parse("out.o: a.c \\\n  include/b.h c.h\n");
  ASSERT_TRUE(p.ok) << p.err;
  EXPECT_EQ(std::vector<std::string>({"out.o"}), p.outs);
  EXPECT_EQ(std::vector<std::string>({"a.c", "include/b.h", "c.h"}), p.ins);
}

TEST(DepfileParserTest, EscapedSpaceAndDollar) {
  const Parsed p = Parse("out.o: my\\ file.h $$dollar.h\n");
  ASSERT_TRUE(p.ok) << p.err;
  EXPECT_EQ(std::vector<std::string>({"my file.h", "$dollar.h"}), p.ins);
}

TEST(DepfileParserTest, DuplicateInputsOnce) {
  const Parsed p = Parse("out.o: a.h b.h a.h\n");
  ASSERT_TRUE(p.ok) << p.err;
  EXPECT_EQ(std::vector<std::string>({"a.h", "b.h"}), p.ins);
}

// ninja #2357: what valac writes when a file has no dependencies.
TEST(DepfileParserTest, OnlyNewlinesIsEmpty) {
  for (const char* content : {"\n", "\n\n", "\r\n\r\n", " \n"}) {
    const Parsed p = Parse(content);
    EXPECT_TRUE(p.ok) << p.err;
    EXPECT_TRUE(p.outs.empty());
    EXPECT_TRUE(p.ins.empty());
  }
}

TEST(DepfileParserTest, NameWithoutColonIsAnError) {
  const Parsed p = Parse("out.o a.c\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ("expected ':' in depfile", p.err);
}

TEST(DepfileParserTest, InputThatIsAlsoATargetWithInputs) {
  const Parsed p = Parse("a: b\nb: c\nc: a\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ("inputs may not also have inputs", p.err);
}

}  // namespace
}  // namespace composer
