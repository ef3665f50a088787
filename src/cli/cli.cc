#include "cli/cli.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/options.h"
#include "graph/graph.h"
#include "parse/manifest_parser.h"
#include "tools/tool.h"
#include "util/file_system.h"
#include "util/log.h"

namespace composer {

namespace {

// Composer answers as Ninja when run under that name or with --ninja-compat.
void ChoosePersonality(int argc, char** argv) {
  Personality& personality = CurrentPersonality();
  const char* base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  bool compat = strcmp(base, "ninja") == 0;
  for (int i = 1; i < argc && !compat; ++i) {
    if (strcmp(argv[i], "--") == 0) break;
    compat = strcmp(argv[i], "--ninja-compat") == 0;
  }
  personality.ninja_compat = compat;
  personality.program = compat ? "ninja" : "composer";
}

// build.composer when it exists, else build.ninja (always build.ninja for
// the ninja personality).
std::string DefaultManifest(FileSystem& fs) {
  if (CurrentPersonality().ninja_compat) return "build.ninja";
  std::string err;
  if (fs.Stat("build.composer", &err).exists()) return "build.composer";
  return "build.ninja";
}

int RunTool(const Tool& tool, ToolContext& context, const Options& options) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(tool.name));
  for (const std::string& arg : options.tool_args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  // Tool output can be large and nothing interleaves with it: buffer fully.
  setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  const int status = tool.run(context, static_cast<int>(argv.size() - 1), argv.data());
  fflush(stdout);
  return status;
}

}  // namespace

int RunComposer(int argc, char** argv) {
  ChoosePersonality(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);

  Options options;
  const int exit_code = ParseCommandLine(argc, argv, &options);
  if (exit_code >= 0) return exit_code;

  const Tool* tool = options.tool.empty() ? nullptr : FindToolByName(options.tool);
  if (!options.working_dir.empty()) {
    // The quotes are Emacs's, which follows the directory change with them.
    // Tools print nothing extra so their output can be piped.
    if (!tool && options.verbosity != Options::Verbosity::kNoStatusUpdate)
      Info("Entering directory `%s'", options.working_dir.c_str());
    if (chdir(options.working_dir.c_str()) < 0)
      Fatal("chdir to '%s' - %s", options.working_dir.c_str(), strerror(errno));
  }

  RealFileSystem file_system;
  ToolContext context;
  context.file_system = &file_system;
  context.dry_run = options.dry_run;
  if (tool && tool->when == Tool::When::kAfterFlags) return RunTool(*tool, context, options);

  const std::string manifest =
      options.input_file.empty() ? DefaultManifest(file_system) : options.input_file;
  Graph graph;
  ManifestParserOptions parser_options;
  parser_options.dupbuild_is_error = options.dupbuild_is_error;
  parser_options.phonycycle_is_error = options.phonycycle_is_error;
  ManifestParser parser(&graph, &file_system, parser_options);
  std::string err;
  if (!parser.Load(manifest, &err)) {
    Error("%s", err.c_str());
    return 1;
  }
  graph.FinishLoading();
  context.graph = &graph;

  if (tool) return RunTool(*tool, context, options);

  Error("building is not implemented yet; use -t to run a tool");
  return 1;
}

}  // namespace composer
