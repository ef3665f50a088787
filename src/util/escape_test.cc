// Tests for shell and JSON quoting. The expected strings are what Ninja
// 1.11.1 produces (GetShellEscapedString on POSIX, EncodeJSONString).

#include "util/escape.h"

#include <string>

#include <gtest/gtest.h>

namespace composer {
namespace {

std::string Shell(std::string_view input) {
  std::string out;
  AppendShellEscaped(input, &out);
  return out;
}

std::string Json(std::string_view input) {
  std::string out;
  AppendJsonEscaped(input, &out);
  return out;
}

TEST(ShellEscapeTest, SafePathsAreLeftAlone) {
  EXPECT_EQ("some/sensible/path/without/crazy/characters.c++",
            Shell("some/sensible/path/without/crazy/characters.c++"));
  EXPECT_EQ("ABCxyz_019+-./", Shell("ABCxyz_019+-./"));
  EXPECT_EQ("", Shell(""));
}

TEST(ShellEscapeTest, AnythingElseIsSingleQuoted) {
  EXPECT_EQ("'foo bar'", Shell("foo bar"));
  EXPECT_EQ("'$dollar'", Shell("$dollar"));
  EXPECT_EQ("'a\"b'", Shell("a\"b"));
  EXPECT_EQ("'a\\b'", Shell("a\\b"));
  EXPECT_EQ("'a*'", Shell("a*"));
  EXPECT_EQ("'a,b'", Shell("a,b"));
  EXPECT_EQ("'a=b'", Shell("a=b"));
  EXPECT_EQ("'~x'", Shell("~x"));
  EXPECT_EQ("'a\nb'", Shell("a\nb"));
  // Bytes outside ASCII are not known to be safe either.
  EXPECT_EQ("'caf\xc3\xa9'", Shell("caf\xc3\xa9"));
}

TEST(ShellEscapeTest, SingleQuotesAreClosedEscapedAndReopened) {
  EXPECT_EQ("''\\'''", Shell("'"));
  EXPECT_EQ("'it'\\''s'", Shell("it's"));
  // Ninja's own torture test.
  EXPECT_EQ("'foo bar\"/'\\''$@d!st!c'\\''/path'\\'''",
            Shell("foo bar\"/'$@d!st!c'/path'"));
}

TEST(ShellEscapeTest, AppendsToWhatIsThere) {
  std::string out = "cmd ";
  AppendShellEscaped("a b", &out);
  out += " ";
  AppendShellEscaped("c", &out);
  EXPECT_EQ("cmd 'a b' c", out);
}

TEST(ShellEscapeTest, EmbeddedNulIsQuotedAndKept) {
  const std::string input("a\0b", 3);
  EXPECT_EQ(std::string("'a\0b'", 5), Shell(input));
}

TEST(JsonEscapeTest, PlainAsciiIsUnchanged) {
  EXPECT_EQ("foo bar", Json("foo bar"));
  EXPECT_EQ("", Json(""));
  EXPECT_EQ("/ ' $ { }", Json("/ ' $ { }"));
}

TEST(JsonEscapeTest, NamedEscapes) {
  EXPECT_EQ("\\\"\\\\\\b\\f\\n\\r\\t", Json("\"\\\b\f\n\r\t"));
}

TEST(JsonEscapeTest, OtherControlCharactersUseUnicodeEscapes) {
  EXPECT_EQ("\\u0001\\u001f", Json("\x01\x1f"));
  EXPECT_EQ("\\u0000", Json(std::string("\0", 1)));
  EXPECT_EQ("\\u000b", Json("\x0b"));
  EXPECT_EQ("\\u001b[0m", Json("\x1b[0m"));
}

TEST(JsonEscapeTest, DelAndHighBytesPassThrough) {
  EXPECT_EQ("\x7f", Json("\x7f"));
  const char* utf8 = "\xe4\xbd\xa0\xe5\xa5\xbd";
  EXPECT_EQ(utf8, Json(utf8));
  EXPECT_EQ("\xff\x80", Json("\xff\x80"));
}

TEST(JsonEscapeTest, AppendsToWhatIsThere) {
  std::string out = "\"";
  AppendJsonEscaped("a\"b", &out);
  out += "\"";
  EXPECT_EQ("\"a\\\"b\"", out);
}

}  // namespace
}  // namespace composer
