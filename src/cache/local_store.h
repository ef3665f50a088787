// The local store: a directory shared by every composer process of a user.
//
//   <dir>/ac/<h0h1>/<hex>    action entries: SHA-256 of the payload, payload
//   <dir>/cas/<h0h1>/<hex>   blobs: zstd frames of the bytes whose SHA-256 is <hex>
//
// Every write goes to a temporary file in the same directory, renamed into
// place, so readers (and other writers) see a whole file or none. Every read
// is verified; a damaged file is deleted, counted, warned about once, and
// reported as a miss. A hit touches the file (mtime), which garbage
// collection reads as "last used".
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "cache/store.h"

namespace composer {

struct LocalStoreConfig {
  std::string dir;
  uint64_t max_size_bytes = uint64_t{5120} << 20;  // 0: no limit
  int64_t ttl_seconds = 0;                         // 0: no age limit
  int compression_level = 1;
};

class LocalStore : public Store {
 public:
  explicit LocalStore(const LocalStoreConfig& config) : config_(config) {}

  Result GetAction(const Digest& key, std::string* entry) override;
  bool PutAction(const Digest& key, const std::string& entry, std::string* err) override;
  Result GetBlob(const Digest& digest, std::string* data) override;
  bool PutBlob(const Digest& digest, const std::string& data, std::string* err) override;

  struct Usage {
    uint64_t entries = 0, entry_bytes = 0;
    uint64_t blobs = 0, blob_bytes = 0;
    uint64_t bytes() const { return entry_bytes + blob_bytes; }
  };
  // What is stored now (a walk of the directory).
  Usage Measure() const;

  struct GcReport {
    uint64_t removed_files = 0, removed_bytes = 0;
    Usage after;
  };
  // Removes temporary files left by dead writers, files older than the TTL,
  // then the least recently used files until the store fits max_size_bytes.
  GcReport CollectGarbage(int64_t now_seconds);

  struct VerifyReport {
    uint64_t checked = 0, damaged = 0;
  };
  // Reads and checks every file, deleting the damaged ones.
  VerifyReport Verify();

  // Removes every entry and blob.
  bool Clear(std::string* err);

  const LocalStoreConfig& config() const { return config_; }
  // Damaged files found (and deleted) by this process.
  uint64_t damaged() const { return damaged_.load(); }

  // The file holding an entry or a blob (tests damage them).
  std::string ActionPath(const Digest& key) const;
  std::string BlobPath(const Digest& digest) const;

 private:
  bool WriteAtomically(const std::string& path, const std::string& data,
                       std::string* err);
  void Damaged(const std::string& path, const char* what);

  LocalStoreConfig config_;
  std::atomic<uint64_t> damaged_{0};
  std::atomic<bool> warned_{false};
};

// Encodes/decodes the zstd frame a blob is stored as.
bool Compress(const std::string& data, int level, std::string* out);
bool Decompress(const std::string& frame, std::string* out);

}  // namespace composer
