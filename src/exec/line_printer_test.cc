// Tests for the terminal printer's helpers (Ninja 1.11's util_test cases
// for ElideMiddle and StripAnsiEscapeCodes) and for holding output back
// while a console job owns the terminal.

#include "exec/line_printer.h"

#include <stdlib.h>

#include <string>

#include <gtest/gtest.h>

namespace composer {
namespace {

TEST(ElideMiddleTest, NothingToElide) {
  const std::string input = "Nothing to elide in this short string.";
  EXPECT_EQ(input, ElideMiddle(input, 80));
  EXPECT_EQ(input, ElideMiddle(input, 38));
  EXPECT_EQ("", ElideMiddle(input, 0));
  EXPECT_EQ(".", ElideMiddle(input, 1));
  EXPECT_EQ("..", ElideMiddle(input, 2));
  EXPECT_EQ("...", ElideMiddle(input, 3));
}

TEST(ElideMiddleTest, ElideInTheMiddle) {
  const std::string input = "01234567890123456789";
  EXPECT_EQ("012...789", ElideMiddle(input, 10));
  EXPECT_EQ("01234567...23456789", ElideMiddle(input, 19));
  EXPECT_EQ(input, ElideMiddle(input, 20));
  EXPECT_EQ("...", ElideMiddle(input, 4));
  EXPECT_EQ("0...9", ElideMiddle(input, 5));
}

TEST(StripAnsiEscapeCodesTest, EscapeAtEnd) {
  EXPECT_EQ("foo", StripAnsiEscapeCodes("foo\33"));
  EXPECT_EQ("foo", StripAnsiEscapeCodes("foo\33["));
  EXPECT_EQ("foo", StripAnsiEscapeCodes("foo\33[1;3"));
}

TEST(StripAnsiEscapeCodesTest, StripColors) {
  // An actual clang warning.
  const std::string input =
      "\33[1maffixmgr.cxx:286:15: \33[0m\33[0;1;35mwarning: "
      "\33[0m\33[1musing the result... [-Wparentheses]\33[0m";
  EXPECT_EQ("affixmgr.cxx:286:15: warning: using the result... [-Wparentheses]",
            StripAnsiEscapeCodes(input));
}

TEST(StripAnsiEscapeCodesTest, OnlyCsiSequences) {
  // An escape not followed by '[' is dropped alone; the rest stays.
  EXPECT_EQ("a]0;titleb", StripAnsiEscapeCodes("a\33]0;title\33b"));
  EXPECT_EQ("plain [text]", StripAnsiEscapeCodes("plain [text]"));
  EXPECT_EQ("", StripAnsiEscapeCodes(""));
}

class LinePrinterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* force = getenv("CLICOLOR_FORCE");
    had_force_ = force != nullptr;
    if (force) force_ = force;
    unsetenv("CLICOLOR_FORCE");
  }
  void TearDown() override {
    if (had_force_) setenv("CLICOLOR_FORCE", force_.c_str(), 1);
  }
  bool had_force_ = false;
  std::string force_;
};

TEST_F(LinePrinterTest, PlainLinesWhenNotATerminal) {
  testing::internal::CaptureStdout();
  LinePrinter printer;
  EXPECT_FALSE(printer.is_smart_terminal());
  EXPECT_FALSE(printer.supports_color());
  printer.Print("[1/2] first", LinePrinter::kElide);
  printer.Print("[2/2] second", LinePrinter::kFull);
  printer.PrintOnNewLine("output\n");
  printer.PrintOnNewLine("no newline");
  printer.PrintOnNewLine("next");
  EXPECT_EQ("[1/2] first\n[2/2] second\noutput\nno newline\nnext",
            testing::internal::GetCapturedStdout());
}

TEST_F(LinePrinterTest, ColorForcedByEnvironment) {
  setenv("CLICOLOR_FORCE", "1", 1);
  EXPECT_TRUE(LinePrinter().supports_color());
  setenv("CLICOLOR_FORCE", "0", 1);
  EXPECT_FALSE(LinePrinter().supports_color());
}

TEST_F(LinePrinterTest, ConsoleLockHoldsOutputBack) {
  testing::internal::CaptureStdout();
  LinePrinter printer;
  printer.SetConsoleLocked(true);
  printer.Print("[1/3] status", LinePrinter::kFull);
  printer.PrintOnNewLine("job output\n");
  printer.Print("[2/3] later status", LinePrinter::kFull);
  EXPECT_EQ("", testing::internal::GetCapturedStdout()) << "printed while locked";

  testing::internal::CaptureStdout();
  printer.SetConsoleLocked(false);
  EXPECT_EQ("[1/3] status\njob output\n[2/3] later status\n",
            testing::internal::GetCapturedStdout());

  // Unlocked again: straight through.
  testing::internal::CaptureStdout();
  printer.Print("[3/3] last", LinePrinter::kFull);
  EXPECT_EQ("[3/3] last\n", testing::internal::GetCapturedStdout());
}

}  // namespace
}  // namespace composer
