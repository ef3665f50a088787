// Reading package.json and friends: a JSON syntax error is reported as
// FILE:LINE:COLUMN with the offending line and a caret, like a manifest
// error.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace composer {

// Parses the JSON file at `path`. On failure *err names the path (and, for
// a syntax error, the line and column). `comments` allows // and /* */
// comments, as tsconfig.json does.
bool ReadJsonFile(const std::string& path, nlohmann::json* out, std::string* err,
                  bool comments = false);

// Parses `text` (read from `path`, which only labels errors).
bool ParseJson(const std::string& path, const std::string& text, nlohmann::json* out,
               std::string* err, bool comments = false);

}  // namespace composer
