// SHA-256 (OpenSSL's EVP) for everything the cache shares: action keys and
// blob names. Digests are 32 raw bytes; Hex() gives the 64-digit names used
// on disk and on the wire.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace composer {

struct Digest {
  std::array<uint8_t, 32> bytes{};
  bool operator==(const Digest&) const = default;
  std::string Hex() const;
  // False unless `hex` is 64 hex digits.
  static bool FromHex(std::string_view hex, Digest* digest);
};

// Incremental SHA-256. Strings are added with their length first, so two
// different sequences of fields never hash alike.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  void AddField(std::string_view data);  // length, then bytes
  void AddU64(uint64_t value);
  void AddDigest(const Digest& digest) {
    Update(digest.bytes.data(), digest.bytes.size());
  }
  Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

Digest Sha256Of(std::string_view data);

// The digest of a file's bytes, read in chunks. False with *err naming the
// path when it cannot be read.
bool Sha256File(const std::string& path, Digest* digest, std::string* err);

}  // namespace composer
