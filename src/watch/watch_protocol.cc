#include "watch/watch_protocol.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/binary_put.h"
#include "util/clock.h"
#include "util/hash.h"

namespace composer::watch {

namespace {

// Bumped whenever the messages change: it is part of the socket name, so a
// watcher left running by an older composer is simply not found.
constexpr int kProtocolVersion = 1;

// A message is at most this long (a query for a huge tree's directories is
// a few MB); anything longer is garbage.
constexpr uint32_t kMaxMessage = 256u << 20;

class Writer {
 public:
  template <typename T>
  void Put(T value) {
    composer::Put(&out_, value);
  }
  void PutString(std::string_view s) {
    Put(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void PutStrings(const std::vector<std::string>& list) {
    Put(static_cast<uint32_t>(list.size()));
    for (const std::string& s : list) PutString(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  bool Get(T* value) {
    if (data_.size() < sizeof *value) return false;
    memcpy(value, data_.data(), sizeof *value);
    data_.remove_prefix(sizeof *value);
    return true;
  }
  bool GetString(std::string* s) {
    uint32_t size;
    if (!Get(&size) || data_.size() < size) return false;
    s->assign(data_.substr(0, size));
    data_.remove_prefix(size);
    return true;
  }
  bool GetStrings(std::vector<std::string>* list) {
    uint32_t count;
    // Each string takes at least its length word.
    if (!Get(&count) || count > data_.size() / sizeof(uint32_t)) return false;
    list->resize(count);
    for (std::string& s : *list)
      if (!GetString(&s)) return false;
    return true;
  }
  bool done() const { return data_.empty(); }

 private:
  std::string_view data_;
};

}  // namespace

std::string EncodeRequest(const Request& request) {
  Writer w;
  w.Put(static_cast<uint8_t>(request.kind));
  w.Put(request.since.instance);
  w.Put(request.since.seq);
  w.PutStrings(request.dirs);
  return w.Take();
}

bool DecodeRequest(std::string_view data, Request* request) {
  Reader r(data);
  uint8_t kind;
  if (!r.Get(&kind)) return false;
  request->kind = static_cast<Request::Kind>(kind);
  if (request->kind != Request::Kind::kQuery && request->kind != Request::Kind::kStatus &&
      request->kind != Request::Kind::kStop)
    return false;
  return r.Get(&request->since.instance) && r.Get(&request->since.seq) &&
         r.GetStrings(&request->dirs) && r.done();
}

std::string EncodeReply(const Reply& reply) {
  Writer w;
  w.Put(static_cast<uint8_t>(reply.complete));
  w.Put(reply.token.instance);
  w.Put(reply.token.seq);
  w.PutStrings(reply.changed);
  w.PutStrings(reply.subtrees);
  w.PutString(reply.text);
  return w.Take();
}

bool DecodeReply(std::string_view data, Reply* reply) {
  Reader r(data);
  uint8_t complete;
  if (!r.Get(&complete) || complete > 1) return false;
  reply->complete = complete;
  return r.Get(&reply->token.instance) && r.Get(&reply->token.seq) &&
         r.GetStrings(&reply->changed) && r.GetStrings(&reply->subtrees) &&
         r.GetString(&reply->text) && r.done();
}

std::string SocketName(const std::string& real_dir) {
  char name[96];
  snprintf(name, sizeof name, "composer-watch-%d-%u-%016llx", kProtocolVersion,
           static_cast<unsigned>(getuid()),
           static_cast<unsigned long long>(HashString(real_dir)));
  return name;
}

bool SendMessage(int fd, std::string_view message, std::string* err) {
  const uint32_t size = static_cast<uint32_t>(message.size());
  std::string framed(reinterpret_cast<const char*>(&size), sizeof size);
  framed.append(message);
  size_t sent = 0;
  while (sent < framed.size()) {
    const ssize_t n = send(fd, framed.data() + sent, framed.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = std::string("send: ") + strerror(errno);
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool ReceiveMessage(int fd, std::string* message, int timeout_ms, std::string* err) {
  const int64_t deadline = MonotonicMillis() + timeout_ms;
  std::string buffer;
  auto read_until = [&](size_t want) {
    char chunk[65536];
    while (buffer.size() < want) {
      const int64_t left = deadline - MonotonicMillis();
      pollfd p{fd, POLLIN, 0};
      const int ready = left > 0 ? poll(&p, 1, static_cast<int>(left)) : 0;
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) {
        *err = ready == 0 ? "timed out" : std::string("poll: ") + strerror(errno);
        return false;
      }
      const ssize_t n = recv(fd, chunk, std::min(sizeof chunk, want - buffer.size()), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *err = n == 0 ? "connection closed" : std::string("recv: ") + strerror(errno);
        return false;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    return true;
  };
  if (!read_until(sizeof(uint32_t))) return false;
  uint32_t size;
  memcpy(&size, buffer.data(), sizeof size);
  if (size > kMaxMessage) {
    *err = "message too long";
    return false;
  }
  if (!read_until(sizeof size + size)) return false;
  message->assign(buffer, sizeof size, size);
  return true;
}

}  // namespace composer::watch
