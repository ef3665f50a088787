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
//
// Within a build, a file's stat is taken again only when something may have
// changed it: each path is stat'ed once per epoch, and the builder starts a
// new epoch whenever a command has run (commands may write anything) and
// invalidates the outputs it restores from the cache (restores write only
// those). A warm rebuild therefore stats each shared header once, not once
// per edge that includes it. Edits from outside the build while it runs are
// caught elsewhere: the build log records the inputs' times as of the start
// (so the next build reruns the edge), and a result is stored only if its
// declared inputs still have the content its key was made from (Get with
// `fresh`).
#pragma once

#include <sys/stat.h>

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
  // exist. `fresh` stats the file even if it was stat'ed in this epoch.
  bool Get(const std::string& path, Digest* digest, bool* missing, std::string* err,
           bool fresh = false);

  // Files may have changed anywhere: stat each again at its next use.
  void NewEpoch() { ++epoch_; }
  // `path` may have changed: stat it again at its next use.
  void Invalidate(const std::string& path);
  // `path` was just written, with this stat and content, by this process.
  void Remember(const std::string& path, const struct stat& st, const Digest& digest);

  uint32_t files_hashed = 0;

 private:
  struct Entry {
    uint64_t size = 0;
    int64_t mtime = 0;
    uint64_t inode = 0;
    Digest digest;
    bool persisted = false;
    bool missing = false;        // the file did not exist at the last stat
    uint64_t checked_epoch = 0;  // when the stat above was taken; 0: never
  };
  bool Append(const std::string& path, const Entry& entry);
  bool Rewrite(std::string* err);

  std::unordered_map<std::string, Entry> entries_;
  std::string path_;
  FILE* file_ = nullptr;
  uint64_t records_ = 0;
  uint64_t epoch_ = 1;
};

}  // namespace composer
