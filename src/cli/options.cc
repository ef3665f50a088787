#include "cli/options.h"

#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tools/tool.h"
#include "util/log.h"
#include "util/spellcheck.h"
#include "util/version.h"

namespace composer {

namespace {

int ProcessorCount() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

void Usage(int parallelism) {
  const Personality& p = CurrentPersonality();
  const std::string program(p.program);
  fprintf(
      stderr,
      "usage: %s [options] [targets...]\n"
      "\n"
      "if targets are unspecified, builds the 'default' target (see manual).\n"
      "\n"
      "options:\n"
      "  --version      print %s version (\"%s\")\n"
      "  -v, --verbose  show all command lines while building\n"
      "  --quiet        don't show progress status, just command output\n"
      "\n"
      "  -C DIR   change to DIR before doing anything else\n"
      "  -f FILE  specify input build file [default=%s]\n"
      "\n"
      "  -j N     run N jobs in parallel (0 means infinity) [default=%d on this system]\n"
      "  -k N     keep going until N jobs fail (0 means infinity) [default=1]\n"
      "  -l N     do not start new jobs if the load average is greater than N\n"
      "  -n       dry run (don't run commands but act like they succeeded)\n"
      "\n"
      "  -d MODE  enable debugging (use '-d list' to list modes)\n"
      "  -t TOOL  run a subtool (use '-t list' to list subtools)\n"
      "    terminates toplevel options; further flags are passed to the tool\n"
      "  -w FLAG  adjust warnings (use '-w list' to list warnings)\n",
      program.c_str(), program.c_str(),
      p.ninja_compat ? kNinjaCompatVersion : kComposerVersion,
      p.ninja_compat ? "build.ninja" : "build.composer, else build.ninja", parallelism);
  if (!p.ninja_compat) {
    fprintf(stderr,
            "\n"
            "  --ninja-compat  answer as ninja %s does (also when run as 'ninja')\n"
            "  --ninja-exact   Ninja's up-to-date rule: mtimes only, no content checks\n"
            "  --jobserver     share -j slots with child make/cargo/composer through a\n"
            "                  GNU make jobserver (also COMPOSER_JOBSERVER=1)\n",

            kNinjaCompatVersion);
  }
}

// Returns false when the program should exit (after -d list or a bad mode).
bool DebugEnable(const std::string& name, Options* options) {
  if (name == "list") {
    printf(
        "debugging modes:\n"
        "  stats        print operation counts/timing info\n"
        "  explain      explain what caused a command to execute\n"
        "  keepdepfile  don't delete depfiles after they're read by ninja\n"
        "  keeprsp      don't delete @response files on success\n"
        "multiple modes can be enabled via -d FOO -d BAR\n");
    return false;
  }
  if (name == "stats") {
    options->debug_stats = true;
  } else if (name == "explain") {
    options->debug_explain = true;
  } else if (name == "keepdepfile") {
    options->debug_keepdepfile = true;
  } else if (name == "keeprsp") {
    options->debug_keeprsp = true;
  } else if (name == "nostatcache") {
    // Accepted for compatibility; Composer has no experimental stat cache.
  } else {
    const char* suggestion = SpellcheckString(
        name, {"stats", "explain", "keepdepfile", "keeprsp", "nostatcache"});
    if (suggestion)
      Error("unknown debug setting '%s', did you mean '%s'?", name.c_str(), suggestion);
    else
      Error("unknown debug setting '%s'", name.c_str());
    return false;
  }
  return true;
}

// Returns false when the program should exit (after -w list or a bad flag).
bool WarningEnable(const std::string& name, Options* options) {
  if (name == "list") {
    printf(
        "warning flags:\n"
        "  phonycycle={err,warn}  phony build statement references itself\n");
    return false;
  }
  if (name == "dupbuild=err") {
    options->dupbuild_is_error = true;
  } else if (name == "dupbuild=warn") {
    options->dupbuild_is_error = false;
  } else if (name == "phonycycle=err") {
    options->phonycycle_is_error = true;
  } else if (name == "phonycycle=warn") {
    options->phonycycle_is_error = false;
  } else if (name == "depfilemulti=err" || name == "depfilemulti=warn") {
    Warning("deprecated warning 'depfilemulti'");
  } else {
    const char* suggestion = SpellcheckString(
        name, {"dupbuild=err", "dupbuild=warn", "phonycycle=err", "phonycycle=warn"});
    if (suggestion)
      Error("unknown warning flag '%s', did you mean '%s'?", name.c_str(), suggestion);
    else
      Error("unknown warning flag '%s'", name.c_str());
    return false;
  }
  return true;
}

bool TakesArgument(char c) {
  return strchr("dfjklwCt", c) != nullptr;
}

// What getopt would have said about the argument CLI11 rejected.
std::string GetoptMessage(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    // "-f: 1 required TEXT missing"
    if (what.size() >= 2 && what[0] == '-' && what[1] != '-')
      return std::string("option requires an argument -- '") + what[1] + "'";
    return what;
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // "The following argument(s) were not expected: -z --bogus"
    const size_t colon = what.find(": ");
    std::string arg = colon == std::string::npos ? what : what.substr(colon + 2);
    arg = arg.substr(0, arg.find(' '));
    if (arg.rfind("--", 0) == 0) return "unrecognized option '" + arg + "'";
    // The first letter of a cluster getopt does not know.
    for (size_t i = 1; i < arg.size(); ++i) {
      if (!strchr("dfjklwCtnvh", arg[i]))
        return std::string("invalid option -- '") + arg[i] + "'";
      if (TakesArgument(arg[i])) break;
    }
    if (arg.size() > 1) return std::string("invalid option -- '") + arg[1] + "'";
  }
  return what;
}

// Splits argv where Ninja's getopt loop stops: at "-t TOOL". Everything after
// the tool's name belongs to the tool.
struct SplitArgs {
  std::vector<char*> top_level;  // argv[0] and the options before -t
  std::string tool;
  bool tool_given = false;
  std::string tool_word;
  int tool_args_begin = 0;
  std::string cluster_prefix;  // flags written in one word before t ("-nt")
};

SplitArgs SplitAtTool(int argc, char** argv) {
  SplitArgs split;
  split.top_level.push_back(argv[0]);
  split.tool_args_begin = argc;
  for (int i = 1; i < argc; ++i) {
    char* arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      for (; i < argc; ++i) split.top_level.push_back(argv[i]);
      break;
    }
    if (arg[0] != '-' || arg[1] == '\0' || arg[1] == '-') {
      split.top_level.push_back(arg);
      continue;
    }
    bool found_tool = false;
    int consumed_next = 0;
    for (int j = 1; arg[j]; ++j) {
      if (!TakesArgument(arg[j])) continue;
      const bool attached = arg[j + 1] != '\0';
      if (arg[j] == 't' && (attached || i + 1 < argc)) {
        if (j > 1) split.cluster_prefix.assign(arg, static_cast<size_t>(j));
        split.tool = attached ? arg + j + 1 : argv[i + 1];
        split.tool_given = true;
        // getopt in the tool sees the word that held the name as argv[0].
        split.tool_word = attached ? arg : argv[i + 1];
        split.tool_args_begin = attached ? i + 1 : i + 2;
        found_tool = true;
      } else if (!attached && i + 1 < argc) {
        consumed_next = 1;  // the option's argument is the next word
      }
      break;
    }
    if (found_tool) break;
    split.top_level.push_back(arg);
    if (consumed_next) split.top_level.push_back(argv[++i]);
  }
  return split;
}

}  // namespace

