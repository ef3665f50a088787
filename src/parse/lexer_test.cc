// Tests for the manifest lexer: its tokens in each part of a line, the pieces
// of paths and values, and its error messages with their caret context.
// Expected results follow Ninja 1.11.1's lexer (see its lexer_test.cc and
// manifest_parser_test.cc for the facts reproduced here).

#include "parse/lexer.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "manifest_grammar.h"
#include "util/log.h"

namespace composer {
namespace {

const char* Kind(int kind) {
  switch (kind) {
    case 0:
      return "EOF";
    case TK_BUILD:
      return "BUILD";
    case TK_RULE:
      return "RULE";
    case TK_POOL:
      return "POOL";
    case TK_DEFAULT:
      return "DEFAULT";
    case TK_INCLUDE:
      return "INCLUDE";
    case TK_SUBNINJA:
      return "SUBNINJA";
    case TK_IDENT:
      return "IDENT";
    case TK_EQUALS:
      return "EQUALS";
    case TK_VALUE:
      return "VALUE";
    case TK_COLON:
      return "COLON";
    case TK_PIPE:
      return "PIPE";
    case TK_PIPE2:
      return "PIPE2";
    case TK_PIPEAT:
      return "PIPEAT";
    case TK_PATH:
      return "PATH";
    case TK_NEWLINE:
      return "NEWLINE";
    case TK_INDENT:
      return "INDENT";
    case TK_ERROR:
      return "ERROR";
  }
  return "?";
}

// A path's or value's pieces as Ninja's EvalString::Serialize writes them:
// "[text]" and "[$name]", adjacent text merged.
std::string Serialize(const Lexer& lexer, const Token& token) {
  std::string result;
  std::string text;
  bool have_text = false;
  for (uint32_t i = token.piece_begin; i < token.piece_begin + token.piece_count; ++i) {
    const LexPiece& piece = lexer.pieces()[i];
    if (piece.is_var) {
      if (have_text) result += "[" + text + "]";
      text.clear();
      have_text = false;
      result += "[$" + std::string(piece.text()) + "]";
    } else {
      text += piece.text();
      have_text = true;
    }
  }
  if (have_text) result += "[" + text + "]";
  return result;
}

// Every token of `input` up to the end or an error, one string each:
// "IDENT(name)", "PATH[a][$b]", "NEWLINE", ..., and "error: <message>" when
// Next fails.
// The lexer (and a copy of its input) stay alive until the next call, for
// tests that ask it more afterwards.
std::vector<std::string> Lex(const std::string& input, Lexer** keep = nullptr) {
  static std::unique_ptr<std::string> last_input;
  static std::unique_ptr<Lexer> last;
  last.reset();
  last_input = std::make_unique<std::string>(input);
  last = std::make_unique<Lexer>("input", *last_input);
  if (keep) *keep = last.get();
  Lexer& lexer = *last;
  std::vector<std::string> tokens;
  Token token{};
  std::string err;
  for (int guard = 0; guard < 10000; ++guard) {
    if (!lexer.Next(&token, &err)) {
      tokens.push_back("error: " + err);
      break;
    }
    std::string s = Kind(token.kind);
    if (token.kind == TK_IDENT) s += "(" + std::string(token.text()) + ")";
    if (token.kind == TK_PATH || token.kind == TK_VALUE) s += Serialize(lexer, token);
    tokens.push_back(s);
    if (token.kind == 0 || token.kind == TK_ERROR) break;
  }
  return tokens;
}

using Tokens = std::vector<std::string>;

class LexerTest : public testing::Test {
 protected:
  void SetUp() override { saved_ = CurrentPersonality(); }
  void TearDown() override { CurrentPersonality() = saved_; }
  void NinjaFormat() { CurrentPersonality().ninja_compat = true; }
  void ComposerFormat() { CurrentPersonality().ninja_compat = false; }

