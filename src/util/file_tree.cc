#include "util/file_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace composer {

namespace {

std::string SystemError(const char* call, const std::string& path) {
  return std::string(call) + "(" + path + "): " + strerror(errno);
}

// The names in directory `path`, sorted, without "." and "..".
bool ReadDirectory(const std::string& path, std::vector<std::string>* names,
                   std::string* err) {
  DIR* dir = opendir(path.c_str());
  if (!dir) {
    *err = SystemError("opendir", path);
    return false;
  }
  errno = 0;
  while (const dirent* entry = readdir(dir)) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
      names->emplace_back(entry->d_name);
  }
  const bool ok = errno == 0;
  if (!ok) *err = SystemError("readdir", path);
  closedir(dir);
  std::sort(names->begin(), names->end());
  return ok;
}

bool ListBelow(const std::string& path, const struct stat& st,
               std::vector<TreeEntry>* entries, std::string* err) {
  TreeEntry entry;
  entry.path = path;
  entry.mode = st.st_mode & 07777;
  if (S_ISREG(st.st_mode)) {
    entry.kind = TreeEntry::Kind::kFile;
    entry.size = static_cast<uint64_t>(st.st_size);
    entries->push_back(std::move(entry));
    return true;
  }
  if (S_ISLNK(st.st_mode)) {
    entry.kind = TreeEntry::Kind::kSymlink;
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    const ssize_t n = readlink(path.c_str(), target.data(), target.size());
    if (n < 0) {
      *err = SystemError("readlink", path);
      return false;
    }
    target.resize(static_cast<size_t>(n));
    entry.link_target = std::move(target);
    entries->push_back(std::move(entry));
    return true;
  }
  if (!S_ISDIR(st.st_mode)) {
    *err = path + ": not a file, directory or symbolic link";
    return false;
  }
  entry.kind = TreeEntry::Kind::kDirectory;
  entries->push_back(std::move(entry));
  std::vector<std::string> names;
  if (!ReadDirectory(path, &names, err)) return false;
  for (const std::string& name : names) {
    const std::string child = path + "/" + name;
    struct stat child_st;
    if (lstat(child.c_str(), &child_st) < 0) {
      *err = SystemError("lstat", child);
      return false;
    }
    if (!ListBelow(child, child_st, entries, err)) return false;
  }
  return true;
}

}  // namespace

bool ListTree(const std::string& root, std::vector<TreeEntry>* entries,
              std::string* err) {
  struct stat st;
  if (lstat(root.c_str(), &st) < 0) {
    if (errno == ENOENT) return true;
    *err = SystemError("lstat", root);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    *err = root + ": not a directory";
    return false;
  }
  // Sorting names level by level gives "a/x" before "a.b": the order is a
  // walk, which is all callers need (parents first, the same every time).
  return ListBelow(root, st, entries, err);
}

bool RemoveTree(const std::string& path, std::string* err) {
  struct stat st;
  if (lstat(path.c_str(), &st) < 0) {
    if (errno == ENOENT) return true;
    *err = SystemError("lstat", path);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    std::vector<std::string> names;
    if (!ReadDirectory(path, &names, err)) return false;
    for (const std::string& name : names) {
      if (!RemoveTree(path + "/" + name, err)) return false;
    }
    if (rmdir(path.c_str()) < 0 && errno != ENOENT) {
      *err = SystemError("rmdir", path);
      return false;
    }
    return true;
  }
  if (unlink(path.c_str()) < 0 && errno != ENOENT) {
    *err = SystemError("unlink", path);
    return false;
  }
  return true;
}

bool EmptyTree(const std::string& path, std::string* err) {
  struct stat st;
  if (lstat(path.c_str(), &st) < 0) {
    if (errno == ENOENT) return true;
    *err = SystemError("lstat", path);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) return RemoveTree(path, err);
  std::vector<std::string> names;
  if (!ReadDirectory(path, &names, err)) return false;
  for (const std::string& name : names) {
    if (!RemoveTree(path + "/" + name, err)) return false;
  }
  return true;
}

}  // namespace composer
