// Tests of the HTTP remote store (remote_store.h).
//
// RemoteStoreTest: configuration, hashing, and failures served by tiny
// in-process servers (refused connections, a server that never answers,
// 500s, 404s, garbage bodies). They need no network beyond 127.0.0.1.
//
// RemoteStoreNginx: against a real nginx with WebDAV, started by
// tests/cache/remote_store_test.py (ctest cache.remote), which sets
//   COMPOSER_TEST_REMOTE_URL    the store's URL (requires the token)
//   COMPOSER_TEST_REMOTE_TOKEN  the bearer token it requires
//   COMPOSER_TEST_REMOTE_ROOT   the directory behind the URL
//   COMPOSER_TEST_REMOTE_LOG    its access log
//   COMPOSER_TEST_DOOMED_URL    a second nginx (no token) the test may kill,
//   COMPOSER_TEST_DOOMED_PGID   by SIGKILL to this process group
//   COMPOSER_TEST_TLS_URL       a third nginx serving https (no token) ...
//   COMPOSER_TEST_TLS_CA        ... with this self-signed certificate
// Without them (plain unit.cache) those tests are skipped.

#include "cache/remote_store.h"

#include "cache/action_entry.h"
#include "cache/remote_adapter.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace composer {
namespace {

using Kind = RemoteStore::Kind;
using Result = RemoteStore::Result;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A config whose warnings land in *warnings instead of stderr.
RemoteStoreConfig TestConfig(const std::string& url, std::vector<std::string>* warnings) {
  RemoteStoreConfig config;
  config.url = url;
  config.connect_timeout_ms = 1000;
  config.total_timeout_ms = 5000;
  config.backoff_ms = 20;
  config.warn = [warnings](const std::string& message) { warnings->push_back(message); };
  return config;
}

// --- configuration and hashing ---------------------------------------------------

TEST(RemoteStoreTest, Sha256) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("x")));
  EXPECT_FALSE(IsSha256Hex("abc"));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a') + "/"));
}

struct Env {
  std::vector<std::pair<std::string, std::string>> vars;
  std::function<const char*(const char*)> Get() const {
    return [this](const char* name) -> const char* {
      for (const auto& [k, v] : vars)
        if (k == name) return v.c_str();
      return nullptr;
    };
  }
};

std::string TempFile(const std::string& contents) {
  char path[] = "/tmp/composer-remote-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, contents.data(), contents.size()), ssize_t(contents.size()));
  close(fd);
  return path;
}

TEST(RemoteStoreTest, ConfigUnsetMeansNoRemote) {
  RemoteStoreConfig config;
  std::string err;
  Env env;
  ASSERT_TRUE(RemoteStoreConfig::FromEnvironment(&config, &err, env.Get()));
  EXPECT_TRUE(config.url.empty());
}

TEST(RemoteStoreTest, ConfigParsesEverything) {
  std::string token_file = TempFile("  s3cret-token\n");
  std::string ca = TempFile("not really a CA");
  Env env{{{"COMPOSER_REMOTE_CACHE", "https://user:pw@cache.example:8443/team/x/"},
           {"COMPOSER_REMOTE_CACHE_MODE", "readwrite"},
           {"COMPOSER_REMOTE_CACHE_TOKEN_FILE", token_file},
           {"COMPOSER_REMOTE_CACHE_CA", ca}}};
  RemoteStoreConfig config;
  std::string err;
  ASSERT_TRUE(RemoteStoreConfig::FromEnvironment(&config, &err, env.Get())) << err;
  EXPECT_EQ(config.url, "https://user:pw@cache.example:8443/team/x");
  EXPECT_EQ(config.DisplayUrl(), "https://cache.example:8443/team/x");
  EXPECT_TRUE(config.write);
  EXPECT_EQ(config.token, "s3cret-token");
  EXPECT_EQ(config.ca_file, ca);
  unlink(token_file.c_str());
  unlink(ca.c_str());
}

