#include "gen/path_glob.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>

namespace composer {

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool HasWildcard(std::string_view segment) {
  return segment.find_first_of("*?[") != std::string_view::npos;
}

bool SegmentMatch(std::string_view pattern, std::string_view name) {
  if (!HasWildcard(pattern)) return pattern == name;
  return fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), 0) == 0;
}

bool MatchFrom(const std::vector<std::string_view>& pattern, size_t p,
               const std::vector<std::string_view>& path, size_t i) {
  while (p < pattern.size()) {
    if (pattern[p] == "**") {
      // Any number of segments, tried shortest first.
      for (size_t skip = i; skip <= path.size(); ++skip)
        if (MatchFrom(pattern, p + 1, path, skip)) return true;
      return false;
    }
    if (i == path.size() || !SegmentMatch(pattern[p], path[i])) return false;
    ++p;
    ++i;
  }
  return i == path.size();
}

bool IsDirectory(const std::string& path, bool follow_links = true) {
  struct stat st;
  const int rc = follow_links ? stat(path.c_str(), &st) : lstat(path.c_str(), &st);
  return rc == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// With `follow_links` false, symbolic links to directories are left out:
// '**' descends without end through a link to an ancestor.
std::vector<std::string> SubDirectories(const std::string& dir, bool follow_links) {
  std::vector<std::string> names;
  DIR* handle = opendir(dir.c_str());
  if (!handle) return names;
  while (const dirent* entry = readdir(handle)) {
    const std::string name = entry->d_name;
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;
    const bool may_be_dir =
        entry->d_type == DT_UNKNOWN || (entry->d_type == DT_LNK && follow_links);
    if (entry->d_type == DT_DIR ||
        (may_be_dir && IsDirectory(dir + "/" + name, follow_links)))
      names.push_back(name);
  }
  closedir(handle);
  std::sort(names.begin(), names.end());
  return names;
}

std::string Join(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

void Walk(const std::string& root, const std::vector<std::string_view>& pattern, size_t p,
          const std::string& dir, std::vector<std::string>* found) {
  const std::string full = dir.empty() ? root : root + "/" + dir;
  if (p == pattern.size()) {
    if (!dir.empty() && IsFile(full + "/package.json")) found->push_back(dir);
    return;
  }
  const std::string_view segment = pattern[p];
  if (segment == "**") {
    Walk(root, pattern, p + 1, dir, found);
    for (const std::string& name : SubDirectories(full, /*follow_links=*/false))
      Walk(root, pattern, p, Join(dir, name), found);
  } else if (!HasWildcard(segment)) {
    if (segment != "node_modules" && IsDirectory(full + "/" + std::string(segment)))
      Walk(root, pattern, p + 1, Join(dir, segment), found);
  } else {
    for (const std::string& name : SubDirectories(full, /*follow_links=*/true))
      if (SegmentMatch(segment, name)) Walk(root, pattern, p + 1, Join(dir, name), found);
  }
}

}  // namespace

std::string NormalizeGlob(std::string_view pattern) {
  std::string out;
  for (std::string_view segment : Segments(pattern)) {
    if (segment == ".") continue;
    if (!out.empty()) out += '/';
    out += segment;
  }
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view path) {
  const std::string normal = NormalizeGlob(pattern);
  const std::vector<std::string_view> pattern_segments = Segments(normal);
  const std::vector<std::string_view> path_segments = Segments(path);
  return MatchFrom(pattern_segments, 0, path_segments, 0);
}

std::vector<std::string> FindPackageDirs(const std::string& root,
                                         const std::string& pattern) {
  const std::string normal = NormalizeGlob(pattern);
  std::vector<std::string> found;
  Walk(root, Segments(normal), 0, "", &found);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace composer
