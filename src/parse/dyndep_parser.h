// Dyndep files: extra implicit inputs and outputs (and restat) for edges
// whose "dyndep" binding names the file, known only once a build step has
// written it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "parse/lexer.h"

namespace composer {

struct Dyndeps {
  bool used = false;
  bool restat = false;
  std::vector<NodeId> implicit_inputs;
  std::vector<NodeId> implicit_outputs;
};

// Ordered by edge id, so errors about extra entries are deterministic.
using DyndepFile = std::map<EdgeId, Dyndeps>;

// Parses a dyndep file's contents; nodes are created in `graph` as needed.
bool ParseDyndepFile(Graph* graph, std::string_view filename, const std::string& contents,
                     DyndepFile* file, std::string* err);

// The grammar's actions (grammar/dyndep_grammar.y).
class DyndepBuilder {
 public:
  DyndepBuilder(Graph* graph, Lexer* lexer, DyndepFile* file)
      : graph_(graph), lexer_(lexer), file_(file) {}

  void VersionName(const Token& name);
  void Version(const Token& value);
  void BeginEdge();
  void SetOutput(const Token& path);
  void AddImplicitOutput(const Token& path);
  void CheckRule(const Token& name);
  void AddImplicitInput(const Token& path);
  void Binding(const Token& key, const Token& value);
  void EndEdge();
  void SyntaxError(int kind, const Token& token);
  void StackOverflow();
  // At the end of input: the version line is required.
  void Finish();

  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }

 private:
  // Where in a build statement the parser is, for the few messages that
  // depend on it.
  enum class Phase { kNone, kFirstOutput, kOutputs, kInputs, kAfterInputs };

  void Fail(std::string_view message);
  // Dyndep files have no variables: references expand to nothing.
  std::string Evaluate(const Token& token) const;
  bool ResolvePaths(const std::vector<std::vector<LexPiece>>& pending,
                    std::vector<NodeId>* nodes);

  Graph* graph_;
  Lexer* lexer_;
  DyndepFile* file_;
  bool failed_ = false;
  std::string error_;
  bool have_version_ = false;
  std::string version_name_;
  Phase phase_ = Phase::kNone;
  Dyndeps* current_ = nullptr;
  std::vector<std::vector<LexPiece>> pending_outputs_;
  std::vector<std::vector<LexPiece>> pending_inputs_;
};

}  // namespace composer