TEST(RemoteStoreTest, ConfigErrorsNameTheVariableNotTheToken) {
  std::string err;
  RemoteStoreConfig config;
  Env bad_scheme{{{"COMPOSER_REMOTE_CACHE", "ftp://host/x"}}};
  EXPECT_FALSE(RemoteStoreConfig::FromEnvironment(&config, &err, bad_scheme.Get()));
  EXPECT_NE(err.find("COMPOSER_REMOTE_CACHE=ftp://host/x"), std::string::npos) << err;

  Env no_host{{{"COMPOSER_REMOTE_CACHE", "http:///x"}}};
  EXPECT_FALSE(RemoteStoreConfig::FromEnvironment(&config, &err, no_host.Get()));

  Env bad_mode{
      {{"COMPOSER_REMOTE_CACHE", "http://h/x"}, {"COMPOSER_REMOTE_CACHE_MODE", "rw"}}};
  EXPECT_FALSE(RemoteStoreConfig::FromEnvironment(&config, &err, bad_mode.Get()));
  EXPECT_NE(err.find("COMPOSER_REMOTE_CACHE_MODE"), std::string::npos) << err;

  Env no_file{{{"COMPOSER_REMOTE_CACHE", "http://h/x"},
               {"COMPOSER_REMOTE_CACHE_TOKEN_FILE", "/nonexistent/token"}}};
  EXPECT_FALSE(RemoteStoreConfig::FromEnvironment(&config, &err, no_file.Get()));
  EXPECT_NE(err.find("/nonexistent/token"), std::string::npos) << err;

  std::string token_file = TempFile("two words-secret\n");
  Env spaced{{{"COMPOSER_REMOTE_CACHE", "http://h/x"},
              {"COMPOSER_REMOTE_CACHE_TOKEN_FILE", token_file}}};
  EXPECT_FALSE(RemoteStoreConfig::FromEnvironment(&config, &err, spaced.Get()));
  EXPECT_EQ(err.find("secret"), std::string::npos) << err;
  unlink(token_file.c_str());

  Env no_ca{{{"COMPOSER_REMOTE_CACHE", "http://h/x"},
             {"COMPOSER_REMOTE_CACHE_CA", "/nonexistent/ca.pem"}}};
  EXPECT_FALSE(RemoteStoreConfig::FromEnvironment(&config, &err, no_ca.Get()));
}

TEST(RemoteStoreTest, BadNamesAreRefusedWithoutNetwork) {
  std::vector<std::string> warnings;
  auto store = NewHttpRemoteStore(TestConfig("http://127.0.0.1:1/x", &warnings));
  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kBlob, "../../etc/passwd", &bytes, &err), Result::kError);
  EXPECT_NE(err.find("not a SHA-256"), std::string::npos) << err;
  EXPECT_TRUE(warnings.empty());
  EXPECT_FALSE(store->GetStats().disabled);
}

// --- in-process servers ----------------------------------------------------------------

// Listens on 127.0.0.1; `respond` decides what each request gets (nullopt:
// never answer, keep the connection open).
class FakeServer {
 public:
  using Respond = std::function<std::string(const std::string& request)>;

  explicit FakeServer(Respond respond, bool accept = true)
      : respond_(std::move(respond)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(listen(fd_, 64), 0);
    if (accept) thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (int fd : held_) close(fd);
    close(fd_);
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/prefix";
  }
  int port() const { return port_; }
  int requests() const { return requests_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      // One request per connection; requests here have no body.
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        pollfd c{conn, POLLIN, 0};
        if (poll(&c, 1, 1000) <= 0) break;
        ssize_t n = read(conn, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, size_t(n));
      }
      ++requests_;
      std::string response = respond_(request);
      if (response.empty()) {
        held_.push_back(conn);  // never answer
        continue;
      }
      ssize_t ignored = write(conn, response.data(), response.size());
      (void)ignored;
      close(conn);
    }
  }

  Respond respond_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::vector<int> held_;
};

std::string Response(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

TEST(RemoteStoreTest, WrongPortFailsFastAndTripsTheBreakerOnce) {
  int port;
  {
    FakeServer closed([](const std::string&) { return std::string(); }, /*accept=*/false);
    port = closed.port();
  }  // closed: nothing listens there now
  std::vector<std::string> warnings;
  auto store = NewHttpRemoteStore(
      TestConfig("http://127.0.0.1:" + std::to_string(port) + "/p", &warnings));
  Clock::time_point start = Clock::now();
  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kBlob, Sha256Hex("a"), &bytes, &err), Result::kError);
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(err.find("GET http://127.0.0.1:" + std::to_string(port) + "/p/cas/"),
            std::string::npos)
      << err;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("not using it for the rest of this build"),
            std::string::npos);
  EXPECT_EQ(store->GetStats().retries, 2u);
  // Tripped: further calls cost nothing and warn no more.
  start = Clock::now();
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(store->Get(Kind::kAction, Sha256Hex(std::to_string(i)), &bytes),
              Result::kError);
  EXPECT_EQ(store->Contains(Kind::kBlob, Sha256Hex("a")), Result::kError);
  EXPECT_LT(SecondsSince(start), 0.5);
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(store->GetStats().disabled);
}

