#include "support/virtual_file_system.h"

namespace composer {

void VirtualFileSystem::Create(const std::string& path, const std::string& contents) {
  Entry& entry = files[path];
  entry.mtime = now_;
  entry.contents = contents;
}

FileSystem::ReadStatus VirtualFileSystem::ReadFile(const std::string& path,
                                                   std::string* contents, std::string* err) {
  files_read.push_back(path);
  auto it = files.find(path);
  if (it == files.end()) {
    *err = "No such file or directory";
    return ReadStatus::kNotFound;
  }
  if (!it->second.read_error.empty()) {
    *err = it->second.read_error;
    return ReadStatus::kOtherError;
  }
  *contents = it->second.contents;
  return ReadStatus::kOkay;
}

FileStat VirtualFileSystem::Stat(const std::string& path, std::string* err) {
  FileStat result;
  if (directories_made.count(path)) {
    result.kind = FileStat::kDirectory;
    return result;
  }
  auto it = files.find(path);
  if (it == files.end()) return result;
  if (!it->second.stat_error.empty()) {
    *err = it->second.stat_error;
    result.kind = FileStat::kError;
    return result;
  }
  result.kind = FileStat::kFile;
  result.mtime = it->second.mtime;
  result.size = it->second.contents.size();
  return result;
}

bool VirtualFileSystem::WriteFile(const std::string& path, const std::string& contents,
                                  std::string*) {
  Create(path, contents);
  return true;
}

bool VirtualFileSystem::MakeDirs(const std::string& path, std::string*) {
  directories_made.insert(path);
  return true;
}

int VirtualFileSystem::RemoveFile(const std::string& path, std::string*) {
  files_removed.push_back(path);
  return files.erase(path) ? 0 : 1;
}

}  // namespace composer
