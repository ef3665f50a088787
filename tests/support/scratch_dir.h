// A fresh directory under /tmp for a unit test that needs real files,
// removed with everything in it when the test ends; and whole-file reads
// and writes for the test's own checks.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace composer {

class ScratchDir {
 public:
  // Creates /tmp/composer-<name>-XXXXXX; a test fails (ADD_FAILURE) if it
  // cannot.
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The bytes of `path` ("" when it cannot be read).
std::string ReadBytes(const std::string& path);
// Replaces `path` with `contents`.
void WriteBytes(const std::string& path, const std::string& contents);
// Writes each (relative path, contents) below `root`, creating parents.
void WriteTree(const std::string& root,
               const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace composer