TEST(RemoteStoreTest, ServerThatNeverAnswersCostsABoundedDelay) {
  FakeServer silent([](const std::string&) { return std::string(); });
  std::vector<std::string> warnings;
  RemoteStoreConfig config = TestConfig(silent.url(), &warnings);
  config.total_timeout_ms = 600;
  auto store = NewHttpRemoteStore(config);
  std::vector<RemoteStore::Fetch> fetches(20);
  for (size_t i = 0; i < fetches.size(); ++i)
    fetches[i].hex = Sha256Hex(std::to_string(i));
  Clock::time_point start = Clock::now();
  store->GetMany(&fetches);
  EXPECT_LT(SecondsSince(start), 3.0);
  for (const auto& f : fetches) EXPECT_EQ(f.result, Result::kError);
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(store->GetStats().disabled);
}

TEST(RemoteStoreTest, ServerErrorsAreRetriedWithBackoff) {
  FakeServer failing([](const std::string&) { return Response(503, "busy"); });
  std::vector<std::string> warnings;
  RemoteStoreConfig config = TestConfig(failing.url(), &warnings);
  config.max_retries = 3;
  config.backoff_ms = 50;
  auto store = NewHttpRemoteStore(config);
  Clock::time_point start = Clock::now();
  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kAction, Sha256Hex("k"), &bytes, &err), Result::kError);
  // 50 + 100 + 200 ms of backoff between four attempts.
  EXPECT_GE(SecondsSince(start), 0.35);
  EXPECT_EQ(failing.requests(), 4);
  EXPECT_EQ(store->GetStats().retries, 3u);
  EXPECT_NE(err.find("HTTP 503"), std::string::npos) << err;

  // 429 (too many requests) passes too; 403 is final at once.
  std::atomic<int> calls{0};
  FakeServer throttled([&](const std::string&) {
    return ++calls < 3 ? Response(429, "slow down") : Response(200, "entry");
  });
  auto patient = NewHttpRemoteStore(TestConfig(throttled.url(), &warnings));
  EXPECT_EQ(patient->Get(Kind::kAction, Sha256Hex("k"), &bytes, &err), Result::kHit)
      << err;
  EXPECT_EQ(bytes, "entry");
  EXPECT_EQ(patient->GetStats().retries, 2u);
  FakeServer forbidden([](const std::string&) { return Response(403, "no"); });
  auto refused = NewHttpRemoteStore(TestConfig(forbidden.url(), &warnings));
  EXPECT_EQ(refused->Get(Kind::kAction, Sha256Hex("k"), &bytes, &err), Result::kError);
  EXPECT_EQ(forbidden.requests(), 1);
  EXPECT_TRUE(refused->GetStats().disabled);
}

TEST(RemoteStoreTest, NotFoundIsAMissAndNotRetried) {
  FakeServer empty([](const std::string&) { return Response(404, "no"); });
  std::vector<std::string> warnings;
  auto store = NewHttpRemoteStore(TestConfig(empty.url(), &warnings));
  std::string bytes;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(store->Get(Kind::kBlob, Sha256Hex(std::to_string(i)), &bytes),
              Result::kMiss);
    EXPECT_EQ(store->Contains(Kind::kAction, Sha256Hex(std::to_string(i))),
              Result::kMiss);
  }
  EXPECT_EQ(empty.requests(), 10);
  EXPECT_EQ(store->GetStats().misses, 10u);
  EXPECT_TRUE(warnings.empty());
  EXPECT_FALSE(store->GetStats().disabled);
}

