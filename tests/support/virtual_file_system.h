// An in-memory file system with a settable clock, for unit tests of the
// parser, graph and build logic (as Ninja's VirtualFileSystem).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "util/file_system.h"

namespace composer {

class VirtualFileSystem : public FileSystem {
 public:
  // Creates (or overwrites) a file, stamped with the current time.
  void Create(const std::string& path, const std::string& contents);
  // Advances the clock; returns the new time.
  int64_t Tick() { return ++now_; }
  int64_t now() const { return now_; }

  ReadStatus ReadFile(const std::string& path, std::string* contents,
                      std::string* err) override;
  FileStat Stat(const std::string& path, std::string* err) override;
  bool WriteFile(const std::string& path, const std::string& contents,
                 std::string* err) override;
  bool MakeDirs(const std::string& path, std::string* err) override;
  int RemoveFile(const std::string& path, std::string* err) override;

  struct Entry {
    int64_t mtime = 0;
    std::string contents;
    std::string stat_error;  // when set, Stat fails with this message
    std::string read_error;  // when set, ReadFile fails with this message
  };
  std::map<std::string, Entry> files;
  std::set<std::string> directories_made;
  std::vector<std::string> files_read;
  std::vector<std::string> files_removed;

 private:
  int64_t now_ = 1;
};

}  // namespace composer
