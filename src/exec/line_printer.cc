#include "exec/line_printer.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace composer {

LinePrinter::LinePrinter() {
  const char* term = getenv("TERM");
  smart_terminal_ = isatty(1) && term && strcmp(term, "dumb") != 0;
  supports_color_ = smart_terminal_;
  if (!supports_color_) {
    const char* force = getenv("CLICOLOR_FORCE");
    supports_color_ = force && strcmp(force, "0") != 0;
  }
}

void LinePrinter::Print(std::string to_print, LineType type) {
  if (console_locked_) {
    line_buffer_ = std::move(to_print);
    line_type_ = type;
    return;
  }
  if (smart_terminal_) {
    fputc('\r', stdout);  // over the previous status line
    if (type == kElide) {
      winsize size;
      if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col)
        to_print = ElideMiddle(to_print, size.ws_col);
    }
    fputs(to_print.c_str(), stdout);
    fputs("\x1B[K", stdout);  // clear to the end of the line
    fflush(stdout);
    have_blank_line_ = false;
  } else {
    fwrite(to_print.data(), 1, to_print.size(), stdout);
    fputc('\n', stdout);
  }
}

void LinePrinter::PrintOrBuffer(const char* data, size_t size) {
  if (console_locked_)
    output_buffer_.append(data, size);
  else
    fwrite(data, 1, size, stdout);  // output may contain NUL bytes
}

void LinePrinter::PrintOnNewLine(const std::string& to_print) {
  if (console_locked_ && !line_buffer_.empty()) {
    output_buffer_ += line_buffer_;
    output_buffer_ += '\n';
    line_buffer_.clear();
  }
  if (!have_blank_line_) PrintOrBuffer("\n", 1);
  if (!to_print.empty()) PrintOrBuffer(to_print.data(), to_print.size());
  have_blank_line_ = to_print.empty() || to_print.back() == '\n';
}

void LinePrinter::SetConsoleLocked(bool locked) {
  if (locked == console_locked_) return;
  if (locked) PrintOnNewLine("");
  console_locked_ = locked;
  if (!locked) {
    PrintOnNewLine(output_buffer_);
    if (!line_buffer_.empty()) Print(line_buffer_, line_type_);
    output_buffer_.clear();
    line_buffer_.clear();
  }
}

std::string ElideMiddle(const std::string& text, size_t width) {
  switch (width) {
    case 0:
      return "";
    case 1:
      return ".";
    case 2:
      return "..";
    case 3:
      return "...";
  }
  if (text.size() <= width) return text;
  const size_t half = (width - 3) / 2;
  return text.substr(0, half) + "..." + text.substr(text.size() - half, half);
}

std::string StripAnsiEscapeCodes(const std::string& text) {
  std::string stripped;
  stripped.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\33') {
      stripped.push_back(text[i]);
      continue;
    }
    if (i + 1 >= text.size()) break;
    if (text[i + 1] != '[') continue;  // only CSI sequences
    i += 2;
    while (i < text.size() &&
           !((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z')))
      ++i;
  }
  return stripped;
}

}  // namespace composer