TEST(RemoteStoreTest, GarbageBlobsAreRefusedAndTripTheBreaker) {
  FakeServer liar([](const std::string&) { return Response(200, "garbage"); });
  std::vector<std::string> warnings;
  auto store = NewHttpRemoteStore(TestConfig(liar.url(), &warnings));
  std::string bytes, err;
  for (int i = 0; i < 3; ++i) {
    bytes.clear();
    EXPECT_EQ(store->Get(Kind::kBlob, Sha256Hex(std::to_string(i)), &bytes, &err),
              Result::kError);
    EXPECT_TRUE(bytes.empty());
    EXPECT_NE(err.find("does not match its SHA-256"), std::string::npos) << err;
  }
  EXPECT_EQ(liar.requests(), 3);  // not retried
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(store->GetStats().disabled);
  // An action entry cannot be checked here; the caller validates it.
  // (The store is disabled now, so use a fresh one.)
  auto fresh = NewHttpRemoteStore(TestConfig(liar.url(), &warnings));
  EXPECT_EQ(fresh->Get(Kind::kAction, Sha256Hex("k"), &bytes), Result::kHit);
  EXPECT_EQ(bytes, "garbage");
}

TEST(RemoteStoreTest, BodiesOverTheLimitAreRefused) {
  std::string big(5000, 'x');
  FakeServer server([&](const std::string&) { return Response(200, big); });
  std::vector<std::string> warnings;
  RemoteStoreConfig config = TestConfig(server.url(), &warnings);
  config.max_body_bytes = 4096;
  auto store = NewHttpRemoteStore(config);
  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kBlob, Sha256Hex(big), &bytes, &err), Result::kError);
  EXPECT_NE(err.find("over the limit"), std::string::npos) << err;
  config.max_body_bytes = 8192;
  auto roomy = NewHttpRemoteStore(config);
  EXPECT_EQ(roomy->Get(Kind::kBlob, Sha256Hex(big), &bytes, &err), Result::kHit) << err;
  EXPECT_EQ(bytes, big);
}

// --- against nginx
// ----------------------------------------------------------------------

std::string EnvOr(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

class RemoteStoreNginx : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = EnvOr("COMPOSER_TEST_REMOTE_URL");
    if (url_.empty())
      GTEST_SKIP() << "COMPOSER_TEST_REMOTE_URL is not set (ctest cache.remote sets it)";
    token_ = EnvOr("COMPOSER_TEST_REMOTE_TOKEN");
    root_ = EnvOr("COMPOSER_TEST_REMOTE_ROOT");
    log_ = EnvOr("COMPOSER_TEST_REMOTE_LOG");
  }

  std::unique_ptr<RemoteStore> NewStore(bool write, std::string token = "-") {
    RemoteStoreConfig config = TestConfig(url_, &warnings_);
    config.write = write;
    config.token = token == "-" ? token_ : token;
    return NewHttpRemoteStore(config);
  }

  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string url_, token_, root_, log_;
  std::vector<std::string> warnings_;
};

// A unique body per test run, so runs never see each other's entries.
std::string Unique(const std::string& what) {
  static const std::string run = std::to_string(getpid()) + "-" +
                                 std::to_string(Clock::now().time_since_epoch().count());
  return what + "@" + run;
}

TEST_F(RemoteStoreNginx, PutThenGet) {
  auto store = NewStore(/*write=*/true);
  std::string blob = Unique("blob contents");
  std::string blob_hex = Sha256Hex(blob);
  std::string entry = Unique("an action entry");
  std::string key = Sha256Hex(Unique("action key"));
  std::string empty_hex = Sha256Hex("");

  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kBlob, blob_hex, &bytes, &err), Result::kMiss) << err;
  EXPECT_EQ(store->Contains(Kind::kAction, key, &err), Result::kMiss) << err;

  store->PutAsync(Kind::kBlob, blob_hex, blob);
  store->PutAsync(Kind::kAction, key, entry);
  store->PutAsync(Kind::kBlob, empty_hex, "");
  store->Flush();
  RemoteStore::Stats stats = store->GetStats();
  EXPECT_EQ(stats.uploads, 3u);
  EXPECT_EQ(stats.upload_errors, 0u);

  // The Bazel layout on the server's disk.
  EXPECT_EQ(Read(root_ + "/cas/" + blob_hex), blob);
  EXPECT_EQ(Read(root_ + "/ac/" + key), entry);

  EXPECT_EQ(store->Get(Kind::kBlob, blob_hex, &bytes, &err), Result::kHit) << err;
  EXPECT_EQ(bytes, blob);
  EXPECT_EQ(store->Get(Kind::kAction, key, &bytes, &err), Result::kHit) << err;
  EXPECT_EQ(bytes, entry);
  EXPECT_EQ(store->Get(Kind::kBlob, empty_hex, &bytes, &err), Result::kHit) << err;
  EXPECT_EQ(bytes, "");
  EXPECT_EQ(store->Contains(Kind::kBlob, blob_hex, &err), Result::kHit) << err;
  EXPECT_EQ(store->Contains(Kind::kAction, key, &err), Result::kHit) << err;
  EXPECT_TRUE(warnings_.empty());

  // Overwriting an entry is fine (nginx answers 204).
  store->PutAsync(Kind::kAction, key, entry);
  store->Flush();
  EXPECT_EQ(store->GetStats().upload_errors, 0u);
}

