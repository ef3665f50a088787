// The globs of package.json workspaces, pnpm-workspace.yaml and the
// generator's inputs/outputs settings: '/'-separated segments, each matched
// with fnmatch(3) ('*', '?', '[...]'), and '**' for any number of segments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace composer {

// Whether `path` (relative, '/'-separated) matches `pattern`. A pattern
// ending in "/**" also matches the directory itself.
bool GlobMatch(std::string_view pattern, std::string_view path);

// "./a//b/" -> "a/b": how the patterns are compared.
std::string NormalizeGlob(std::string_view pattern);

// The directories below `root` that match `pattern` and hold a
// package.json, as paths relative to root, sorted. node_modules and
// directories whose names start with '.' are never entered.
std::vector<std::string> FindPackageDirs(const std::string& root,
                                         const std::string& pattern);

}  // namespace composer
