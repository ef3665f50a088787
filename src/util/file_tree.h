// Whole directory trees on the real file system: listing one (for output
// directories and the content cache) and removing one. Symbolic links are
// listed and removed, never followed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace composer {

struct TreeEntry {
  enum class Kind : uint8_t { kDirectory, kFile, kSymlink };
  Kind kind = Kind::kFile;
  std::string path;         // the root as given, then "/name" per level
  uint32_t mode = 0;        // permission bits
  uint64_t size = 0;        // files only
  std::string link_target;  // symlinks only
};

// Appends `root` (when it is a directory) and everything below it to
// *entries, sorted by path so that a directory precedes what it holds. A
// missing root adds nothing and succeeds; a root that is not a directory is
// an error, as is anything but directories, files and symlinks inside.
bool ListTree(const std::string& root, std::vector<TreeEntry>* entries, std::string* err);

// Removes `path` and, if it is a directory, everything below it. A missing
// path succeeds.
bool RemoveTree(const std::string& path, std::string* err);

// Empties directory `path` but keeps it, so that its parent's mtime does not
// change (a build generator may watch it). Anything else at `path` is
// removed; a missing path succeeds.
bool EmptyTree(const std::string& path, std::string* err);

}  // namespace composer
