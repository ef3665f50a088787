#include "exec/output_stamp.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cache/sha256.h"
#include "util/file_tree.h"

namespace composer {

namespace {

bool ReadWholeFile(const std::string& path, std::string* data, std::string* err) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = "open(" + path + "): " + strerror(errno);
    return false;
  }
  data->clear();
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *err = "read(" + path + "): " + strerror(errno);
      close(fd);
      return false;
    }
    if (n == 0) break;
    data->append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return true;
}

}  // namespace

bool DescribeOutputDirs(const std::vector<std::string>& dirs, std::string* listing,
                        std::string* err) {
  std::vector<TreeEntry> entries;
  for (const std::string& dir : dirs) {
    if (!ListTree(dir, &entries, err)) return false;
  }
  *listing = "# composer output directories 1\n";
  std::string data;
  char mode[16];
  for (const TreeEntry& entry : entries) {
    snprintf(mode, sizeof mode, "%o", entry.mode);
    switch (entry.kind) {
      case TreeEntry::Kind::kDirectory:
        *listing += "dir ";
        *listing += mode;
        break;
      case TreeEntry::Kind::kFile:
        if (!ReadWholeFile(entry.path, &data, err)) return false;
        *listing += "file ";
        *listing += mode;
        *listing += " " + std::to_string(data.size()) + " " + Sha256Of(data).Hex();
        break;
      case TreeEntry::Kind::kSymlink:
        *listing += "link " + Sha256Of(entry.link_target).Hex();
        break;
    }
    *listing += " " + entry.path + "\n";
  }
  return true;
}

}  // namespace composer
