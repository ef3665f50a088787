// -t watch serve|status|stop: the file watcher behind COMPOSER_WATCH=1
// (src/watch), one per build directory (the current directory, after -C).
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tools/tools.h"
#include "util/log.h"
#include "watch/watch_client.h"
#include "watch/watch_daemon.h"

namespace composer {

namespace {

void PrintUsage() {
  printf(
      "usage: %s -t watch COMMAND\n"
      "\n"
      "commands:\n"
      "  serve   watch this directory's build in the foreground (builds with\n"
      "          COMPOSER_WATCH=1 start one in the background themselves)\n"
      "  status  what the running watcher follows\n"
      "  stop    stop the running watcher\n",
      std::string(CurrentPersonality().program).c_str());
}

int Serve() {
  // Started by a build: nothing it inherited may stay open (the build's
  // caller may wait for its pipes to close).
  syscall(SYS_close_range, 3u, ~0u, 0u);
  watch::DaemonOptions options;
  if (const char* idle = getenv("COMPOSER_WATCH_IDLE_SECONDS"); idle && *idle)
    options.idle_seconds = std::max(1, atoi(idle));
  watch::Daemon daemon(options);
  bool already_running;
  std::string err;
  if (!daemon.Start(&already_running, &err)) {
    if (already_running) return 0;  // another build started one first
    Error("file watcher: %s", err.c_str());
    return 1;
  }
  daemon.Serve();
  return 0;
}

}  // namespace

int ToolWatch(ToolContext&, int argc, char** argv) {
  if (argc != 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    PrintUsage();
    return argc == 2 ? 0 : 1;
  }
  const std::string command = argv[1];
  if (command == "serve") return Serve();
  watch::Request request;
  if (command == "status") {
    request.kind = watch::Request::Kind::kStatus;
  } else if (command == "stop") {
    request.kind = watch::Request::Kind::kStop;
  } else {
    Error("unknown watch command '%s'", command.c_str());
    PrintUsage();
    return 1;
  }
  watch::Reply reply;
  std::string err;
  switch (watch::AskWatcher(request, &reply, false, 5000, &err)) {
    case watch::AskResult::kAnswered:
      printf("%s", command == "stop" ? "watcher stopped\n" : reply.text.c_str());
      return 0;
    case watch::AskResult::kNoWatcher:
      printf("no watcher runs for this directory\n");
      return command == "stop" ? 0 : 1;
    case watch::AskResult::kFailed:
      Error("file watcher: %s", err.c_str());
      return 1;
  }
  return 1;
}

}  // namespace composer