TEST_F(RemoteStoreNginx, ManyBlobsInFlight) {
  auto store = NewStore(/*write=*/true);
  std::vector<std::string> blobs;
  for (int i = 0; i < 200; ++i)
    blobs.push_back(Unique("blob " + std::to_string(i)) +
                    std::string(size_t(i) * 997, char(i)));
  for (const auto& b : blobs) store->PutAsync(Kind::kBlob, Sha256Hex(b), b);
  store->Flush();
  EXPECT_EQ(store->GetStats().uploads, blobs.size());

  std::vector<RemoteStore::Fetch> fetches(blobs.size() + 1);
  for (size_t i = 0; i < blobs.size(); ++i) fetches[i].hex = Sha256Hex(blobs[i]);
  fetches.back().hex = Sha256Hex(Unique("never stored"));
  store->GetMany(&fetches);
  for (size_t i = 0; i < blobs.size(); ++i) {
    ASSERT_EQ(fetches[i].result, Result::kHit) << i << ": " << fetches[i].error;
    EXPECT_EQ(fetches[i].bytes, blobs[i]);
  }
  EXPECT_EQ(fetches.back().result, Result::kMiss);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(RemoteStoreNginx, CorruptedBlobOnTheServerIsRefused) {
  auto store = NewStore(/*write=*/true);
  std::string blob = Unique("honest");
  std::string hex = Sha256Hex(blob);
  store->PutAsync(Kind::kBlob, hex, blob);
  store->Flush();
  // Someone rewrites the file behind nginx.
  std::ofstream(root_ + "/cas/" + hex, std::ios::binary | std::ios::trunc) << "poisoned";
  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kBlob, hex, &bytes, &err), Result::kError);
  EXPECT_TRUE(bytes.empty());
  EXPECT_NE(err.find("does not match its SHA-256"), std::string::npos) << err;
  EXPECT_EQ(store->GetStats().errors, 1u);
  // A truncated one too.
  std::ofstream(root_ + "/cas/" + hex, std::ios::binary | std::ios::trunc)
      << blob.substr(0, 3);
  EXPECT_EQ(store->Get(Kind::kBlob, hex, &bytes, &err), Result::kError);
}

TEST_F(RemoteStoreNginx, TokenIsSentAndNeverShown) {
  ASSERT_FALSE(token_.empty());
  std::string hex = Sha256Hex(Unique("token test"));
  // This nginx answers 401 without the right header.
  auto without = NewStore(/*write=*/false, /*token=*/"");
  std::string bytes, err;
  EXPECT_EQ(without->Get(Kind::kBlob, hex, &bytes, &err), Result::kError);
  EXPECT_NE(err.find("HTTP 401"), std::string::npos) << err;
  EXPECT_TRUE(without->GetStats().disabled);  // a 401 trips the breaker at once

  auto wrong = NewStore(/*write=*/true, /*token=*/"wrong-" + token_);
  EXPECT_EQ(wrong->Get(Kind::kBlob, hex, &bytes, &err), Result::kError);
  EXPECT_EQ(err.find(token_), std::string::npos) << err;
  wrong->PutAsync(Kind::kBlob, hex, "x");
  wrong->Flush();
  for (const auto& w : warnings_) EXPECT_EQ(w.find(token_), std::string::npos) << w;
  EXPECT_EQ(warnings_.size(), 2u);

  auto with = NewStore(/*write=*/false);
  EXPECT_EQ(with->Get(Kind::kBlob, hex, &bytes, &err), Result::kMiss) << err;

  // Nor does nginx's access log (it logs no headers; the URL must not carry it).
  EXPECT_EQ(Read(log_).find(token_), std::string::npos);
}

TEST_F(RemoteStoreNginx, ReadModeNeverPuts) {
  auto store = NewStore(/*write=*/false);
  std::string blob = Unique("read only");
  std::string hex = Sha256Hex(blob);
  store->PutAsync(Kind::kBlob, hex, blob);
  store->PutAsync(Kind::kAction, hex, blob);
  store->Flush();
  EXPECT_EQ(store->GetStats().uploads, 0u);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/cas/" + hex));
  EXPECT_FALSE(std::filesystem::exists(root_ + "/ac/" + hex));
  EXPECT_EQ(Read(log_).find(hex), std::string::npos);
}

