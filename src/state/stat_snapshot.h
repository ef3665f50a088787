// .composer_stats: the stats a build took, with the watcher's token from
// just before it took them (COMPOSER_WATCH=1; see src/watch). The next
// build asks the watcher what changed since that token and reuses the
// stats of everything else instead of stat'ing it again.
//
// Fixed-size records, one per node, read with one copy: a node's id when
// written, its stat, and the xxh3-128 of its path, which checks the id
// (and finds the node by path when the ids moved). Rewritten whole and
// atomically (a temporary file renamed over it); a trailing checksum
// guards against a damaged file, which then loads as empty.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "util/file_system.h"
#include "util/hash.h"

namespace composer {

struct StatSnapshot {
  static constexpr uint32_t kVersion = 1;

  struct Entry {
    uint32_t node_hint = 0;  // the node's id when written: a guess, checked
    uint32_t kind = 0;       // FileStat::Kind
    int64_t mtime = 0;
    uint64_t size = 0;
    uint64_t inode = 0;
    Hash128 path_hash;

    FileStat stat() const {
      FileStat st;
      st.kind = static_cast<FileStat::Kind>(kind);
      st.mtime = mtime;
      st.size = size;
      st.inode = inode;
      return st;
    }
    static Entry Of(uint32_t node, const FileStat& st, Hash128 path_hash) {
      return Entry{node, st.kind, st.mtime, st.size, st.inode, path_hash};
    }
  };
  static_assert(sizeof(Entry) == 48 && std::is_trivially_copyable_v<Entry>);

  uint64_t instance = 0;  // the watcher's token
  uint64_t seq = 0;

  size_t size() const { return count_; }
  // Records are read in place from the loaded file (no second copy of a
  // file that holds every node of a large tree).
  Entry entry(size_t i) const {
    Entry e;
    memcpy(static_cast<void*>(&e), bytes_.data() + offset_ + i * sizeof(Entry), sizeof e);
    return e;
  }
  void Append(const Entry& e) {
    bytes_.append(reinterpret_cast<const char*>(&e), sizeof e);
    ++count_;
  }

 private:
  friend bool LoadStatSnapshot(FileSystem*, const std::string&, StatSnapshot*,
                               std::string*);
  friend bool SaveStatSnapshot(FileSystem*, const std::string&, const StatSnapshot&,
                               std::string*);
  std::string bytes_;  // the records, from offset_ on
  size_t offset_ = 0;
  size_t count_ = 0;
};

// A missing, damaged or other-version file loads as an empty snapshot and
// true; false with *err only for a read error.
bool LoadStatSnapshot(FileSystem* file_system, const std::string& path,
                      StatSnapshot* snapshot, std::string* err);
bool SaveStatSnapshot(FileSystem* file_system, const std::string& path,
                      const StatSnapshot& snapshot, std::string* err);

}  // namespace composer