 private:
  Personality saved_;
};

TEST_F(LexerTest, EmptyInput) {
  EXPECT_EQ(Tokens({"EOF"}), Lex(""));
  EXPECT_EQ(Tokens({"NEWLINE", "NEWLINE", "EOF"}), Lex("\n   \n"));
}

TEST_F(LexerTest, VariableValue) {
  EXPECT_EQ(
      Tokens({"IDENT(x)", "EQUALS", "VALUE[plain text ][$var][ ][$VaR][ ][$x]", "EOF"}),
      Lex("x = plain text $var $VaR ${x}\n"));
}

TEST_F(LexerTest, ValueEscapes) {
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE[ $ab c: cde]", "EOF"}),
            Lex("x = $ $$ab c$: $\ncde\n"));
}

TEST_F(LexerTest, ValueKeepsColonsPipesAndHashes) {
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE[a:b | c || d |@ e # f]", "EOF"}),
            Lex("x = a:b | c || d |@ e # f\n"));
}

TEST_F(LexerTest, EmptyValue) {
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE", "IDENT(y)", "EQUALS", "VALUE", "EOF"}),
            Lex("x =\ny = \n"));
}

TEST_F(LexerTest, NoSpacesNeededAroundEquals) {
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE[1=2]", "EOF"}), Lex("x=1=2\n"));
}

TEST_F(LexerTest, IdentifiersMayHaveDotsButSimpleReferencesStopThere) {
  EXPECT_EQ(
      Tokens({"IDENT(foo.dots)", "EQUALS", "VALUE[$bar][.dots ][$bar.dots]", "EOF"}),
      Lex("foo.dots = $bar.dots ${bar.dots}\n"));
  EXPECT_EQ(Tokens({"IDENT(a-b_C9)", "EQUALS", "VALUE[$a-b_C9][!]", "EOF"}),
            Lex("a-b_C9 = $a-b_C9!\n"));
}

TEST_F(LexerTest, KeywordsOnlyWhenWhole) {
  EXPECT_EQ(Tokens({"IDENT(builder)", "EQUALS", "VALUE[1]", "IDENT(rules)", "EQUALS",
                    "VALUE[2]", "IDENT(include_dir)", "EQUALS", "VALUE[3]", "EOF"}),
            Lex("builder = 1\nrules = 2\ninclude_dir = 3\n"));
}

TEST_F(LexerTest, RuleAndBindings) {
  EXPECT_EQ(Tokens({"RULE", "IDENT(cc)", "NEWLINE", "INDENT", "IDENT(command)", "EQUALS",
                    "VALUE[gcc -c ][$in][ -o ][$out]", "INDENT", "IDENT(depfile)",
                    "EQUALS", "VALUE[$out][.d]", "EOF"}),
            Lex("rule cc\n  command = gcc -c $in -o $out\n  depfile = $out.d\n"));
}

TEST_F(LexerTest, KeywordsAreNamesAfterRule) {
  EXPECT_EQ(Tokens({"RULE", "IDENT(build)", "NEWLINE", "INDENT", "IDENT(command)",
                    "EQUALS", "VALUE[rule run ][$out]", "EOF"}),
            Lex("rule build\n  command = rule run $out\n"));
}

TEST_F(LexerTest, Pool) {
  EXPECT_EQ(Tokens({"POOL", "IDENT(link)", "NEWLINE", "INDENT", "IDENT(depth)", "EQUALS",
                    "VALUE[4]", "EOF"}),
            Lex("pool link\n  depth = 4\n"));
}

TEST_F(LexerTest, BuildLineWithEveryKindOfPath) {
  EXPECT_EQ(Tokens({"BUILD", "PATH[out1]", "PATH[out 2]", "PIPE", "PATH[imp]", "COLON",
                    "IDENT(cc)", "PATH[in1]", "PATH[$dir][/in2]", "PIPE", "PATH[dep]",
                    "PIPE2", "PATH[oo]", "PIPEAT", "PATH[val]", "NEWLINE", "EOF"}),
            Lex("build out1 out$ 2 | imp: cc in1 $dir/in2 | dep || oo |@ val\n"));
}

TEST_F(LexerTest, BuildLineWithoutSpacesAroundSeparators) {
  EXPECT_EQ(Tokens({"BUILD", "PATH[a]", "PIPE", "PATH[b]", "COLON", "IDENT(r)", "PATH[c]",
                    "PIPE", "PATH[d]", "PIPE2", "PATH[e]", "PIPEAT", "PATH[f]", "NEWLINE",
                    "EOF"}),
            Lex("build a|b:r c|d||e|@f\n"));
}