TEST_F(RemoteStoreNginx, ServerKilledMidwayCostsABoundedDelay) {
  std::string doomed = EnvOr("COMPOSER_TEST_DOOMED_URL");
  std::string pgid = EnvOr("COMPOSER_TEST_DOOMED_PGID");
  ASSERT_FALSE(doomed.empty());
  ASSERT_FALSE(pgid.empty());
  RemoteStoreConfig config = TestConfig(doomed, &warnings_);
  config.write = true;
  auto store = NewHttpRemoteStore(config);
  std::vector<std::string> blobs;
  for (int i = 0; i < 40; ++i) blobs.push_back(Unique("doomed " + std::to_string(i)));
  for (size_t i = 0; i < 20; ++i)
    store->PutAsync(Kind::kBlob, Sha256Hex(blobs[i]), blobs[i]);
  store->Flush();
  ASSERT_EQ(store->GetStats().uploads, 20u);
  std::string bytes, err;
  ASSERT_EQ(store->Get(Kind::kBlob, Sha256Hex(blobs[0]), &bytes, &err), Result::kHit)
      << err;

  // The kept-alive connection now points at a dead server.
  ASSERT_EQ(kill(-std::stoi(pgid), SIGKILL), 0);
  Clock::time_point start = Clock::now();
  for (size_t i = 20; i < 40; ++i)
    store->PutAsync(Kind::kBlob, Sha256Hex(blobs[i]), blobs[i]);
  std::vector<RemoteStore::Fetch> fetches(20);
  for (size_t i = 0; i < 20; ++i) fetches[i].hex = Sha256Hex(blobs[i]);
  store->GetMany(&fetches);
  store->Flush();
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(store->Get(Kind::kAction, Sha256Hex(blobs[size_t(i % 40)]), &bytes),
              Result::kError);
  EXPECT_LT(SecondsSince(start), 3.0);
  for (const auto& f : fetches) EXPECT_EQ(f.result, Result::kError) << f.error;
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find(doomed), std::string::npos) << warnings_[0];
  RemoteStore::Stats stats = store->GetStats();
  EXPECT_TRUE(stats.disabled);
  EXPECT_EQ(stats.uploads, 20u);
  EXPECT_EQ(stats.upload_errors, 20u);
}

TEST_F(RemoteStoreNginx, HttpsWithTheGivenCaOnly) {
  std::string url = EnvOr("COMPOSER_TEST_TLS_URL");
  std::string ca = EnvOr("COMPOSER_TEST_TLS_CA");
  ASSERT_FALSE(url.empty());
  ASSERT_EQ(url.substr(0, 8), "https://");
  std::string blob = Unique("over tls");
  std::string hex = Sha256Hex(blob);

  RemoteStoreConfig config = TestConfig(url, &warnings_);
  config.write = true;
  config.ca_file = ca;  // COMPOSER_REMOTE_CACHE_CA
  auto store = NewHttpRemoteStore(config);
  store->PutAsync(Kind::kBlob, hex, blob);
  store->Flush();
  std::string bytes, err;
  EXPECT_EQ(store->Get(Kind::kBlob, hex, &bytes, &err), Result::kHit) << err;
  EXPECT_EQ(bytes, blob);
  EXPECT_TRUE(warnings_.empty());

  // The system's CAs do not vouch for a self-signed certificate: an error
  // that trips the breaker at once, without retries.
  config.ca_file.clear();
  auto untrusting = NewHttpRemoteStore(config);
  Clock::time_point start = Clock::now();
  EXPECT_EQ(untrusting->Get(Kind::kBlob, hex, &bytes, &err), Result::kError);
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(err.find(url), std::string::npos) << err;
  EXPECT_EQ(untrusting->GetStats().retries, 0u);
  EXPECT_TRUE(untrusting->GetStats().disabled);
  EXPECT_EQ(warnings_.size(), 1u);
}

