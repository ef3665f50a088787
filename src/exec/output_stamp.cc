#include "exec/output_stamp.h"

#include <cstdio>

#include "cache/sha256.h"
#include "util/file_system.h"
#include "util/file_tree.h"

namespace composer {

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
      case TreeEntry::Kind::kFile: {
        std::string read_err;
        if (RealFileSystem().ReadFile(entry.path, &data, &read_err) !=
            FileSystem::ReadStatus::kOkay) {
          *err = entry.path + ": " + read_err;
          return false;
        }
        *listing += "file ";
        *listing += mode;
        *listing += " " + std::to_string(data.size()) + " " + Sha256Of(data).Hex();
        break;
      }
      case TreeEntry::Kind::kSymlink:
        *listing += "link " + Sha256Of(entry.link_target).Hex();
        break;
    }
    *listing += " " + entry.path + "\n";
  }
  return true;
}

}  // namespace composer