TEST_F(LexerTest, BuildEdgeBindings) {
  EXPECT_EQ(
      Tokens({"BUILD", "PATH[o]", "COLON", "IDENT(r)", "NEWLINE", "INDENT", "IDENT(x)",
              "EQUALS", "VALUE[1]", "INDENT", "IDENT(y)", "EQUALS", "VALUE[$x]", "EOF"}),
      Lex("build o: r\n  x = 1\n  y = $x\n"));
}

TEST_F(LexerTest, KeywordsArePathsAfterBuild) {
  EXPECT_EQ(Tokens({"BUILD", "PATH[subninja]", "COLON", "IDENT(build)", "PATH[include]",
                    "PATH[default]", "PATH[foo.cc]", "NEWLINE", "DEFAULT",
                    "PATH[subninja]", "NEWLINE", "EOF"}),
            Lex("build subninja: build include default foo.cc\ndefault subninja\n"));
}

TEST_F(LexerTest, PathEscapes) {
  EXPECT_EQ(Tokens({"BUILD", "PATH[a:b]", "PATH[c d]", "PATH[$e]", "COLON", "IDENT(r)",
                    "PATH[$one]", "PATH[two$ three]", "NEWLINE", "EOF"}),
            Lex("build a$:b c$ d $$e: r $$one two$$$ three\n"));
}

TEST_F(LexerTest, LineContinuations) {
  // "$\n" joins lines; leading spaces of the next line are dropped, so a
  // continuation inside a path keeps it one path.
  EXPECT_EQ(Tokens({"BUILD", "PATH[ab]", "PATH[c]", "COLON", "IDENT(r)", "PATH[d]",
                    "NEWLINE", "EOF"}),
            Lex("build a$\n    b $\n   c: $\n r $\n d\n"));
  EXPECT_EQ(Tokens({"RULE", "IDENT(link)", "NEWLINE", "INDENT", "IDENT(command)",
                    "EQUALS", "VALUE[foo bar baz]", "EOF"}),
            Lex("rule link\n  command = foo bar $\n    baz\n"));
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE[1]", "EOF"}), Lex("x $\n  = $\n  1\n"));
}

TEST_F(LexerTest, Default) {
  EXPECT_EQ(Tokens({"DEFAULT", "PATH[a]", "PATH[b]", "PATH[$c]", "NEWLINE", "EOF"}),
            Lex("default a b $c\n"));
}

TEST_F(LexerTest, IncludeAndSubninja) {
  EXPECT_EQ(Tokens({"INCLUDE", "PATH[$dir][/rules.ninja]", "NEWLINE", "SUBNINJA",
                    "PATH[sub.ninja]", "NEWLINE", "EOF"}),
            Lex("include $dir/rules.ninja\nsubninja sub.ninja\n"));
  // No path at all is still a (empty) path token; loading it fails later.
  EXPECT_EQ(Tokens({"INCLUDE", "PATH", "NEWLINE", "EOF"}), Lex("include\n"));
}

TEST_F(LexerTest, CommentsAreSkipped) {
  EXPECT_EQ(Tokens({"IDENT(foo)", "EQUALS", "VALUE[not # a comment]", "EOF"}),
            Lex("# this is a comment\n  # indented comment\nfoo = not # a comment\n"));
  EXPECT_EQ(Tokens({"RULE", "IDENT(r)", "NEWLINE", "INDENT", "IDENT(command)", "EQUALS",
                    "VALUE[x]", "EOF"}),
            Lex("rule r\n  #generator = 1\n  command = x\n  # trailing\n"));
}

TEST_F(LexerTest, CommentAtEndOfInputWithoutNewlineIsAnError) {
  // As in Ninja: a comment must end in a newline.
  Lexer* lexer;
  EXPECT_EQ(Tokens({"ERROR"}), Lex("# foo", &lexer));
  EXPECT_EQ("lexing error", lexer->DescribeLastError());
}

TEST_F(LexerTest, IndentedBlankLinesAreNewlines) {
  EXPECT_EQ(Tokens({"NEWLINE", "RULE", "IDENT(r)", "NEWLINE", "NEWLINE", "EOF"}),
            Lex("  \nrule r\n    \n"));
}

