// The remote store (remote_store.h) behind the action cache's Store seam
// (store.h): what ActionCache consults after a local miss, and where it
// puts what a build produced when COMPOSER_REMOTE_CACHE_MODE=readwrite.
//
// Uploads never make the caller wait: blobs go out at once in the
// background; action entries are held back until Flush(), which first waits
// for the blobs, so a reader never finds an entry whose blobs were not
// uploaded (an upload that failed leaves an entry that reads as a miss).
//
// Downloads: when an action entry found remotely names several output
// blobs, they are all fetched at once (RemoteStore::GetMany) and kept until
// the GetBlob calls that follow (ActionCache::Lookup asks for them one by
// one); the next GetAction drops what was not asked for.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/remote_store.h"
#include "cache/store.h"

namespace composer {

class RemoteStoreAdapter : public Store {
 public:
  explicit RemoteStoreAdapter(std::unique_ptr<RemoteStore> remote);
  ~RemoteStoreAdapter() override;  // flushes

  // kError (remote down, breaker tripped, blob refused) is for the caller
  // a miss that it may count as an error.
  Result GetAction(const Digest& key, std::string* entry) override;
  Result GetBlob(const Digest& digest, std::string* data) override;
  // Queue uploads; true even in read mode (where nothing is sent).
  bool PutAction(const Digest& key, const std::string& entry, std::string* err) override;
  bool PutBlob(const Digest& digest, const std::string& data, std::string* err) override;

  // Uploads the held entries after the blobs; returns when all are done.
  void Flush();

  RemoteStore& remote() { return *remote_; }

  // A store from COMPOSER_REMOTE_CACHE*: null with *err empty when none is
  // configured, null with *err when the configuration is unusable.
  static std::unique_ptr<RemoteStoreAdapter> FromEnvironment(std::string* err);

 private:
  std::unique_ptr<RemoteStore> remote_;
  std::mutex mutex_;
  void Prefetch(const std::string& entry);

  std::vector<std::pair<std::string, std::string>> held_;  // hex, entry
  struct Fetched {
    Result result;
    std::string bytes;
  };
  std::unordered_map<std::string, Fetched> prefetched_;  // by hex
};

}  // namespace composer
