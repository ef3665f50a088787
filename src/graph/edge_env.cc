#include "graph/edge_env.h"

#include <algorithm>

#include "util/escape.h"
#include "util/log.h"

namespace composer {

void EdgeEnv::AppendPathList(std::span<const NodeId> nodes, char separator,
                             std::string* out) {
  bool first = true;
  for (NodeId node : nodes) {
    if (!first) out->push_back(separator);
    first = false;
    if (escape_ == EscapeKind::kShellEscape)
      AppendShellEscaped(graph_.Path(node), out);
    else
      out->append(graph_.Path(node));
  }
}

void EdgeEnv::Append(NameId var, std::string* out) {
  if (var == kNameIn || var == kNameInNewline) {
    AppendPathList(graph_.explicit_inputs(id_), var == kNameIn ? ' ' : '\n', out);
    return;
  }
  if (var == kNameOut) {
    AppendPathList(graph_.explicit_outputs(id_), ' ', out);
    return;
  }

  if (cycle_ && *cycle_) return;
  if (recursive_) {
    auto it = std::find(lookups_.begin(), lookups_.end(), var);
    if (it != lookups_.end()) {
      std::string cycle;
      for (; it != lookups_.end(); ++it) {
        cycle += graph_.Name(*it);
        cycle += " -> ";
      }
      cycle += graph_.Name(var);
      if (cycle_) {
        *cycle_ = true;
        return;
      }
      Fatal("cycle in rule variables: %s", cycle.c_str());
    }
  }

  RuleKey key;
  const EvalString* eval =
      AsRuleKey(var, &key) ? graph_.rule(edge_.rule).binding(key) : nullptr;
  const bool pushed = recursive_ && eval;
  if (pushed) lookups_.push_back(var);
  recursive_ = true;

  // The edge's own bindings, or its file scope's when it has none: these
  // shadow the rule's binding (Ninja's BindingEnv::LookupWithFallback).
  bool found = false;
  if (edge_.bindings_count > 0) {
    std::span<const EdgeBinding> bindings = graph_.edge_bindings(id_);
    for (auto it = bindings.rbegin(); it != bindings.rend(); ++it) {
      if (it->name == var) {
        out->append(graph_.Value(it->value));
        found = true;
        break;
      }
    }
  } else {
    ValueId value;
    if (graph_.FindOwnVar(edge_.scope, var, &value)) {
      out->append(graph_.Value(value));
      found = true;
    }
  }

  if (!found) {
    if (eval) {
      for (const EvalString::Piece& piece : eval->pieces()) {
        if (piece.var.valid())
          Append(piece.var, out);
        else
          out->append(eval->text(piece));
      }
    } else {
      const ScopeId parent =
          edge_.bindings_count > 0 ? edge_.scope : graph_.scope_parent(edge_.scope);
      if (parent.valid()) out->append(graph_.LookupVar(parent, var));
    }
  }

  if (pushed) lookups_.pop_back();
}

std::string EvaluateCommand(const Graph& graph, EdgeId edge, bool include_rsp_file) {
  std::string command = GetBinding(graph, edge, RuleKey::kCommand);
  if (include_rsp_file) {
    const std::string content = GetBinding(graph, edge, RuleKey::kRspfileContent);
    if (!content.empty()) {
      command += ";rspfile=";
      command += content;
    }
  }
  return command;
}

bool TryEvaluateCommand(const Graph& graph, EdgeId edge, std::string* command) {
  bool cycle = false;
  EdgeEnv env(graph, edge, EscapeKind::kShellEscape);
  env.ReportCycleIn(&cycle);
  command->clear();
  env.Append(KeyName(RuleKey::kCommand), command);
  EdgeEnv rsp(graph, edge, EscapeKind::kShellEscape);
  rsp.ReportCycleIn(&cycle);
  std::string content;
  rsp.Append(KeyName(RuleKey::kRspfileContent), &content);
  if (!content.empty()) {
    *command += ";rspfile=";
    *command += content;
  }
  return !cycle;
}

std::string GetBinding(const Graph& graph, EdgeId edge, RuleKey key) {
  EdgeEnv env(graph, edge, EscapeKind::kShellEscape);
  return env.Lookup(KeyName(key));
}

bool GetBindingBool(const Graph& graph, EdgeId edge, RuleKey key) {
  return !GetBinding(graph, edge, key).empty();
}

std::string GetUnescapedBinding(const Graph& graph, EdgeId edge, RuleKey key) {
  EdgeEnv env(graph, edge, EscapeKind::kDoNotEscape);
  return env.Lookup(KeyName(key));
}

}  // namespace composer
