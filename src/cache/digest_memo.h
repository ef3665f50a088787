// SHA-256 digests of files, memoised by (size, mtime, inode) so a file is
// hashed once per change: the cache's sibling of .composer_db (whose xxh3
// fingerprints stay the local change detector). Kept in
// <builddir>/.composer_digests: a magic, a version, then append-only records
// (path, size, mtime, inode, digest); the last record of a path wins, a torn
// tail is cut off on load, and the file is rewritten when mostly superseded.
//
// A file whose mtime is within a second of when it was hashed is memoised
// for this process only: a second write in the same timestamp tick could
// otherwise hide behind an unchanged stat.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "cache/sha256.h"

namespace composer {

class DigestMemo {
 public:
  static constexpr uint32_t kVersion = 1;

  DigestMemo() = default;
  ~DigestMemo();
  DigestMemo(const DigestMemo&) = delete;
  DigestMemo& operator=(const DigestMemo&) = delete;

  // Loads `path` (a missing file is an empty memo) and keeps it for
  // appending. An empty path keeps everything in memory.
  bool Open(const std::string& path, std::string* err);
  void Close();

  // The digest of `path`'s content. False with *err when it cannot be
  // stat'ed or read; *missing is set (and true returned) when it does not
  // exist.
  bool Get(const std::string& path, Digest* digest, bool* missing, std::string* err);

  uint32_t files_hashed = 0;

 private:
  struct Entry {
    uint64_t size = 0;
    int64_t mtime = 0;
    uint64_t inode = 0;
    Digest digest;
    bool persisted = false;
  };
  bool Append(const std::string& path, const Entry& entry);
  bool Rewrite(std::string* err);

  std::unordered_map<std::string, Entry> entries_;
  std::string path_;
  FILE* file_ = nullptr;
  uint64_t records_ = 0;
};

}  // namespace composer
