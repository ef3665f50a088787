// The file system as the rest of Composer sees it. Tests substitute an
// in-memory implementation (tests/support/virtual_file_system.h).
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace composer {

// What stat() tells about a path. mtime is in nanoseconds since the epoch.
struct FileStat {
  enum Kind : uint8_t { kMissing, kFile, kDirectory, kOther, kError };
  Kind kind = kMissing;
  int64_t mtime = 0;
  uint64_t size = 0;
  uint64_t inode = 0;
  bool exists() const { return kind == kFile || kind == kDirectory || kind == kOther; }
};

// A stat(2) result as a FileStat.
FileStat FileStatOf(const struct stat& st);

class FileSystem {
 public:
  enum class ReadStatus { kOkay, kNotFound, kOtherError };

  virtual ~FileSystem() = default;

  // Reads the whole of `path` into *contents. On failure *err holds the
  // system's description (e.g. "No such file or directory").
  virtual ReadStatus ReadFile(const std::string& path, std::string* contents,
                              std::string* err) = 0;

  // Stats `path`. A missing file is not an error; any other failure returns
  // kind kError with *err set to "stat(path): reason".
  virtual FileStat Stat(const std::string& path, std::string* err) = 0;
  // Whether Stat may be called from several threads at once.
  virtual bool ConcurrentStat() const { return false; }

  // Writes `contents` to `path` atomically (a temporary file renamed over it).
  virtual bool WriteFile(const std::string& path, const std::string& contents,
                         std::string* err) = 0;

  // Creates `path` and its parents as directories; true if they exist after.
  virtual bool MakeDirs(const std::string& path, std::string* err) = 0;

  // Removes a file: 0 on success, 1 if it did not exist, -1 on error.
  virtual int RemoveFile(const std::string& path, std::string* err) = 0;
};

class RealFileSystem : public FileSystem {
 public:
  ReadStatus ReadFile(const std::string& path, std::string* contents,
                      std::string* err) override;
  FileStat Stat(const std::string& path, std::string* err) override;
  bool ConcurrentStat() const override { return true; }
  bool WriteFile(const std::string& path, const std::string& contents,
                 std::string* err) override;
  bool MakeDirs(const std::string& path, std::string* err) override;
  int RemoveFile(const std::string& path, std::string* err) override;
};

}  // namespace composer