int GuessParallelism() {
  const int processors = ProcessorCount();
  if (processors <= 1) return 2;
  if (processors == 2) return 3;
  return processors + 2;
}

int ParseCommandLine(int argc, char** argv, Options* options) {
  SplitArgs split = SplitAtTool(argc, argv);
  if (!split.cluster_prefix.empty())
    split.top_level.push_back(split.cluster_prefix.data());
  const std::string tool = split.tool;

  CLI::App app("composer");
  app.set_help_flag();  // -h is Ninja's: usage on stderr, exit 1
  std::string input_file, working_dir, jobs, keep_going, load;
  std::vector<std::string> debug_modes, warning_flags;
  bool dry_run = false, verbose = false, quiet = false, help = false, version = false;
  bool ninja_compat = false;
  bool ninja_exact = false;
  bool jobserver = false;
  // As with getopt, a repeated option takes its last value.
  const auto last = CLI::MultiOptionPolicy::TakeLast;
  CLI::Option* input_file_option =
      app.add_option("-f", input_file)->multi_option_policy(last);
  app.add_option("-C", working_dir)->multi_option_policy(last);
  app.add_option("-j", jobs)->multi_option_policy(last);
  app.add_option("-k", keep_going)->multi_option_policy(last);
  app.add_option("-l", load)->multi_option_policy(last);
  // Each -d/-w takes exactly one word, as with getopt: "-d explain all"
  // builds "all". (CLI11 lets a vector option swallow the words after it.)
  app.add_option("-d", debug_modes)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("-w", warning_flags)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  std::string missing_tool;  // "-t" with no name left: CLI11 reports it
  app.add_option("-t", missing_tool);
  app.add_flag("-n", dry_run);
  app.add_flag("-v,--verbose", verbose);
  app.add_flag("--quiet", quiet);
  app.add_flag("-h,--help", help);
  app.add_flag("--version", version);
  app.add_flag("--ninja-compat", ninja_compat);
  app.add_flag("--ninja-exact", ninja_exact);
  app.add_flag("--jobserver", jobserver);
  app.add_option("targets", options->targets);

  try {
    app.parse(static_cast<int>(split.top_level.size()), split.top_level.data());
  } catch (const CLI::ParseError& e) {
    // Worded as getopt words it, since scripts and generators read these.
    const std::string program(CurrentPersonality().program);
    fprintf(stderr, "%s: %s\n", program.c_str(), GetoptMessage(e).c_str());
    Usage(GuessParallelism());
    return 1;
  }

  for (const std::string& mode : debug_modes) {
    if (!DebugEnable(mode, options)) return 1;
  }
  if (split.tool_given) {
    options->tool = tool;
    options->tool_word = split.tool_word;
    if (tool == "list") {
      PrintToolList();
      return 0;
    }
    if (!FindToolByName(tool)) {
      std::vector<const char*> names = ToolNames();
      const char* suggestion = SpellcheckString(tool, names);
      if (suggestion)
        Fatal("unknown tool '%s', did you mean '%s'?", tool.c_str(), suggestion);
      Fatal("unknown tool '%s'", tool.c_str());
    }
    for (int i = split.tool_args_begin; i < argc; ++i)
      options->tool_args.push_back(argv[i]);
  }
  if (!jobs.empty()) {
    char* end;
    errno = 0;
    const long value = strtol(jobs.c_str(), &end, 10);
    if (*end != 0 || value < 0 || errno) Fatal("invalid -j parameter");
    // -j0 means "no limit"; INT_MAX is as good as infinite.
    options->parallelism =
        value > 0 && value < INT_MAX ? static_cast<int>(value) : INT_MAX;
    options->parallelism_explicit = true;
  }
  if (!keep_going.empty()) {
    char* end;
    const long value = strtol(keep_going.c_str(), &end, 10);
    if (*end != 0) Fatal("-k parameter not numeric; did you mean -k 0?");
    options->failures_allowed =
        value > 0 && value < INT_MAX ? static_cast<int>(value) : INT_MAX;
  }
  if (!load.empty()) {
    char* end;
    const double value = strtod(load.c_str(), &end);
    if (end == load.c_str()) Fatal("-l parameter not numeric: did you mean -l 0.0?");
    options->max_load_average = value;
  }
  options->dry_run = dry_run;
  if (verbose) options->verbosity = Options::Verbosity::kVerbose;
  if (quiet) options->verbosity = Options::Verbosity::kNoStatusUpdate;
  for (const std::string& flag : warning_flags) {
    if (!WarningEnable(flag, options)) return 1;
  }
  options->ninja_exact = ninja_exact;
  options->jobserver_server = jobserver;

  options->input_file = input_file;
  options->input_file_given = input_file_option->count() > 0;
  options->working_dir = working_dir;
  if (version) {
    if (CurrentPersonality().ninja_compat)
      printf("%s\n", kNinjaCompatVersion);
    else
      printf("composer %s (ninja %s compatible)\n", kComposerVersion,
             kNinjaCompatVersion);
    return 0;
  }
  if (help) {
    Usage(options->parallelism ? options->parallelism : GuessParallelism());
    return 1;
  }
  if (options->parallelism == 0) options->parallelism = GuessParallelism();
  return -1;
}

}  // namespace composer
