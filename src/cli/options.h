// The command line: Ninja's flags with Ninja's meanings, plus Composer's own.
#pragma once

#include <string>
#include <vector>

namespace composer {

struct Options {
  std::string input_file;  // -f; empty: build.composer, else build.ninja
  bool input_file_given = false;

  std::string working_dir;  // -C
  std::string tool;         // -t; empty: build
  std::string tool_word;    // the argument word holding the tool name
  std::vector<std::string> tool_args;
  std::vector<std::string> targets;

  int parallelism = 0;  // -j; 0 until guessed
  bool parallelism_explicit = false;
  bool jobserver_server = false;  // --jobserver: be the jobserver for children

  int failures_allowed = 1;        // -k
  double max_load_average = -0.0;  // -l; <= 0: no limit
  bool dry_run = false;            // -n

  enum class Verbosity { kQuiet, kNoStatusUpdate, kNormal, kVerbose };
  Verbosity verbosity = Verbosity::kNormal;

  // -d modes.
  bool debug_stats = false;
  bool debug_explain = false;
  bool debug_keepdepfile = false;
  bool debug_keeprsp = false;

  // --ninja-exact: Ninja's mtime-only up-to-date rule (no content checks).
  bool ninja_exact = false;

  // --summary FILE: a JSON summary of the build (cli/summary.h).
  std::string summary_file;

  // -w flags.
  bool dupbuild_is_error = true;
  bool phonycycle_is_error = false;
};

// The default for -j: the number of usable cores plus two (3 for 2 cores,
// 2 for one), as Ninja guesses it.
int GuessParallelism();

// Parses argv into *options. Returns -1 to go on, or the exit code when the
// command line itself was the whole job (--version, -t list, a bad flag).
int ParseCommandLine(int argc, char** argv, Options* options);

}  // namespace composer
