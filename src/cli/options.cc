#include "cli/options.h"

#include <getopt.h>
#include <sched.h>
#include <unistd.h>

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
    fprintf(
        stderr,
        "\n"
        "  --ninja-compat  answer as ninja %s does (also when run as 'ninja')\n"
        "  --ninja-exact   Ninja's up-to-date rule: mtimes only, no content checks\n"
        "  --jobserver     share -j slots with child make/cargo/composer through a\n"
        "                  GNU make jobserver (also COMPOSER_JOBSERVER=1)\n"
        "  --summary FILE  write a JSON summary of the build (edges, cache) to FILE\n",

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

}  // namespace

int GuessParallelism() {
  const int processors = ProcessorCount();
  if (processors <= 1) return 2;
  if (processors == 2) return 3;
  return processors + 2;
}

int ParseCommandLine(int argc, char** argv, Options* options) {
  // Ninja reads its flags with getopt_long, and so does Composer: the same
  // permutation (options and targets mixed), clusters (-nv, -j8), long
  // option prefixes (--verb), an argument taken even when it starts with
  // '-' (-d -v), and getopt's own messages, which start with argv[0].
  // getopt permutes the array, so it works on a copy.
  const Personality& personality = CurrentPersonality();
  std::string message_name(personality.program);
  if (personality.ninja_compat) {
    const char* base = strrchr(argv[0], '/');
    if (strcmp(base ? base + 1 : argv[0], "ninja") == 0) message_name = argv[0];
  }
  std::vector<char*> args(argv, argv + argc);
  args[0] = message_name.data();
  args.push_back(nullptr);

  enum {
    kOptVersion = 1,
    kOptQuiet,
    kOptNinjaCompat,
    kOptNinjaExact,
    kOptJobserver,
    kOptSummary,
  };
  const option long_options[] = {
      {"help", no_argument, nullptr, 'h'},
      {"version", no_argument, nullptr, kOptVersion},
      {"verbose", no_argument, nullptr, 'v'},
      {"quiet", no_argument, nullptr, kOptQuiet},
      {"ninja-compat", no_argument, nullptr, kOptNinjaCompat},
      {"ninja-exact", no_argument, nullptr, kOptNinjaExact},
      {"jobserver", no_argument, nullptr, kOptJobserver},
      {"summary", required_argument, nullptr, kOptSummary},
      {nullptr, 0, nullptr, 0},
  };

  // Each option acts as it is read, as in Ninja: the first bad value,
  // "-d list" or "--version" ends the parse before later words are seen.
  bool tool_given = false;
  optind = 0;  // a fresh scan
  int opt;
  while (!tool_given && (opt = getopt_long(argc, args.data(), "d:f:j:k:l:nt:vw:C:h",
                                           long_options, nullptr)) != -1) {
    switch (opt) {
      case 'd':
        if (!DebugEnable(optarg, options)) return 1;
        break;
      case 'f':
        options->input_file = optarg;
        options->input_file_given = true;
        break;
      case 'j': {
        // Read as Ninja reads it: strtol, kept in an int.
        char* end;
        const int value = static_cast<int>(strtol(optarg, &end, 10));
        if (*end != 0 || value < 0) Fatal("invalid -j parameter");
        // -j0 means "no limit"; INT_MAX is as good as infinite.
        options->parallelism = value > 0 ? value : INT_MAX;
        options->parallelism_explicit = true;
        break;
      }
      case 'k': {
        char* end;
        const int value = static_cast<int>(strtol(optarg, &end, 10));
        if (*end != 0) Fatal("-k parameter not numeric; did you mean -k 0?");
        options->failures_allowed = value > 0 ? value : INT_MAX;
        break;
      }
      case 'l': {
        char* end;
        const double value = strtod(optarg, &end);
        if (end == optarg) Fatal("-l parameter not numeric: did you mean -l 0.0?");
        options->max_load_average = value;
        break;
      }
      case 'n':
        options->dry_run = true;
        break;
      case 't': {
        const std::string tool = optarg;
        if (tool == "list") {
          PrintToolList();
          return 0;
        }
        if (!FindToolByName(tool)) {
          const char* suggestion = SpellcheckString(tool, ToolNames());
          if (suggestion)
            Fatal("unknown tool '%s', did you mean '%s'?", tool.c_str(), suggestion);
          Fatal("unknown tool '%s'", tool.c_str());
        }
        options->tool = tool;
        // The word that held the name: the tool's getopt sees it as argv[0].
        options->tool_word = args[optind - 1];
        tool_given = true;
        break;
      }
      case 'v':
        options->verbosity = Options::Verbosity::kVerbose;
        break;
      case kOptQuiet:
        options->verbosity = Options::Verbosity::kNoStatusUpdate;
        break;
      case 'w':
        if (!WarningEnable(optarg, options)) return 1;
        break;
      case 'C':
        options->working_dir = optarg;
        break;
      case kOptVersion:
        if (personality.ninja_compat)
          printf("%s\n", kNinjaCompatVersion);
        else
          // The Ninja version first: CMake and Meson read the leading
          // number, so the composer binary itself passes their checks.
          printf("%s (composer %s)\n", kNinjaCompatVersion, kComposerVersion);
        return 0;
      case kOptNinjaCompat:
        break;  // the personality was chosen before the parse
      case kOptNinjaExact:
        options->ninja_exact = true;
        break;
      case kOptJobserver:
        options->jobserver_server = true;
        break;
      case kOptSummary:
        options->summary_file = optarg;
        break;
      case 'h':
      default:  // getopt has already said what was wrong
        Usage(options->parallelism ? options->parallelism : GuessParallelism());
        return 1;
    }
  }
  // What getopt left: the tool's arguments, or the targets.
  std::vector<std::string>& rest = tool_given ? options->tool_args : options->targets;
  for (int i = optind; i < argc; ++i) rest.push_back(args[i]);
  if (options->parallelism == 0) options->parallelism = GuessParallelism();
  return -1;
}

}  // namespace composer
