#include "gen/json_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace composer {

namespace {

// nlohmann's message reads "[json.exception.parse_error.101] parse error at
// line 3, column 5: syntax error while parsing ..."; keep what follows the
// position, which is ours to print.
std::string SyntaxMessage(const char* what) {
  std::string message(what);
  const size_t column = message.find("column ");
  if (column != std::string::npos) {
    const size_t colon = message.find(": ", column);
    if (colon != std::string::npos) return message.substr(colon + 2);
  }
  const size_t bracket = message.find("] ");
  return bracket == std::string::npos ? message : message.substr(bracket + 2);
}

}  // namespace

bool ParseJson(const std::string& path, const std::string& text, nlohmann::json* out,
               std::string* err, bool comments) {
  try {
    *out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true, comments);
    return true;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte counts from 1 and points at the last character read.
    const size_t offset = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
    const size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const size_t begin =
        (offset == 0 || line_start == std::string::npos) ? 0 : line_start + 1;
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    size_t line = 1;
    for (size_t i = 0; i < begin; ++i) line += text[i] == '\n';
    const size_t column = offset - begin + 1;
    *err = path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
           SyntaxMessage(e.what());
    std::string context = text.substr(begin, end - begin);
    if (!context.empty() && context.back() == '\r') context.pop_back();
    if (context.size() <= 160) {
      *err += "\n" + context + "\n" +
              std::string(std::min(column - 1, context.size()), ' ') + "^";
    }
    return false;
  }
}

bool ReadJsonFile(const std::string& path, nlohmann::json* out, std::string* err,
                  bool comments) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *err = path + ": " + strerror(errno);
    return false;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseJson(path, text.str(), out, err, comments);
}

}  // namespace composer
