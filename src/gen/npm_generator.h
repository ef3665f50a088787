// `composer -t npm`: reads a JavaScript workspace and writes the build files
// that run its package scripts (doc/npm.md).
#pragma once

#include <string>
#include <vector>

namespace composer {

struct NpmGeneratorOptions {
  std::string root = ".";
  std::string output = "build.composer";  // relative to root
  std::vector<std::string> tasks;         // empty: from package.json or the defaults
  std::string self;                       // the composer binary, for regeneration
  bool install = true;                    // false: --no-install
};

struct NpmGeneratorReport {
  size_t packages = 0;
  size_t tasks = 0;
  size_t files_written = 0;        // unchanged files are left alone
  std::vector<std::string> notes;  // configuration read but not followed
};

// All or nothing: every file is rendered and checked before any is written,
// each is written to a temporary file renamed into place, and one whose
// bytes would not change is not touched.
bool GenerateNpmBuild(const NpmGeneratorOptions& options, NpmGeneratorReport* report,
                      std::string* err);

// The command line the regeneration edge runs (from the root).
std::string RegenerateCommand(const NpmGeneratorOptions& options);

}  // namespace composer
