// What the manifest grammar's actions do: each statement's meaning, applied
// to the Graph in the order Ninja applies it, with Ninja's error messages at
// Ninja's positions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "parse/lexer.h"

namespace composer {

class ManifestParser;
struct ManifestParserOptions;

enum class PathKind : uint8_t {
  kOutput,
  kImplicitOutput,
  kInput,
  kImplicitInput,
  kOrderOnlyInput,
  kValidation,
  kCount,
};

class ManifestBuilder {
 public:
  ManifestBuilder(Graph* graph, ScopeId scope, Lexer* lexer, ManifestParser* parser,
                  const ManifestParserOptions& options);

  // Grammar actions.
  void Let(const Token& name, const Token& value);
  void BeginRule(const Token& name);
  void RuleBinding(const Token& key, const Token& value);
  void EndRule();
  void BeginPool(const Token& name);
  void PoolBinding(const Token& key, const Token& value);
  void EndPool();
  void AddPath(PathKind kind, const Token& path);
  void CheckOutputs();
  void SetEdgeRule(const Token& name);
  void AddEdgeBinding(const Token& key, const Token& value);
  void EndEdge();
  void AddDefault(const Token& path);
  void Include(const Token& path, bool new_scope);
  void SyntaxError(int kind, const Token& token);
  void StackOverflow();

  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }

 private:
  // Records the first error, formatted at the lexer's current position.
  void Fail(std::string_view message);

  // Evaluates a token's pieces in the file scope.
  void EvaluateInScope(const Token& token, std::string* out);
  // Evaluates pieces [begin, begin+count) of pending_pieces_ for the edge
  // being built: its own bindings first, then the file scope.
  void EvaluatePending(uint32_t begin, uint32_t count, std::string* out);
  std::string_view LookupInScope(std::string_view name) const;
  void ToEvalString(const Token& token, EvalString* out);
  // Evaluates and canonicalises a pending path; false (after Fail) if empty.
  bool ResolvePending(uint32_t index, std::string* path);
  void CheckVersion(std::string_view name, std::string_view value);

  Graph* graph_;
  ScopeId scope_;
  Lexer* lexer_;
  ManifestParser* parser_;
  const ManifestParserOptions& options_;

  bool failed_ = false;
  std::string error_;

  // The rule or pool being declared.
  NameId pending_name_;
  Rule pending_rule_;
  int pending_depth_ = -1;

  // The edge being declared: its paths, unevaluated until its bindings are
  // known (paths may refer to them).
  struct PendingPath {
    uint32_t piece_begin;
    uint32_t piece_count;
    PathKind kind;
  };
  EdgeId edge_;
  std::vector<LexPiece> pending_pieces_;
  std::vector<PendingPath> pending_paths_;
  uint32_t pending_counts_[static_cast<int>(PathKind::kCount)] = {};

  std::string scratch_;
};

}  // namespace composer
