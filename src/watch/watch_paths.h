// Paths as the watcher and the build spell them: relative to the build's
// working directory ("." for it), or absolute, never with a trailing slash.
#pragma once

#include <string>
#include <string_view>

namespace composer::watch {

// The directory that holds the entry `path` ("a" for "a/b", "." for "b",
// "/" for "/b"), or "" when there is none to watch: "." and "/" themselves,
// and paths made only of ".." (the watcher does not climb above them).
std::string ParentDir(std::string_view path);

// The entry `name` in `dir`.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace composer::watch
