// A build's side of the watcher: finds the watcher of the current
// directory over its socket and asks it one thing.
#pragma once

#include <string>

#include "watch/watch_protocol.h"

namespace composer::watch {

enum class AskResult {
  kAnswered,
  kNoWatcher,  // none listens (and, when asked to, one has been started)
  kFailed,     // one listens but the exchange failed (*err says why)
};

// Sends `request` to the watcher of the current directory and waits up to
// `timeout_ms` for its reply. With `start`, a missing watcher is started
// (`composer -t watch serve`, detached) for the next build to use; this
// one does not wait for it.
AskResult AskWatcher(const Request& request, Reply* reply, bool start, int timeout_ms,
                     std::string* err);

// Starts `<this program> -t watch serve` in the current directory, in a
// session of its own with no terminal and no inherited descriptors.
bool StartWatcher(std::string* err);

}  // namespace composer::watch
