// What the action cache needs from a store: action entries under their key
// (ac/) and content blobs under the SHA-256 of their bytes (cas/). The local
// store is one implementation; a remote one can be put behind the same seam
// (ActionCache takes an optional second Store, consulted after the local one).
#pragma once

#include <string>

#include "cache/sha256.h"

namespace composer {

class Store {
 public:
  enum class Result { kHit, kMiss, kError };

  virtual ~Store() = default;

  // An action entry's bytes. kMiss when absent or found damaged (the store
  // drops damaged ones itself).
  virtual Result GetAction(const Digest& key, std::string* entry) = 0;
  virtual bool PutAction(const Digest& key, const std::string& entry,
                         std::string* err) = 0;

  // A blob's uncompressed bytes, verified against `digest`.
  virtual Result GetBlob(const Digest& digest, std::string* data) = 0;
  virtual bool PutBlob(const Digest& digest, const std::string& data,
                       std::string* err) = 0;
};

}  // namespace composer
