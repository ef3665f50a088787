// The remote half of the content cache: an HTTP client for the layout of
// Bazel's HTTP cache (bazel-remote and nginx WebDAV serve it):
//
//   GET/HEAD/PUT <url>/ac/<hex>    action entries (hex: the action key)
//   GET/HEAD/PUT <url>/cas/<hex>   content blobs  (hex: SHA-256 of the bytes)
//
// `hex` is always 64 lowercase hex digits (a SHA-256). A CAS blob is checked
// against its name when it arrives; an action entry cannot be, so its reader
// validates it (paths, sizes) before use.
//
// Failure behaviour: a remote that is down, slow, or answers with errors or
// garbage never fails a build. Each transfer has a connect timeout, a total
// timeout and a low-speed cutoff; 5xx, 408 and 429 answers and transport
// errors are retried with exponential backoff; 404 is a miss and never
// retried. When
// the remote is judged broken (a transport error or timeout after the
// retries, or `breaker_errors` errors of other kinds) a circuit breaker
// trips: ONE warning is printed, transfers in flight are abandoned and every
// later call returns kError at once, without touching the network, for the
// rest of the process (one build).
//
// The bearer token is sent as `Authorization: Bearer ...` and appears in no
// message, warning or error string; URLs in messages have any user:password@
// removed.
//
// Thread safety: every public method may be called from any thread. The
// transfers run on one background thread (started on first use) that owns a
// single libcurl multi handle, so connections are reused and up to
// `max_in_flight` transfers run at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace composer {

// Where and how to reach the remote store. FromEnvironment is the one place
// the COMPOSER_REMOTE_CACHE* variables are read.
struct RemoteStoreConfig {
  // http(s)://host[:port]/prefix without a trailing slash. Empty: no remote.
  std::string url;
  // COMPOSER_REMOTE_CACHE_MODE=readwrite. In read mode PutAsync does nothing.
  bool write = false;
  // The contents of COMPOSER_REMOTE_CACHE_TOKEN_FILE, whitespace trimmed.
  // Empty: no Authorization header.
  std::string token;
  // COMPOSER_REMOTE_CACHE_CA: a PEM bundle of CAs; empty: the system's.
  std::string ca_file;

  // Limits (not read from the environment; tests lower them).
  long connect_timeout_ms = 3000;
  long total_timeout_ms = 120000;  // per attempt, large blobs included
  long low_speed_bytes = 1024;     // abort an attempt slower than this ...
  long low_speed_seconds = 10;     // ... for this many seconds
  int max_retries = 2;             // after the first attempt
  long backoff_ms = 100;           // first retry's delay; doubles each time
  int max_in_flight = 16;
  int breaker_errors = 3;  // non-transport errors that trip the breaker
  uint64_t max_body_bytes = uint64_t{2} << 30;

  // Receives the one warning (without the "<program>: warning: " prefix).
  // Called on a thread calling Get, Contains, GetMany or Flush (never from
  // PutAsync, which a background thread may call, nor from the transfer
  // thread). Default: composer::Warning.
  std::function<void(const std::string&)> warn;

  // Reads COMPOSER_REMOTE_CACHE, _MODE, _TOKEN_FILE and _CA through
  // `getenv` (std::getenv when null). Returns true with config->url empty
  // when no remote is configured. False with *err (naming the variable, never
  // the token) when the configuration is unusable.
  static bool FromEnvironment(
      RemoteStoreConfig* config, std::string* err,
      const std::function<const char*(const char*)>& getenv = nullptr);

  // The URL as messages show it: no user:password@.
  std::string DisplayUrl() const;
};

class RemoteStore {
 public:
  enum class Kind { kAction, kBlob };  // <url>/ac/..., <url>/cas/...
  enum class Result { kHit, kMiss, kError };

  struct Stats {
    uint64_t hits = 0;     // GET or HEAD found it (and it verified)
    uint64_t misses = 0;   // 404
    uint64_t errors = 0;   // failed GET/HEAD, refused blobs, and calls after the breaker
    uint64_t uploads = 0;  // PUTs the server accepted
    uint64_t entries_uploaded = 0;  // of which action entries (one per result)
    uint64_t upload_errors = 0;
    uint64_t retries = 0;
    uint64_t bytes_down = 0;
    uint64_t bytes_up = 0;
    bool disabled = false;  // the breaker tripped
  };

  // One request of a batch.
  struct Fetch {
    Kind kind = Kind::kBlob;
    std::string hex;
    Result result = Result::kError;
    std::string bytes;  // the body on kHit
    std::string error;  // on kError: what went wrong, naming the URL
  };

  virtual ~RemoteStore() = default;

  // Downloads one entry. kHit fills *bytes (a CAS blob has been verified);
  // kMiss: the server does not have it; kError: anything else (*err says
  // what, if err is not null).
  virtual Result Get(Kind kind, std::string_view hex, std::string* bytes,
                     std::string* err = nullptr) = 0;

  // HEAD: whether the server has it, without the body.
  virtual Result Contains(Kind kind, std::string_view hex,
                          std::string* err = nullptr) = 0;

  // Downloads several entries at once (up to max_in_flight transfers in
  // flight); returns when all are done. Fills each Fetch's result, bytes and
  // error.
  virtual void GetMany(std::vector<Fetch>* fetches) = 0;

  // Queues an upload and returns; it runs in the background. Does nothing in
  // read mode, after the breaker tripped, or for a body over max_body_bytes.
  virtual void PutAsync(Kind kind, std::string_view hex, std::string bytes) = 0;

  // Waits until every queued upload has finished (bounded by the timeouts).
  virtual void Flush() = 0;

  virtual Stats GetStats() const = 0;
  virtual bool writable() const = 0;
  virtual const RemoteStoreConfig& config() const = 0;
};

// An HTTP store for config.url (which must not be empty). Cheap to create:
// no thread, connection or request until the first call.
std::unique_ptr<RemoteStore> NewHttpRemoteStore(RemoteStoreConfig config);

// Lowercase hex SHA-256 of `bytes` (OpenSSL EVP).
std::string Sha256Hex(std::string_view bytes);

// True when `hex` is 64 lowercase hex digits.
bool IsSha256Hex(std::string_view hex);

}  // namespace composer
