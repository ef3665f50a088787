#include "util/escape.h"

namespace composer {

namespace {

bool IsShellSafe(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    return true;
  return c == '_' || c == '+' || c == '-' || c == '.' || c == '/';
}

}  // namespace

void AppendShellEscaped(std::string_view input, std::string* out) {
  bool safe = true;
  for (unsigned char c : input) {
    if (!IsShellSafe(c)) {
      safe = false;
      break;
    }
  }
  if (safe) {
    out->append(input);
    return;
  }
  out->push_back('\'');
  for (char c : input) {
    if (c == '\'')
      out->append("'\\''");
    else
      out->push_back(c);
  }
  out->push_back('\'');
}

void AppendJsonEscaped(std::string_view input, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  for (char ch : input) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(ch);
        }
    }
  }
}

}  // namespace composer
