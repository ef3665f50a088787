// Writes the build's status to the terminal: on a smart terminal one line
// rewritten in place (elided to the width), otherwise plain lines. Output
// of a console-pool job owns the terminal while it runs; other output waits.
#pragma once

#include <string>

namespace composer {

class LinePrinter {
 public:
  LinePrinter();

  bool is_smart_terminal() const { return smart_terminal_; }
  void set_smart_terminal(bool smart) { smart_terminal_ = smart; }
  bool supports_color() const { return supports_color_; }

  enum LineType { kFull, kElide };
  // Replaces the status line (smart terminal) or prints a line.
  void Print(std::string to_print, LineType type);
  // Prints text starting on a fresh line.
  void PrintOnNewLine(const std::string& to_print);
  // While locked (a console job runs) output is held back.
  void SetConsoleLocked(bool locked);

 private:
  void PrintOrBuffer(const char* data, size_t size);

  bool smart_terminal_ = false;
  bool supports_color_ = false;
  bool have_blank_line_ = true;
  bool console_locked_ = false;
  std::string line_buffer_;
  LineType line_type_ = kFull;
  std::string output_buffer_;
};

// "abc...xyz": `text` shortened in the middle to `width` columns.
std::string ElideMiddle(const std::string& text, size_t width);
// Removes ANSI CSI escape sequences (colours) for output that is not a terminal.
std::string StripAnsiEscapeCodes(const std::string& text);

}  // namespace composer