TEST_F(LexerTest, CrLfLineEndings) {
  EXPECT_EQ(
      Tokens({"IDENT(x)", "EQUALS", "VALUE[1]", "BUILD", "PATH[a]", "COLON", "IDENT(b)",
              "NEWLINE", "NEWLINE", "RULE", "IDENT(r)", "NEWLINE", "INDENT",
              "IDENT(command)", "EQUALS", "VALUE[something][$expand][ ]", "EOF"}),
      Lex("x = 1\r\nbuild a: b\r\n\r\nrule r\r\n  command = something$expand \r\n"));
  // "$\r\n" continues a line too.
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE[ab]", "EOF"}), Lex("x = a$\r\n  b\r\n"));
}

TEST_F(LexerTest, LoneCarriageReturnIsALexingError) {
  NinjaFormat();
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:1: lexing error\nx = 1\rfoo\n     ^ near here"}),
            Lex("x = 1\rfoo\n"));
}

TEST_F(LexerTest, NulEndsTheInput) {
  const std::string input("x = 1\n\0build garbage", 21);
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "VALUE[1]", "EOF"}), Lex(input));
}

TEST_F(LexerTest, NulInsideAValueIsAnUnexpectedEof) {
  NinjaFormat();
  const std::string input("x = a\0b\n", 8);
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:1: unexpected EOF\nx = a\n     ^ near here"}),
            Lex(input));
}

TEST_F(LexerTest, EndOfInputInsideAValue) {
  NinjaFormat();
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:1: unexpected EOF\nx = 3\n     ^ near here"}),
            Lex("x = 3"));
  // After continuations there is nothing on the line to show.
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS", "error: input:4: unexpected EOF\n"}),
            Lex("x = a$\n b$\n $\n"));
}

TEST_F(LexerTest, EndOfInputInsideABuildLine) {
  NinjaFormat();
  // The path runs into the end of the input before anything ends it.
  EXPECT_EQ(
      Tokens({"BUILD", "error: input:1: unexpected EOF\nbuild a\n       ^ near here"}),
      Lex("build a"));
  EXPECT_EQ(
      Tokens({"BUILD", "PATH[a]", "COLON", "IDENT(r)",
              "error: input:1: unexpected EOF\nbuild a: r b\n            ^ near here"}),
      Lex("build a: r b"));
}

TEST_F(LexerTest, BadDollarEscapes) {
  NinjaFormat();
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:1: bad $-escape (literal $ must be written as $$)\n"
                    "x = $\n"
                    "    ^ near here"}),
            Lex("x = $"));
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:2: bad $-escape (literal $ must be written as $$)\n"
                    " $[\n"
                    " ^ near here"}),
            Lex("x = $\n $[\n"));
  EXPECT_EQ(Tokens({"RULE", "IDENT(cat)", "NEWLINE", "INDENT", "IDENT(command)", "EQUALS",
                    "error: input:2: bad $-escape (literal $ must be written as $$)\n"
                    "  command = ${fafsd\n"
                    "            ^ near here"}),
            Lex("rule cat\n  command = ${fafsd\nfoo = bar\n"));
  EXPECT_EQ(Tokens({"BUILD",
                    "error: input:1: bad $-escape (literal $ must be written as $$)\n"
                    "build $.: cat foo\n"
                    "      ^ near here"}),
            Lex("build $.: cat foo\n"));
  // "${}" names nothing.
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:1: bad $-escape (literal $ must be written as $$)\n"
                    "x = a${}\n"
                    "     ^ near here"}),
            Lex("x = a${}\n"));
}

TEST_F(LexerTest, TabsAreNotAllowed) {
  Lexer* lexer;
  EXPECT_EQ(Tokens({"ERROR"}), Lex("\tfoobar", &lexer));
  EXPECT_EQ("tabs are not allowed, use spaces", lexer->DescribeLastError());
  // After an indent a name is required, and a tab is not one.
  NinjaFormat();
  EXPECT_EQ(Tokens({"INDENT",
                    "error: input:1: expected variable name\n"
                    "   \tfoobar\n"
                    "   ^ near here"}),
            Lex("   \tfoobar"));
}

TEST_F(LexerTest, OtherStrayCharacters) {
  Lexer* lexer;
  EXPECT_EQ(Tokens({"ERROR"}), Lex("%x = 1\n", &lexer));
  EXPECT_EQ("lexing error", lexer->DescribeLastError());
  EXPECT_EQ(Tokens({"ERROR"}), Lex("$x = 1\n", &lexer));
}

