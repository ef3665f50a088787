// -t npm [--root DIR] [-o FILE] [--tasks LIST]: writes build files for a
// JavaScript workspace (src/gen, doc/npm.md).
#include <getopt.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#include "gen/npm_generator.h"
#include "tools/tools.h"
#include "util/log.h"

namespace composer {

namespace {

void PrintUsage() {
  printf(
      "usage: %s -t npm [--root DIR] [-o FILE] [--tasks LIST] [--no-install]\n"
      "\n"
      "writes build files running the package scripts of an npm, yarn or pnpm workspace\n"
      "\n"
      "options:\n"
      "  --root DIR    the workspace root (default: the current directory)\n"
      "  -o FILE       the manifest to write in the root (default: build.composer)\n"
      "  --tasks LIST  comma-separated scripts to run (default: the \"composer\" "
      "section\n"
      "                of package.json, else turbo.json, else "
      "build,test,lint,typecheck)\n"
      "  --no-install  no edge running npm ci (or its peers): install before building\n",
      std::string(CurrentPersonality().program).c_str());
}

std::string SelfPath(const char* fallback) {
  char buffer[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return fallback;
  return std::string(buffer, static_cast<size_t>(n));
}

}  // namespace

int ToolNpm(ToolContext&, int argc, char** argv) {
  NpmGeneratorOptions options;
  static const option kLongOptions[] = {{"root", required_argument, nullptr, 'r'},
                                        {"tasks", required_argument, nullptr, 't'},
                                        {"no-install", no_argument, nullptr, 'n'},
                                        {"help", no_argument, nullptr, 'h'},
                                        {nullptr, 0, nullptr, 0}};
  optind = 1;
  int opt;
  while ((opt = getopt_long(argc, argv, "o:h", kLongOptions, nullptr)) != -1) {
    switch (opt) {
      case 'r':
        options.root = optarg;
        break;
      case 'o':
        options.output = optarg;
        break;
      case 't': {
        const std::string list = optarg;
        size_t start = 0;
        while (start <= list.size()) {
          size_t comma = list.find(',', start);
          if (comma == std::string::npos) comma = list.size();
          if (comma > start) options.tasks.push_back(list.substr(start, comma - start));
          start = comma + 1;
        }
        break;
      }
      case 'h':
        PrintUsage();
        return 0;
      default:
        PrintUsage();
        return 1;
    }
  }
  if (optind < argc) {
    Error("-t npm: unexpected argument '%s'", argv[optind]);
    return 1;
  }
  options.self = SelfPath(argv[0]);
  NpmGeneratorReport report;
  std::string err;
  if (!GenerateNpmBuild(options, &report, &err)) {
    Error("%s", err.c_str());
    return 1;
  }
  for (const std::string& note : report.notes) Warning("%s", note.c_str());
  auto count = [](size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  const std::string written = report.files_written
                                  ? count(report.files_written, "file") + " written"
                                  : std::string("build files unchanged");
  printf("%s -t npm: %s, %s; %s\n", std::string(CurrentPersonality().program).c_str(),
         count(report.packages, "package").c_str(), count(report.tasks, "task").c_str(),
         written.c_str());
  return 0;
}

}  // namespace composer
