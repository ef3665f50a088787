// -t recompact and -t restat: maintenance of the build and deps logs.
#include <getopt.h>

#include <cstdio>
#include <string>
#include <vector>

#include "state/logs.h"
#include "tools/tools.h"
#include "util/file_system.h"
#include "util/log.h"

namespace composer {

namespace {

bool EnsureBuildDir(ToolContext& context) {
  if (context.build_dir.empty() || context.dry_run) return true;
  std::string err;
  if (!context.file_system->MakeDirs(context.build_dir, &err)) {
    Error("creating build directory %s: %s", context.build_dir.c_str(), err.c_str());
    return false;
  }
  return true;
}

}  // namespace

int ToolRecompact(ToolContext& context, int, char**) {
  if (!EnsureBuildDir(context)) return 1;
  Logs logs(context.graph, context.file_system, context.build_dir, context.dry_run);
  return logs.OpenBuildLog(true) && logs.OpenDepsLog(true) ? 0 : 1;
}

// Runs before the manifest is read (as in Ninja), so it works on the log
// in the working directory.
int ToolRestat(ToolContext& context, int argc, char** argv) {
  optind = 1;
  int opt;
  while ((opt = getopt(argc, argv, "h")) != -1) {
    printf("usage: %s -t restat [outputs]\n",
           std::string(CurrentPersonality().program).c_str());
    return 1;
  }
  std::vector<std::string> outputs(argv + optind, argv + argc);
  const std::string path = ".ninja_log";
  BuildLog log;
  std::string err;
  const LoadStatus status = log.Load(path, &err);
  if (status == LoadStatus::kError) {
    Error("loading build log %s: %s", path.c_str(), err.c_str());
    return 1;
  }
  if (status == LoadStatus::kNotFound) return 0;
  if (!err.empty()) {
    Warning("%s", err.c_str());
    err.clear();
  }
  auto stat = [&](std::string_view p) -> int64_t {
    std::string stat_err;
    const FileStat st = context.file_system->Stat(std::string(p), &stat_err);
    if (st.kind == FileStat::kError) return -1;
    return st.exists() ? st.mtime : 0;
  };
  if (!log.Restat(path, stat, outputs, &err)) {
    Error("failed recompaction: %s", err.c_str());
    return 1;
  }
  return 0;
}

}  // namespace composer