TEST_F(LexerTest, MissingNames) {
  NinjaFormat();
  EXPECT_EQ(
      Tokens({"RULE", "error: input:1: expected rule name\nrule %foo\n     ^ near here"}),
      Lex("rule %foo\n"));
  EXPECT_EQ(Tokens({"POOL", "error: input:1: expected pool name\npool\n    ^ near here"}),
            Lex("pool\n"));
  EXPECT_EQ(Tokens({"BUILD", "PATH[x]", "COLON",
                    "error: input:1: expected build command name\n"
                    "build x:: y z\n"
                    "        ^ near here"}),
            Lex("build x:: y z\n"));
  EXPECT_EQ(Tokens({"RULE", "IDENT(cc)", "NEWLINE", "INDENT", "IDENT(command)", "EQUALS",
                    "VALUE[foo]", "INDENT",
                    "error: input:3: expected variable name\n"
                    "  && bar\n"
                    "  ^ near here"}),
            Lex("rule cc\n  command = foo\n  && bar"));
  EXPECT_EQ(Tokens({"DEFAULT",
                    "error: input:1: expected target name\ndefault\n       ^ near here"}),
            Lex("default\n"));
}

TEST_F(LexerTest, TokenContextTellsWhatWasExpected) {
  const std::string input = "build a: r\nx y\nrule r junk\n";
  Lexer lexer("input", input);
  Token token{};
  std::string err;
  std::vector<std::pair<int, TokenContext>> seen;
  while (lexer.Next(&token, &err) && token.kind != 0)
    seen.emplace_back(token.kind, token.context);
  const std::vector<std::pair<int, TokenContext>> expected = {
      {TK_BUILD, TokenContext::kStatement}, {TK_PATH, TokenContext::kStatement},
      {TK_COLON, TokenContext::kColon},     {TK_IDENT, TokenContext::kStatement},
      {TK_NEWLINE, TokenContext::kNewline}, {TK_IDENT, TokenContext::kStatement},
      {TK_IDENT, TokenContext::kEquals},    {TK_NEWLINE, TokenContext::kStatement},
      {TK_RULE, TokenContext::kStatement},  {TK_IDENT, TokenContext::kStatement},
      {TK_IDENT, TokenContext::kNewline},   {TK_NEWLINE, TokenContext::kStatement},
  };
  EXPECT_EQ(expected, seen);
}

TEST_F(LexerTest, TokenNames) {
  EXPECT_STREQ("eof", Lexer::TokenName(0));
  EXPECT_STREQ("lexing error", Lexer::TokenName(TK_ERROR));
  EXPECT_STREQ("'build'", Lexer::TokenName(TK_BUILD));
  EXPECT_STREQ("':'", Lexer::TokenName(TK_COLON));
  EXPECT_STREQ("'default'", Lexer::TokenName(TK_DEFAULT));
  EXPECT_STREQ("'='", Lexer::TokenName(TK_EQUALS));
  EXPECT_STREQ("identifier", Lexer::TokenName(TK_IDENT));
  EXPECT_STREQ("'include'", Lexer::TokenName(TK_INCLUDE));
  EXPECT_STREQ("indent", Lexer::TokenName(TK_INDENT));
  EXPECT_STREQ("newline", Lexer::TokenName(TK_NEWLINE));
  EXPECT_STREQ("'||'", Lexer::TokenName(TK_PIPE2));
  EXPECT_STREQ("'|'", Lexer::TokenName(TK_PIPE));
  EXPECT_STREQ("'|@'", Lexer::TokenName(TK_PIPEAT));
  EXPECT_STREQ("'pool'", Lexer::TokenName(TK_POOL));
  EXPECT_STREQ("'rule'", Lexer::TokenName(TK_RULE));
  EXPECT_STREQ("'subninja'", Lexer::TokenName(TK_SUBNINJA));
}

TEST_F(LexerTest, FormatErrorPointsAtTheLastToken) {
  const std::string input = "x = 1\nbuild x: y z\n";
  Lexer lexer("build.ninja", input);
  Token token{};
  std::string err;
  // Read up to the rule name.
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(lexer.Next(&token, &err));
  ASSERT_EQ(TK_IDENT, token.kind);
  ASSERT_EQ("y", token.text());
  NinjaFormat();
  EXPECT_EQ("build.ninja:2: oops\nbuild x: y z\n         ^ near here",
            lexer.FormatError("oops"));
  ComposerFormat();
  EXPECT_EQ("build.ninja:2:10: oops\nbuild x: y z\n         ^ near here",
            lexer.FormatError("oops"));
}

