// Ninja's .ninja_log: for every output, when its command last ran, the
// output's mtime afterwards, and a hash of the command line. Text, one line
// per record, appended as commands finish; the last record for an output
// wins. Versions 5 and 6 (MurmurHash64A) and 7 (rapidhash) are read; Composer
// keeps writing the version it found, so the Ninja that wrote it can still
// read it (see doc/formats.md).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "util/interner.h"

namespace composer {

enum class LoadStatus { kSuccess, kNotFound, kError };

class BuildLog {
 public:
  struct Entry {
    uint64_t command_hash = 0;
    int32_t start_time = 0;  // milliseconds since the start of its build
    int32_t end_time = 0;
    int64_t mtime = 0;  // the output's mtime (or restat mtime) afterwards
  };

  static constexpr int kOldestSupportedVersion = 4;

  static constexpr int kNewestSupportedVersion = 7;
  // The version written to a new log. Debian's ninja (1.11) reads only
  // murmur-hashed logs; COMPOSER_NINJA_LOG_VERSION=7 selects rapidhash.
  static int DefaultVersion();

  ~BuildLog();

  // Reads the log. A version Composer cannot read is discarded with a
  // warning in *err (status kSuccess), as Ninja does; a torn last line is
  // ignored.
  LoadStatus Load(const std::string& path, std::string* err);

  // Entries by output node; call after Load. Nodes the graph gains later
  // (dyndep outputs, discovered inputs) are looked up by path.
  void BindToGraph(const Graph& graph);
  const Entry* Lookup(NodeId output) const;
  const Entry* Lookup(std::string_view path) const;

  int version() const { return version_; }
  uint64_t HashCommand(std::string_view command) const;

  // Opens the log for appending (rewriting it first when it has grown too
  // redundant or is an old version). `is_dead` says whether a recorded
  // output is gone from the manifest and from the disk.
  bool OpenForWrite(const std::string& path,
                    const std::function<bool(std::string_view)>& is_dead,
                    std::string* err);
  bool RecordCommand(const Graph& graph, std::span<const NodeId> outputs,
                     uint64_t command_hash, int32_t start, int32_t end, int64_t mtime,
                     std::string* err);
  void Close();

  // Rewrites the log with one line per live output (atomically).
  bool Recompact(const std::string& path,
                 const std::function<bool(std::string_view)>& is_dead, std::string* err);
  // Updates the mtime of the named outputs (all when empty) from the disk
  // and rewrites the log.
  bool Restat(const std::string& path,
              const std::function<int64_t(std::string_view)>& stat,
              const std::vector<std::string>& outputs, std::string* err);

  // Every output with an entry, in load order (for cleandead and restat).
  uint32_t size() const { return paths_.size(); }
  std::string_view path(uint32_t index) const { return paths_.Get(index); }
  const Entry& entry(uint32_t index) const { return entries_[index]; }

 private:
  bool WriteEntry(FILE* file, std::string_view path, const Entry& entry);
  Entry* Upsert(std::string_view path);

  int version_ = 0;  // of the file on disk (or to be written)
  bool needs_recompaction_ = false;
  Interner paths_;  // entry index = path id
  std::vector<Entry> entries_;
  std::vector<uint32_t> entry_by_node_;
  const Graph* graph_ = nullptr;  // the one bound to
  uint32_t bound_nodes_ = 0;      // its node count then
  std::string path_;
  FILE* file_ = nullptr;
};

}  // namespace composer
