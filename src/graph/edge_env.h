// Expands variables in an edge's environment exactly as Ninja's EdgeEnv:
// $in, $in_newline and $out from the edge's explicit paths; then the edge's
// own bindings (or, for an edge without any, its file scope's); then the
// rule's binding, expanded in this same environment; then enclosing scopes.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"

namespace composer {

enum class EscapeKind { kShellEscape, kDoNotEscape };

class EdgeEnv {
 public:
  EdgeEnv(const Graph& graph, EdgeId edge, EscapeKind escape)
      : graph_(graph), edge_(graph.edge(edge)), id_(edge), escape_(escape) {}

  // Appends the value of `var` to *out. A rule variable that refers back to
  // itself is fatal ("cycle in rule variables: a -> b -> a").
  void Append(NameId var, std::string* out);
  // Instead of exiting on a cycle in rule variables, sets *cycle and expands
  // nothing more.
  void ReportCycleIn(bool* cycle) { cycle_ = cycle; }
  std::string Lookup(NameId var) {
    std::string out;
    Append(var, &out);
    return out;
  }

 private:
  void AppendPathList(std::span<const NodeId> nodes, char separator, std::string* out);

  const Graph& graph_;
  const Edge& edge_;
  EdgeId id_;
  EscapeKind escape_;
  // Rule variables being expanded, outermost first (the first lookup is not
  // recorded, which keeps Ninja's wording of the cycle message).
  std::vector<NameId> lookups_;
  bool recursive_ = false;
  bool* cycle_ = nullptr;
};

// The edge's command line; with include_rsp_file, ";rspfile=<content>" is
// appended when the rule writes a response file (the command hash covers it).
std::string EvaluateCommand(const Graph& graph, EdgeId edge,
                            bool include_rsp_file = false);

// As EvaluateCommand(graph, edge, true), but false instead of a fatal error
// on a cycle in rule variables (for hashing every command ahead of time).
bool TryEvaluateCommand(const Graph& graph, EdgeId edge, std::string* command);

// A rule variable as the edge sees it, paths shell-quoted in $in/$out.
std::string GetBinding(const Graph& graph, EdgeId edge, RuleKey key);
bool GetBindingBool(const Graph& graph, EdgeId edge, RuleKey key);

// A rule variable with $in/$out unquoted: for depfile, dyndep and rspfile,
// which name files rather than go through the shell.
std::string GetUnescapedBinding(const Graph& graph, EdgeId edge, RuleKey key);

}  // namespace composer
