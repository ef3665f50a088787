#include "cache/remote_store.h"

#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "util/log.h"

namespace composer {

// --- hashing -------------------------------------------------------------------

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char kDigits[] = "0123456789abcdef";
  std::string hex(size_t{len} * 2, '0');
  for (unsigned int i = 0; i < len; ++i) {
    hex[2 * i] = kDigits[md[i] >> 4];
    hex[2 * i + 1] = kDigits[md[i] & 15];
  }
  return hex;
}

bool IsSha256Hex(std::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// --- configuration -----------------------------------------------------------------

namespace {

std::string_view Trim(std::string_view s) {
  const char* space = " \t\r\n\f\v";
  size_t begin = s.find_first_not_of(space);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(space);
  return s.substr(begin, end - begin + 1);
}

// The URL without user:password@ in its authority.
std::string StripUserinfo(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t end = url.find('/', start);
  std::string_view authority =
      url.substr(start, end == std::string_view::npos ? end : end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, start));
  out += url.substr(start + at + 1);
  return out;
}

bool CheckUrl(std::string_view url, std::string* err) {
  std::string shown = StripUserinfo(url);
  std::string_view rest;
  if (url.starts_with("http://"))
    rest = url.substr(7);
  else if (url.starts_with("https://"))
    rest = url.substr(8);
  else {
    *err = "COMPOSER_REMOTE_CACHE=" + shown +
           ": expected http://host[:port]/prefix or https://...";
    return false;
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '?' || c == '#') {
      *err = "COMPOSER_REMOTE_CACHE=" + shown +
             ": no spaces, control characters, query or fragment allowed";
      return false;
    }
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.empty() || authority.front() == ':') {
    *err = "COMPOSER_REMOTE_CACHE=" + shown + ": no host";
    return false;
  }
  return true;
}

}  // namespace

bool RemoteStoreConfig::FromEnvironment(
    RemoteStoreConfig* config, std::string* err,
    const std::function<const char*(const char*)>& getenv) {
  auto get = [&](const char* name) -> std::string {
    const char* value = getenv ? getenv(name) : std::getenv(name);
    return value ? value : "";
  };
  config->url.clear();
  std::string url = get("COMPOSER_REMOTE_CACHE");
  if (url.empty()) return true;
  if (!CheckUrl(url, err)) return false;
  while (!url.empty() && url.back() == '/') url.pop_back();

  std::string mode = get("COMPOSER_REMOTE_CACHE_MODE");
  if (mode.empty() || mode == "read") {
    config->write = false;
  } else if (mode == "readwrite") {
    config->write = true;
  } else {
    *err = "COMPOSER_REMOTE_CACHE_MODE=" + mode + ": expected read or readwrite";
    return false;
  }

  std::string token_file = get("COMPOSER_REMOTE_CACHE_TOKEN_FILE");
  config->token.clear();
  if (!token_file.empty()) {
    std::ifstream in(token_file, std::ios::binary);
    if (!in) {
      *err =
          "COMPOSER_REMOTE_CACHE_TOKEN_FILE=" + token_file + ": " + std::strerror(errno);
      return false;
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    std::string_view token = Trim(contents.view());
    if (token.empty()) {
      *err = "COMPOSER_REMOTE_CACHE_TOKEN_FILE=" + token_file + ": the file is empty";
      return false;
    }
    for (char c : token) {
      if (static_cast<unsigned char>(c) <= 0x20 ||
          static_cast<unsigned char>(c) >= 0x7f) {
        // Would break or inject into the header; the content is not shown.
        *err = "COMPOSER_REMOTE_CACHE_TOKEN_FILE=" + token_file +
               ": the token has spaces, control or non-ASCII characters";
        return false;
      }
    }
    config->token = std::string(token);
  }

  config->ca_file = get("COMPOSER_REMOTE_CACHE_CA");
  if (!config->ca_file.empty() && access(config->ca_file.c_str(), R_OK) != 0) {
    *err = "COMPOSER_REMOTE_CACHE_CA=" + config->ca_file + ": " + std::strerror(errno);
    return false;
  }
  config->url = url;
  return true;
}

std::string RemoteStoreConfig::DisplayUrl() const {
  return StripUserinfo(url);
}

// --- the HTTP store ------------------------------------------------------------------

namespace {

using Clock = std::chrono::steady_clock;
using Kind = RemoteStore::Kind;
using Result = RemoteStore::Result;

enum class Method { kGet, kHead, kPut };

const char* MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPut:
      return "PUT";
  }
  return "?";
}

