// What a build and the file-system watcher (`composer -t watch serve`) say
// to each other: one request and one reply per connection, over a Unix
// socket in the abstract namespace named after the watched directory.
//
// A token names a point in the watcher's history of changes. A build asks
// "what changed since this token?" and gets the paths (and whole
// directories) whose stat may differ since then, plus a token for next
// time. Both ends run on one machine, so integers travel in host order;
// strings are a 32-bit length and their bytes; a message is framed by its
// 32-bit length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace composer::watch {

struct Token {
  uint64_t instance = 0;  // random per watcher process and per lost history
  uint64_t seq = 0;       // events seen before this point
  bool valid() const { return instance != 0; }
};

struct Request {
  enum class Kind : uint8_t { kQuery = 'Q', kStatus = 'S', kStop = 'X' };
  Kind kind = Kind::kQuery;
  Token since;                    // kQuery: invalid for "from scratch"
  std::vector<std::string> dirs;  // kQuery: directories to watch from now on
};

struct Reply {
  // False when `since` means nothing to this watcher (another instance, a
  // history that overflowed): every stat may differ.
  bool complete = false;
  Token token;                        // ask with this next time
  std::vector<std::string> changed;   // entries whose stat may differ
  std::vector<std::string> subtrees;  // directories anything under which may differ
  std::string text;                   // kStatus: a human-readable report
};

std::string EncodeRequest(const Request& request);
bool DecodeRequest(std::string_view data, Request* request);
std::string EncodeReply(const Reply& reply);
bool DecodeReply(std::string_view data, Reply* reply);

// The abstract socket name of the watcher of `real_dir` (an absolute path
// with no symbolic links) for this user.
std::string SocketName(const std::string& real_dir);

// One framed message each way. ReceiveMessage waits at most `timeout_ms`
// for the whole message.
bool SendMessage(int fd, std::string_view message, std::string* err);
bool ReceiveMessage(int fd, std::string* message, int timeout_ms, std::string* err);

}  // namespace composer::watch
