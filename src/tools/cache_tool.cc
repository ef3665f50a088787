// -t cache stats|gc|clear|verify: the local store of the content cache
// (src/cache), located by the same COMPOSER_CACHE* variables a build reads.
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "cache/action_cache.h"
#include "tools/tools.h"
#include "util/log.h"

namespace composer {

namespace {

void PrintUsage() {
  printf(
      "usage: %s -t cache COMMAND\n"
      "\n"
      "commands:\n"
      "  stats   what the local store holds, and its limits\n"
      "  gc      remove expired entries, then the least recently used ones\n"
      "          until the store fits COMPOSER_CACHE_MAX_SIZE_MB\n"
      "  clear   remove every entry and blob\n"
      "  verify  read every entry and blob, removing the damaged ones\n",
      std::string(CurrentPersonality().program).c_str());
}

std::string Megabytes(uint64_t bytes) {
  char buffer[32];
  snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buffer;
}

void PrintUsage(const LocalStore::Usage& usage) {
  printf("entries:    %llu (%s)\n", static_cast<unsigned long long>(usage.entries),
         Megabytes(usage.entry_bytes).c_str());
  printf("blobs:      %llu (%s)\n", static_cast<unsigned long long>(usage.blobs),
         Megabytes(usage.blob_bytes).c_str());
  printf("total:      %s\n", Megabytes(usage.bytes()).c_str());
}

}  // namespace

int ToolCache(ToolContext& context, int argc, char** argv) {
  if (argc != 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    PrintUsage();
    return argc == 2 ? 0 : 1;
  }
  CacheConfig config;
  std::string err;
  if (!CacheConfig::FromEnvironment(context.manifest, &config, &err)) {
    Error("%s", err.c_str());
    return 1;
  }
  LocalStore store(config.local);
  const std::string command = argv[1];
  if (command == "stats") {
    printf("directory:  %s\n", config.local.dir.c_str());
    PrintUsage(store.Measure());
    if (config.local.max_size_bytes)
      printf("size limit: %s (COMPOSER_CACHE_MAX_SIZE_MB)\n",
             Megabytes(config.local.max_size_bytes).c_str());
    else
      printf("size limit: none (COMPOSER_CACHE_MAX_SIZE_MB=0)\n");
    if (config.local.ttl_seconds)
      printf("age limit:  %lld days (COMPOSER_CACHE_TTL_DAYS)\n",
             static_cast<long long>(config.local.ttl_seconds / 86400));
    else
      printf("age limit:  none (COMPOSER_CACHE_TTL_DAYS)\n");
    printf("mode:       %s (COMPOSER_CACHE)\n",
           config.mode == CacheConfig::Mode::kOff   ? "off"
           : config.mode == CacheConfig::Mode::kAll ? "all"
                                                    : "edges with cache = 1");
    printf("base dir:   %s (COMPOSER_CACHE_BASEDIR)\n", config.base_dir.c_str());
    return 0;
  }
  if (command == "gc") {
    const LocalStore::GcReport report = store.CollectGarbage(time(nullptr));
    printf("removed %llu files (%s)\n",
           static_cast<unsigned long long>(report.removed_files),
           Megabytes(report.removed_bytes).c_str());
    PrintUsage(report.after);
    return 0;
  }
  if (command == "clear") {
    if (!store.Clear(&err)) {
      Error("%s", err.c_str());
      return 1;
    }
    printf("cleared %s\n", config.local.dir.c_str());
    return 0;
  }
  if (command == "verify") {
    const LocalStore::VerifyReport report = store.Verify();
    printf("checked %llu files, %llu damaged (removed)\n",
           static_cast<unsigned long long>(report.checked),
           static_cast<unsigned long long>(report.damaged));
    return report.damaged ? 1 : 0;
  }
  Error("unknown cache command '%s' (stats, gc, clear or verify)", command.c_str());
  return 1;
}

}  // namespace composer