// How a finished attempt counts.
enum class Outcome {
  kDone,       // hit, miss, or a successful upload
  kRetry,      // 5xx or a transport error: try again if attempts remain
  kError,      // counts toward breaker_errors
  kFatal,      // trips the breaker at once (the remote is unusable)
  kTransport,  // a transport error that trips the breaker if it persists
};

struct Transfer {
  Method method = Method::kGet;
  Kind kind = Kind::kBlob;
  std::string hex;
  std::string url;
  std::string body;  // the upload, or what arrived
  size_t put_offset = 0;
  int attempt = 0;
  Clock::time_point not_before;
  bool too_big = false;
  uint64_t max_body = 0;
  char curl_error[CURL_ERROR_SIZE] = {};

  // Written by the transfer thread under the store's mutex.
  bool done = false;
  Result result = Result::kError;
  std::string error;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->body.size() + n > t->max_body) {
    t->too_big = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = std::min(size * count, t->body.size() - t->put_offset);
  std::memcpy(buffer, t->body.data() + t->put_offset, n);
  t->put_offset += n;
  return n;
}

int SeekBody(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > t->body.size())
    return CURL_SEEKFUNC_CANTSEEK;
  t->put_offset = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// Sockets are not inherited by the build's commands (a command holding one
// would keep a connection open after composer has gone).
curl_socket_t OpenSocket(void*, curlsocktype, curl_sockaddr* address) {
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// The process's open descriptors, sorted.
std::vector<int> OpenDescriptors() {
  std::vector<int> fds;
  if (DIR* dir = opendir("/proc/self/fd")) {
    int own = dirfd(dir);
    while (dirent* entry = readdir(dir)) {
      char* end;
      long fd = std::strtol(entry->d_name, &end, 10);
      if (*end == '\0' && end != entry->d_name && fd != own) fds.push_back(int(fd));
    }
    closedir(dir);
  }
  std::sort(fds.begin(), fds.end());
  return fds;
}

bool IsTransportError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

class HttpRemoteStore final : public RemoteStore {
 public:
  explicit HttpRemoteStore(RemoteStoreConfig config) : config_(std::move(config)) {
    if (!config_.warn)
      config_.warn = [](const std::string& message) { Warning("%s", message.c_str()); };
    if (config_.max_in_flight < 1) config_.max_in_flight = 1;
    // No "Expect: 100-continue" round trip before a PUT body.
    headers_ = curl_slist_append(headers_, "Expect:");
    if (!config_.token.empty())
      headers_ =
          curl_slist_append(headers_, ("Authorization: Bearer " + config_.token).c_str());
  }

  ~HttpRemoteStore() override {
    Flush();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    if (thread_.joinable()) {
      curl_multi_wakeup(multi_);
      thread_.join();
    }
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
    if (multi_) curl_multi_cleanup(multi_);
    curl_slist_free_all(headers_);
  }

  Result Get(Kind kind, std::string_view hex, std::string* bytes,
             std::string* err) override {
    std::vector<Fetch> fetches(1);
    fetches[0].kind = kind;
    fetches[0].hex = std::string(hex);
    GetMany(&fetches);
    if (fetches[0].result == Result::kHit) *bytes = std::move(fetches[0].bytes);
    if (err) *err = std::move(fetches[0].error);
    return fetches[0].result;
  }

  Result Contains(Kind kind, std::string_view hex, std::string* err) override {
    std::shared_ptr<Transfer> t;
    std::string error;
    if (!Prepare(Method::kHead, kind, hex, &t, &error)) {
      EmitWarning();
      if (err) *err = std::move(error);
      return Result::kError;
    }
    Submit({t});
    Wait({t});
    EmitWarning();
    if (err) *err = std::move(t->error);
    return t->result;
  }

  void GetMany(std::vector<Fetch>* fetches) override {
    std::vector<std::shared_ptr<Transfer>> transfers(fetches->size());
    std::vector<std::shared_ptr<Transfer>> submitted;
    for (size_t i = 0; i < fetches->size(); ++i) {
      Fetch& f = (*fetches)[i];
      f.bytes.clear();
      f.error.clear();
      if (!Prepare(Method::kGet, f.kind, f.hex, &transfers[i], &f.error))
        f.result = Result::kError;
      else
        submitted.push_back(transfers[i]);
    }
    Submit(submitted);
    Wait(submitted);
    for (size_t i = 0; i < fetches->size(); ++i) {
      if (!transfers[i]) continue;
      Fetch& f = (*fetches)[i];
      f.result = transfers[i]->result;
      f.error = std::move(transfers[i]->error);
      if (f.result == Result::kHit) f.bytes = std::move(transfers[i]->body);
    }
    EmitWarning();
  }

  void PutAsync(Kind kind, std::string_view hex, std::string bytes) override {
    if (!config_.write) return;
    if (bytes.size() > config_.max_body_bytes) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.upload_errors;
      return;
    }
    std::shared_ptr<Transfer> t;
    std::string error;
    if (!Prepare(Method::kPut, kind, hex, &t, &error)) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.upload_errors;
      return;
    }
    t->body = std::move(bytes);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++pending_puts_;
    }
    Submit({t});
    // No EmitWarning here: uploads may be queued from a background thread.
  }

  void Flush() override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return pending_puts_ == 0; });
    }
    EmitWarning();
  }

  Stats GetStats() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }
  bool writable() const override { return config_.write; }
  const RemoteStoreConfig& config() const override { return config_; }

 private:
  std::string UrlFor(Kind kind, std::string_view hex) const {
    std::string url = config_.url;
    url += kind == Kind::kAction ? "/ac/" : "/cas/";
    url += hex;
    return url;
  }
  std::string Shown(const Transfer& t) const {
    std::string s = MethodName(t.method);
    s += ' ';
    s += StripUserinfo(t.url);
    return s;
  }

  // A transfer ready to submit, or false with *err when the request is
  // refused before any network (bad name, breaker tripped).
  bool Prepare(Method method, Kind kind, std::string_view hex,
               std::shared_ptr<Transfer>* out, std::string* err) {
    if (!IsSha256Hex(hex)) {
      *err = "remote cache " + config_.DisplayUrl() + ": '" +
             std::string(hex.substr(0, 80)) + "' is not a SHA-256 in hex";
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.errors;
      return false;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (tripped_) {
        if (method == Method::kPut)
          ++stats_.upload_errors;
        else
          ++stats_.errors;
        *err = "remote cache " + config_.DisplayUrl() + ": disabled after earlier errors";
        return false;
      }
    }
    auto t = std::make_shared<Transfer>();
    t->method = method;
    t->kind = kind;
    t->hex = std::string(hex);
    t->url = UrlFor(kind, hex);
    t->max_body = config_.max_body_bytes;
    *out = std::move(t);
    return true;
  }

  void EnsureStarted() {
    std::call_once(started_, [&] {
      // libcurl's wakeup socketpair has no FD_CLOEXEC: set it on the
      // descriptors curl_multi_init opens (only the calling thread opens
      // descriptors here: the builder's, before any other use of the store).
      std::vector<int> before = OpenDescriptors();
      multi_ = curl_multi_init();
      for (int fd : OpenDescriptors()) {
        if (!std::binary_search(before.begin(), before.end(), fd))
          fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
      }
      curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                        long{config_.max_in_flight});
      // The thread starts with every signal blocked, so SIGINT, SIGCHLD and
      // the like keep going to the builder's thread (which waits for them
      // in ppoll).
      sigset_t all, old;
      sigfillset(&all);
      pthread_sigmask(SIG_SETMASK, &all, &old);
      thread_ = std::thread([this] { Run(); });
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
    });
  }

  void Submit(const std::vector<std::shared_ptr<Transfer>>& transfers) {
    if (transfers.empty()) return;
    EnsureStarted();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const auto& t : transfers) incoming_.push_back(t);
    }
    curl_multi_wakeup(multi_);
  }

  void Wait(const std::vector<std::shared_ptr<Transfer>>& transfers) {
    std::unique_lock<std::mutex> lock(mutex_);
    for (const auto& t : transfers) cv_.wait(lock, [&] { return t->done; });
  }

  // Prints the breaker's warning, once, on a caller's thread.
  void EmitWarning() {
    std::string message;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (warning_.empty() || warned_) return;
      warned_ = true;
      message = warning_;
    }
    config_.warn(message);
  }

  // --- the transfer thread ---

  void Run() {
    std::deque<std::shared_ptr<Transfer>> waiting;  // not yet started
    std::unordered_map<CURL*, std::shared_ptr<Transfer>> active;
    for (;;) {
      bool tripped;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stop_) break;
        for (auto& t : incoming_) waiting.push_back(std::move(t));
        incoming_.clear();
        tripped = tripped_;
      }
      if (tripped) {
        Abandon(&waiting, &active);
      } else {
        Clock::time_point now = Clock::now();
        for (auto it = waiting.begin();
             it != waiting.end() && active.size() < size_t(config_.max_in_flight);) {
          if ((*it)->not_before > now) {
            ++it;
            continue;
          }
          CURL* easy = Start(**it);
          active.emplace(easy, std::move(*it));
          it = waiting.erase(it);
        }
      }

      int running = 0;
      curl_multi_perform(multi_, &running);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        auto it = active.find(easy);
        curl_multi_remove_handle(multi_, easy);
        idle_.push_back(easy);
        if (it == active.end()) continue;
        std::shared_ptr<Transfer> t = std::move(it->second);
        active.erase(it);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        Finished(std::move(t), code, status, &waiting);
      }

      // Sleep until a socket is ready, curl wants a timeout, a delayed retry
      // is due, or a caller submitted work.
      long wait_ms = 1000;
      long curl_ms = -1;
      curl_multi_timeout(multi_, &curl_ms);
      if (curl_ms >= 0) wait_ms = std::min(wait_ms, curl_ms);
      Clock::time_point now = Clock::now();
      for (const auto& t : waiting) {
        if (active.size() >= size_t(config_.max_in_flight)) break;
        auto due =
            std::chrono::duration_cast<std::chrono::milliseconds>(t->not_before - now);
        wait_ms = std::min<long>(wait_ms, std::max<long>(0, due.count()));
      }
      if (wait_ms > 0)
        curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_ms), nullptr);
    }
    Abandon(&waiting, &active);
  }

  CURL* Start(Transfer& t) {
    CURL* easy;
    if (!idle_.empty()) {
      easy = idle_.back();
      idle_.pop_back();
      curl_easy_reset(easy);
    } else {
      easy = curl_easy_init();
    }
    t.body.resize(t.method == Method::kPut ? t.body.size() : 0);
    t.put_offset = 0;
    t.too_big = false;
    t.curl_error[0] = '\0';
    curl_easy_setopt(easy, CURLOPT_URL, t.url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.curl_error);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "composer");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, config_.connect_timeout_ms);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, config_.total_timeout_ms);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, config_.low_speed_bytes);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, config_.low_speed_seconds);
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(config_.max_body_bytes));
    if (!config_.ca_file.empty())
      curl_easy_setopt(easy, CURLOPT_CAINFO, config_.ca_file.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    switch (t.method) {
      case Method::kGet:
        break;
      case Method::kHead:
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
        break;
      case Method::kPut:
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, ReadBody);
        curl_easy_setopt(easy, CURLOPT_READDATA, &t);
        curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, SeekBody);
        curl_easy_setopt(easy, CURLOPT_SEEKDATA, &t);
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(t.body.size()));
        break;
    }
    curl_multi_add_handle(multi_, easy);
    return easy;
  }

  // Classifies a finished attempt: retries it, completes it, or trips the
  // breaker.
  void Finished(std::shared_ptr<Transfer> t, CURLcode code, long status,
                std::deque<std::shared_ptr<Transfer>>* waiting) {
    Outcome outcome = Outcome::kDone;
    Result result = Result::kError;
    std::string why;
    if (code == CURLE_OK) {
      if (t->method == Method::kPut) {
        if (status == 200 || status == 201 || status == 204) result = Result::kHit;
      } else if (status == 200) {
        result = Result::kHit;
        if (t->method == Method::kGet && t->kind == Kind::kBlob &&
            Sha256Hex(t->body) != t->hex) {
          result = Result::kError;
          outcome = Outcome::kError;
          why = "the body (" + std::to_string(t->body.size()) +
                " bytes) does not match its SHA-256; refused";
        }
      } else if (status == 404) {
        result = Result::kMiss;
      }
      if (result == Result::kError && why.empty()) {
        why = "HTTP " + std::to_string(status);
        if (status >= 500 || status == 408 || status == 429)
          outcome = Outcome::kRetry;  // the server's trouble, maybe passing
        else if (status == 401 || status == 403)
          outcome = Outcome::kFatal;
        else
          outcome = Outcome::kError;
      }
    } else if (t->too_big || code == CURLE_FILESIZE_EXCEEDED) {
      outcome = Outcome::kError;
      why = "the body is over the limit of " + std::to_string(config_.max_body_bytes) +
            " bytes";
    } else {
      why = t->curl_error[0] ? t->curl_error : curl_easy_strerror(code);
      if (code == CURLE_OPERATION_TIMEDOUT)
        outcome = Outcome::kTransport;  // already cost a full timeout
      else if (IsTransportError(code))
        outcome = Outcome::kRetry;
      else
        outcome = Outcome::kFatal;  // TLS, protocol: retrying will not help
    }

    if (outcome == Outcome::kRetry) {
      if (t->attempt < config_.max_retries) {
        long delay = config_.backoff_ms << t->attempt;
        ++t->attempt;
        t->not_before = Clock::now() + std::chrono::milliseconds(delay);
        {
          std::lock_guard<std::mutex> lock(mutex_);
          ++stats_.retries;
        }
        waiting->push_back(std::move(t));
        return;
      }
      outcome = (code == CURLE_OK) ? Outcome::kError : Outcome::kTransport;
    }

    std::lock_guard<std::mutex> lock(mutex_);
    std::string error;
    if (outcome != Outcome::kDone) {
      error = Shown(*t) + ": " + why;
      bool trip = outcome == Outcome::kFatal || outcome == Outcome::kTransport ||
                  ++error_count_ >= config_.breaker_errors;
      if (trip && !tripped_) {
        tripped_ = true;
        stats_.disabled = true;
        warning_ = "remote cache: " + error + "; not using it for the rest of this build";
      }
    }
    Complete(t.get(), result, std::move(error));
  }

  // With mutex_ held.
  void Complete(Transfer* t, Result result, std::string error) {
    if (t->method == Method::kPut) {
      if (result == Result::kHit) {
        ++stats_.uploads;
        if (t->kind == Kind::kAction) ++stats_.entries_uploaded;
        stats_.bytes_up += t->body.size();
      } else {
        ++stats_.upload_errors;
      }
      t->body.clear();
      t->body.shrink_to_fit();
      --pending_puts_;
    } else {
      if (result == Result::kHit) {
        ++stats_.hits;
        stats_.bytes_down += t->body.size();
      } else if (result == Result::kMiss) {
        ++stats_.misses;
      } else {
        ++stats_.errors;
      }
    }
    t->result = result;
    t->error = std::move(error);
    t->done = true;
    cv_.notify_all();
  }

  // Completes everything not finished with kError (after the breaker, or at
  // the end).
  void Abandon(std::deque<std::shared_ptr<Transfer>>* waiting,
               std::unordered_map<CURL*, std::shared_ptr<Transfer>>* active) {
    if (waiting->empty() && active->empty()) return;
    for (auto& [easy, t] : *active) {
      curl_multi_remove_handle(multi_, easy);
      idle_.push_back(easy);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    std::string error =
        "remote cache " + config_.DisplayUrl() + ": disabled after earlier errors";
    for (auto& [easy, t] : *active)
      Complete(t.get(), Result::kError, Shown(*t) + ": abandoned; " + error);
    for (auto& t : *waiting)
      Complete(t.get(), Result::kError, Shown(*t) + ": abandoned; " + error);
    active->clear();
    waiting->clear();
  }

  RemoteStoreConfig config_;
  curl_slist* headers_ = nullptr;

  std::once_flag started_;
  CURLM* multi_ = nullptr;
  std::thread thread_;
  std::vector<CURL*> idle_;  // the transfer thread's, reused

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<Transfer>> incoming_;
  bool stop_ = false;
  bool tripped_ = false;
  int error_count_ = 0;
  size_t pending_puts_ = 0;
  std::string warning_;
  bool warned_ = false;
  Stats stats_;
};

}  // namespace

std::unique_ptr<RemoteStore> NewHttpRemoteStore(RemoteStoreConfig config) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<HttpRemoteStore>(std::move(config));
}

}  // namespace composer
