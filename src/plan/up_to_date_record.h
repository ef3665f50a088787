// .composer_uptodate: the proof a no-op build leaves for the next one
// (COMPOSER_WATCH=1). It says "a build with this exact command line found
// nothing to do; every stat it took was taken after the watcher's token T;
// the graph image and the logs were these files". A later build with the
// same command line, the same image and logs, whose watcher has seen
// nothing change since T (but Composer's own state files), would decide
// the same from the same inputs, so it prints "no work to do" without
// loading the logs or stat'ing anything.
//
// What the decision rests on, and how each is pinned: the graph (the image
// file's stat, and only when the graph was read from or written to it);
// .ninja_log, .ninja_deps and .composer_db (their stats); every node's stat
// (the watcher; a build whose walk stat'ed or read a file itself, or stat'ed
// a directory or a link, leaves no record); the flags and the environment
// variables that steer Composer or Ninja (the command line and every
// COMPOSER_* and NINJA_* variable); the binary (part of the image's key).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/file_system.h"
#include "watch/watch_protocol.h"

namespace composer {

struct UpToDateRecord {
  uint64_t key = 0;
  watch::Token token;
};

// The key of a build: its command line, the working directory, the
// COMPOSER_* and NINJA_* environment, and the stat of each of `files`.
uint64_t UpToDateKey(const std::vector<std::string>& command_line,
                     FileSystem* file_system, const std::vector<std::string>& files);

// False when there is no record, or a damaged one.
bool LoadUpToDateRecord(FileSystem* file_system, const std::string& path,
                        UpToDateRecord* record);
bool SaveUpToDateRecord(FileSystem* file_system, const std::string& path,
                        const UpToDateRecord& record, std::string* err);

// Whether the watcher of the current directory has seen nothing change
// since `token` but paths `ignored` accepts (a build's own state files).
// False when no watcher answers.
bool NothingChangedSince(watch::Token token,
                         const std::function<bool(std::string_view)>& ignored);

}  // namespace composer
