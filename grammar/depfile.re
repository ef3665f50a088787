// The depfile lexer. re2c turns this into depfile_parser.cc in the build tree.
//
// What GCC and Clang write, and so what this accepts: backslash escapes a
// space or '#'; 2N+1 backslashes before a space are N backslashes and a
// space inside the name, 2N backslashes end the name; "\:" is a colon in a
// name unless whitespace follows; "$$" is '$'; backslash-newline continues
// a rule; other backslashes are literal.

#include "parse/depfile_parser.h"

#include <cstring>
#include <unordered_set>

namespace composer {

bool DepfileParser::Parse(std::string* content, std::string* err) {
  char* in = content->data();
  char* const end = in + content->size();
  bool have_target = false;
  bool parsing_targets = true;
  bool poisoned_input = false;
  bool named_anything = false;  // a depfile of blank lines names nothing
  // Dedup with a set: a depfile can name thousands of headers.
  std::unordered_set<std::string_view> seen_ins;
  while (in < end) {
    bool have_newline = false;
    char* out = in;  // where unescaped text goes; lags `in` after escapes
    char* const filename = out;
    for (;;) {
      const char* start = in;
      char* yymarker = nullptr;
      /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = in;
        re2c:define:YYLIMIT = end;
        re2c:define:YYMARKER = yymarker;
        re2c:yyfill:enable = 0;

        nul = "\000";
        newline = '\r'?'\n';

        '\\\\'* '\\ ' {
          // 2N+1 backslashes and a space: N backslashes and a space.
          const int n = static_cast<int>(in - start) / 2 - 1;
          if (out < start) memset(out, '\\', static_cast<size_t>(n));
          out += n;
          *out++ = ' ';
          continue;
        }
        '\\\\'+ ' ' {
          // 2N backslashes and a space: the backslashes end the name.
          const int len = static_cast<int>(in - start);
          if (out < start) memset(out, '\\', static_cast<size_t>(len - 1));
          out += len - 1;
          break;
        }
        '\\'+ '#' {
          const int len = static_cast<int>(in - start);
          if (len > 2 && out < start) memset(out, '\\', static_cast<size_t>(len - 2));
          out += len - 2;
          *out++ = '#';
          continue;
        }
        '\\'+ ':' [\x00\x20\r\n\t] {
          // A colon followed by whitespace ends a target even after a
          // backslash: copy the text up to it as it is.
          const int len = static_cast<int>(in - start - 1);
          if (out < start) memmove(out, start, static_cast<size_t>(len));
          out += len;
          if (*(in - 1) == '\n') have_newline = true;
          break;
        }
        '\\'+ ':' {
          const int len = static_cast<int>(in - start);
          if (len > 2 && out < start) memset(out, '\\', static_cast<size_t>(len - 2));
          out += len - 2;
          *out++ = ':';
          continue;
        }
        '$$' {
          *out++ = '$';
          continue;
        }
        '\\'+ [^\000\r\n] | [a-zA-Z0-9+,/_:.~()}{%=@\x5B\x5D!\x80-\xFF-]+ {
          const int len = static_cast<int>(in - start);
          if (out < start) memmove(out, start, static_cast<size_t>(len));
          out += len;
          continue;
        }
        nul {
          break;
        }
        '\\' newline {
          break;
        }
        newline {
          have_newline = true;
          break;
        }
        [^] {
          break;
        }
      */
    }

    size_t len = static_cast<size_t>(out - filename);
    named_anything |= len > 0;
    const bool is_dependency = !parsing_targets;
    if (len > 0 && filename[len - 1] == ':') {
      --len;  // "target:" ends the targets
      parsing_targets = false;
      have_target = true;
    }
    if (len > 0) {
      const std::string_view name(filename, len);
      if (!seen_ins.count(name)) {
        if (is_dependency) {
          if (poisoned_input) {
            *err = "inputs may not also have inputs";
            return false;
          }
          seen_ins.insert(name);
          ins_.push_back(name);
        } else {
          bool known = false;
          for (std::string_view o : outs_) known |= o == name;
          if (!known) outs_.push_back(name);
        }
      } else if (!is_dependency) {
        // An input named again as a target: later inputs would be its own.
        poisoned_input = true;
      }
    }
    if (have_newline) {
      parsing_targets = true;
      poisoned_input = false;
    }
  }
  // Some tools (valac) write only newlines when there is nothing to depend
  // on: no error for that (ninja #2357, accepted since Ninja 1.12).
  if (!have_target && named_anything) {
    *err = "expected ':' in depfile";
    return false;
  }
  return true;
}

}  // namespace composer