// The build's commands must not inherit the store's connections.
TEST_F(RemoteStoreNginx, ConnectionsAreNotInherited) {
  auto store = NewStore(/*write=*/false);
  std::string bytes;
  EXPECT_EQ(store->Get(Kind::kBlob, Sha256Hex(Unique("cloexec")), &bytes), Result::kMiss);
  // The kept-alive connection is open now.
  int sockets = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (ec || target.string().rfind("socket:", 0) != 0) continue;
    int fd = std::stoi(entry.path().filename().string());
    ++sockets;
    EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC) << "fd " << fd << " " << target;
  }
  EXPECT_GE(sockets, 1);
}

// The adapter ActionCache uses: blobs go out at once, entries only after
// them (at Flush), so a reader never meets an entry without its blobs.
TEST_F(RemoteStoreNginx, AdapterUploadsEntriesAfterTheirBlobs) {
  std::string blob = Unique("adapter blob");
  Digest blob_digest = Sha256Of(blob);
  Digest key = Sha256Of(Unique("adapter key"));
  std::string entry = Unique("adapter entry");
  std::string err;
  {
    RemoteStoreAdapter adapter(NewStore(/*write=*/true));
    EXPECT_TRUE(adapter.PutBlob(blob_digest, blob, &err));
    EXPECT_TRUE(adapter.PutAction(key, entry, &err));
    adapter.remote().Flush();  // the blob is there, the entry held back
    EXPECT_TRUE(std::filesystem::exists(root_ + "/cas/" + blob_digest.Hex()));
    EXPECT_FALSE(std::filesystem::exists(root_ + "/ac/" + key.Hex()));
    adapter.Flush();
    EXPECT_EQ(Read(root_ + "/ac/" + key.Hex()), entry);
  }
  RemoteStoreAdapter reader(NewStore(/*write=*/false));
  std::string bytes;
  EXPECT_EQ(reader.GetAction(key, &bytes), Store::Result::kHit);
  EXPECT_EQ(bytes, entry);
  EXPECT_EQ(reader.GetBlob(blob_digest, &bytes), Store::Result::kHit);
  EXPECT_EQ(bytes, blob);
  EXPECT_EQ(reader.GetBlob(Sha256Of(Unique("absent")), &bytes), Store::Result::kMiss);
  // Read mode: accepted, never sent.
  Digest other = Sha256Of(Unique("read-mode key"));
  EXPECT_TRUE(reader.PutAction(other, entry, &err));
  EXPECT_TRUE(reader.PutBlob(Sha256Of(entry), entry, &err));
  reader.Flush();
  EXPECT_FALSE(std::filesystem::exists(root_ + "/ac/" + other.Hex()));
  EXPECT_EQ(reader.remote().GetStats().uploads, 0u);
}

// An entry with several outputs: its blobs come in one batch, and the
// GetBlob calls that follow cost no request.
TEST_F(RemoteStoreNginx, AdapterFetchesAnEntrysBlobsTogether) {
  ActionEntry entry;
  entry.kind = ActionEntry::Kind::kResult;
  std::vector<std::string> blobs;
  for (int i = 0; i < 5; ++i) {
    blobs.push_back(Unique("output " + std::to_string(i)));
    ActionEntry::Output out;
    out.path = "out/" + std::to_string(i);
    out.size = blobs.back().size();
    out.digest = Sha256Of(blobs.back());
    entry.outputs.push_back(out);
  }
  Digest key = Sha256Of(Unique("multi-output key"));
  std::string err;
  {
    RemoteStoreAdapter writer(NewStore(/*write=*/true));
    for (const auto& blob : blobs) writer.PutBlob(Sha256Of(blob), blob, &err);
    writer.PutAction(key, entry.Serialize(), &err);
  }
  RemoteStoreAdapter reader(NewStore(/*write=*/false));
  std::string bytes;
  ASSERT_EQ(reader.GetAction(key, &bytes), Store::Result::kHit);
  EXPECT_EQ(reader.remote().GetStats().hits, 6u);  // the entry and its 5 blobs
  for (const auto& blob : blobs) {
    ASSERT_EQ(reader.GetBlob(Sha256Of(blob), &bytes), Store::Result::kHit);
    EXPECT_EQ(bytes, blob);
  }
  EXPECT_EQ(reader.remote().GetStats().hits, 6u);  // no more requests
  // Asked again: fetched again (what was handed out is not kept).
  ASSERT_EQ(reader.GetBlob(Sha256Of(blobs[0]), &bytes), Store::Result::kHit);
  EXPECT_EQ(reader.remote().GetStats().hits, 7u);
}

}  // namespace
}  // namespace composer
