// Loads a manifest and everything it includes into a Graph.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"

namespace composer {

class FileSystem;
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

 private:
  bool Parse(std::string_view filename, std::string_view input, ScopeId scope,
             std::string* err);

  Graph* graph_;
  FileSystem* file_system_;
  ManifestParserOptions options_;
  std::vector<std::string> include_stack_;
  std::vector<std::string> warnings_;
  std::vector<std::string> files_read_;
};

}  // namespace composer
