// Loads a manifest and everything it includes into a Graph.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "util/file_system.h"

namespace composer {

class Lexer;

struct ManifestParserOptions {
  // -w dupbuild=err (default) / warn: two edges producing one output.
  bool dupbuild_is_error = true;
  // -w phonycycle=err / warn (default): "build a: phony a".
  bool phonycycle_is_error = false;
  // No warnings on stderr (used when reloading).
  bool quiet = false;
};

class ManifestParser {
 public:
  ManifestParser(Graph* graph, FileSystem* file_system,
                 ManifestParserOptions options = {});

  // Loads `filename` (relative to the working directory) into the root scope.
  bool Load(const std::string& filename, std::string* err);
  // Parses `input` as if read from `filename` (for tests and tools).
  bool ParseString(std::string_view filename, const std::string& input, std::string* err);

  // Loads an included file: into `scope` (include) or a fresh child scope
  // (subninja). `parent` positions errors about the include itself.
  bool LoadFile(const std::string& path, ScopeId scope, Lexer* parent, std::string* err);

  // Prints a warning (unless quiet, and `always` is false) and keeps it, so
  // a graph image can replay it.
  void Warn(const std::string& message, bool always = false);
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Every file read, in order (the root manifest first), as named.
  const std::vector<std::string>& files_read() const { return files_read_; }
  // With stat_files, each file is also stat'ed just before it is read
  // (file_stats() parallels files_read()), so a change while loading shows.
  void set_stat_files(bool on) { stat_files_ = on; }
  const std::vector<FileStat>& file_stats() const { return file_stats_; }

 private:
  bool Parse(std::string_view filename, std::string_view input, ScopeId scope,
             std::string* err);

  Graph* graph_;
  FileSystem* file_system_;
  ManifestParserOptions options_;
  std::vector<std::string> include_stack_;
  std::vector<std::string> warnings_;
  std::vector<std::string> files_read_;
  std::vector<FileStat> file_stats_;
  bool stat_files_ = false;
};

}  // namespace composer