TEST_F(LexerTest, FormatErrorBeforeAnyToken) {
  const std::string input = "x = 1\n";
  Lexer lexer("f", input);
  NinjaFormat();
  EXPECT_EQ("f:1: message\n", lexer.FormatError("message"));
  ComposerFormat();
  EXPECT_EQ("f:1:1: message\n", lexer.FormatError("message"));
}

TEST_F(LexerTest, NoContextForATokenAtTheStartOfALine) {
  const std::string input = "x = 1\n  y = 2\n";
  Lexer lexer("f", input);
  Token token{};
  std::string err;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(lexer.Next(&token, &err));
  ASSERT_EQ(TK_INDENT, token.kind);
  NinjaFormat();
  EXPECT_EQ("f:2: unexpected indent\n", lexer.FormatError("unexpected indent"));
  ComposerFormat();
  EXPECT_EQ("f:2:1: unexpected indent\n", lexer.FormatError("unexpected indent"));
}

TEST_F(LexerTest, LongLinesAreTruncatedInTheContext) {
  NinjaFormat();
  // The error is near the start of a long line: the line is cut at 72
  // columns and marked with "...".
  const std::string tail(100, 'a');
  const std::string input = "x = $%" + tail + "\n";
  const Tokens tokens = Lex(input);
  ASSERT_EQ(3u, tokens.size());
  const std::string shown = input.substr(0, 72);
  EXPECT_EQ("error: input:1: bad $-escape (literal $ must be written as $$)\n" + shown +
                "...\n    ^ near here",
            tokens[2]);

  // An error at column 72 or beyond gets no context at all.
  const std::string far = "x = " + std::string(68, 'b') + "$%\n";
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:1: bad $-escape (literal $ must be written as $$)\n"}),
            Lex(far));
  const std::string near = "x = " + std::string(67, 'b') + "$%\n";
  const Tokens near_tokens = Lex(near);
  ASSERT_EQ(3u, near_tokens.size());
  EXPECT_NE(std::string::npos, near_tokens[2].find("^ near here"));
}

TEST_F(LexerTest, ComposerFormatAddsTheColumn) {
  ComposerFormat();
  EXPECT_EQ(Tokens({"IDENT(x)", "EQUALS",
                    "error: input:2:2: bad $-escape (literal $ must be written as $$)\n"
                    " $[\n"
                    " ^ near here"}),
            Lex("x = $\n $[\n"));
}

TEST_F(LexerTest, HugePathIsOneToken) {
  const std::string path(1 << 20, 'p');
  const Tokens tokens = Lex("build " + path + ": r\n");
  ASSERT_EQ(6u, tokens.size());
  EXPECT_TRUE(tokens[1] == "PATH[" + path + "]");  // too long to print usefully
  EXPECT_EQ("NEWLINE", tokens[4]);
}

TEST_F(LexerTest, ManyPiecesInOneValue) {
  std::string input = "x = $v0";
  std::string expected = "VALUE[$v0]";
  for (int i = 1; i < 5000; ++i) {
    input += " $v" + std::to_string(i);
    expected += "[ ][$v" + std::to_string(i) + "]";
  }
  input += "\n";
  const Tokens tokens = Lex(input);
  ASSERT_EQ(4u, tokens.size());
  EXPECT_EQ("IDENT(x)", tokens[0]);
  EXPECT_TRUE(tokens[2] == expected);  // too long to print usefully
  EXPECT_EQ("EOF", tokens[3]);
}

TEST_F(LexerTest, HighBytesArePlainText) {
  EXPECT_EQ(
      Tokens({"RULE", "IDENT(utf8)", "NEWLINE", "INDENT", "IDENT(description)", "EQUALS",
              "VALUE[compilaci\xC3\xB3n]", "BUILD", "PATH[\xE2\x82\xAC.o]", "COLON",
              "IDENT(utf8)", "NEWLINE", "EOF"}),
      Lex("rule utf8\n  description = compilaci\xC3\xB3n\nbuild \xE2\x82\xAC.o: utf8\n"));
}

}  // namespace
}  // namespace composer
