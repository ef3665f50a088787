#include "util/file_system.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>

namespace composer {

namespace {

// Closes a descriptor on every path out of a function.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

FileSystem::ReadStatus RealFileSystem::ReadFile(const std::string& path,
                                                std::string* contents, std::string* err) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = strerror(errno);
    return errno == ENOENT ? ReadStatus::kNotFound : ReadStatus::kOtherError;
  }
  FdCloser closer{fd};
  struct stat st;
  if (fstat(fd, &st) < 0) {
    *err = strerror(errno);
    return ReadStatus::kOtherError;
  }
  if (S_ISDIR(st.st_mode)) {
    *err = strerror(EISDIR);
    return ReadStatus::kOtherError;
  }
  contents->clear();
  // st_size is only a hint (pipes, /proc files); read until EOF.
  // One byte more than the size, so that the read meeting EOF needs no
  // second (zero-filled) allocation.
  size_t capacity = st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 4096;
  contents->resize(capacity);
  size_t used = 0;
  for (;;) {
    if (used == contents->size()) contents->resize(contents->size() * 2);
    const ssize_t n = read(fd, contents->data() + used, contents->size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = strerror(errno);
      contents->clear();
      return ReadStatus::kOtherError;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  contents->resize(used);
  return ReadStatus::kOkay;
}

FileStat RealFileSystem::Stat(const std::string& path, std::string* err) {
  FileStat result;
  struct stat st;
  if (stat(path.c_str(), &st) < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return result;
    *err = "stat(" + path + "): " + strerror(errno);
    result.kind = FileStat::kError;
    return result;
  }
  return FileStatOf(st);
}

FileStat FileStatOf(const struct stat& st) {
  FileStat result;
  result.kind = S_ISREG(st.st_mode)   ? FileStat::kFile
                : S_ISDIR(st.st_mode) ? FileStat::kDirectory
                                      : FileStat::kOther;
  result.mtime =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  // An mtime of exactly 0 (Flatpak sets it) would read as "missing".
  if (st.st_mtim.tv_sec == 0) result.mtime = 1;
  result.size = static_cast<uint64_t>(st.st_size);
  result.inode = static_cast<uint64_t>(st.st_ino);
  return result;
}

bool RealFileSystem::WriteFile(const std::string& path, const std::string& contents,
                               std::string* err) {
  const std::string temp = path + ".tmp." + std::to_string(getpid());
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    *err = "open(" + temp + "): " + strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = "write(" + temp + "): " + strerror(errno);
      close(fd);
      unlink(temp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) < 0) {
    *err = "close(" + temp + "): " + strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  if (rename(temp.c_str(), path.c_str()) < 0) {
    *err = "rename(" + temp + ", " + path + "): " + strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  return true;
}

bool RealFileSystem::MakeDirs(const std::string& path, std::string* err) {
  if (path.empty()) return true;
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return true;
    *err = "mkdir(" + path + "): " + strerror(EEXIST);
    return false;
  }
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    if (!MakeDirs(path.substr(0, slash), err)) return false;
  }
  if (mkdir(path.c_str(), 0777) < 0 && errno != EEXIST) {
    *err = "mkdir(" + path + "): " + strerror(errno);
    return false;
  }
  return true;
}

int RealFileSystem::RemoveFile(const std::string& path, std::string* err) {
  // remove(): files, and empty directories (as Ninja's clean expects).
  if (remove(path.c_str()) < 0) {
    if (errno == ENOENT) return 1;
    *err = "remove(" + path + "): " + strerror(errno);
    return -1;
  }
  return 0;
}

}  // namespace composer
