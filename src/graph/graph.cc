#include "graph/graph.h"

#include <algorithm>
#include <cassert>

#include "util/spellcheck.h"

namespace composer {

Graph::Graph() {
  for (std::string_view key : kRuleKeyNames) names_.Intern(key);
  names_.Intern("in");
  names_.Intern("in_newline");
  names_.Intern("out");
  assert(names_.size() == kFixedNameCount);

  scopes_.push_back(Scope{});  // the root scope
  // The built-in "phony" rule lives in the root scope, as in Ninja.
  const RuleId phony = AddRule(kRootScope, InternName("phony"));
  assert(phony == kPhonyRule);
  (void)phony;
  pools_.push_back(Pool{InternName(""), 0});
  const PoolId console = AddPool(InternName("console"), 1);
  assert(console == kConsolePool);
  (void)console;
}

NameId Graph::FindName(std::string_view name) const {
  const uint32_t id = names_.Find(name);
  return id == Interner::kNone ? NameId() : NameId(id);
}

NodeId Graph::GetNode(std::string_view path) {
  const uint32_t id = paths_.Intern(path);
  if (id == in_edge_.size()) in_edge_.push_back(EdgeId());
  return NodeId(id);
}

NodeId Graph::LookupNode(std::string_view path) const {
  const uint32_t id = paths_.Find(path);
  return id == Interner::kNone ? NodeId() : NodeId(id);
}

EdgeId OutEdgeRange::Iterator::operator*() const {
  if (fixed_ != fixed_end_) return *fixed_;
  return graph_->added_out_[extra_ - 1].edge;
}

OutEdgeRange::Iterator& OutEdgeRange::Iterator::operator++() {
  if (fixed_ != fixed_end_)
    ++fixed_;
  else
    extra_ = graph_->added_out_[extra_ - 1].next;
  return *this;
}

OutEdgeRange Graph::out_edges(NodeId node) const {
  std::span<const EdgeId> fixed;
  if (node.value + 1 < out_begin_.size()) {
    fixed = std::span<const EdgeId>(out_edges_.data() + out_begin_[node.value],
                                    out_begin_[node.value + 1] - out_begin_[node.value]);
  }
  const uint32_t extra =
      node.value < added_out_head_.size() ? added_out_head_[node.value] : 0;
  return OutEdgeRange(this, fixed, extra);
}

void Graph::AddOutEdge(NodeId node, EdgeId edge) {
  if (node.value >= added_out_head_.size()) {
    added_out_head_.resize(node_count(), 0);
    added_out_tail_.resize(node_count(), 0);
  }
  added_out_.push_back(AddedOutEdge{edge, 0});
  const uint32_t index = static_cast<uint32_t>(added_out_.size());
  if (added_out_tail_[node.value])
    added_out_[added_out_tail_[node.value] - 1].next = index;
  else
    added_out_head_[node.value] = index;
  added_out_tail_[node.value] = index;
}

bool Graph::AddDyndepPaths(EdgeId id, std::span<const NodeId> implicit_outs,
                           std::span<const NodeId> implicit_ins, std::string* err) {
  for (NodeId out : implicit_outs) {
    const EdgeId producer = in_edge_[out.value];
    if (producer.valid() && !edges_[producer.value].discovered_phony) {
      *err = "multiple rules generate " + std::string(Path(out));
      return false;
    }
  }
  Edge& e = edges_[id.value];
  std::vector<NodeId> run;
  const NodeId* old = edge_nodes_.data() + e.nodes_begin;
  const uint32_t outs = e.out_count();
  const uint32_t ins_before_order_only = e.explicit_ins + e.implicit_ins;
  run.insert(run.end(), old, old + outs);
  run.insert(run.end(), implicit_outs.begin(), implicit_outs.end());
  run.insert(run.end(), old + outs, old + outs + ins_before_order_only);
  run.insert(run.end(), implicit_ins.begin(), implicit_ins.end());
  run.insert(run.end(), old + outs + ins_before_order_only,
             old + outs + e.in_count() + e.validation_count);
  e.nodes_begin = static_cast<uint32_t>(edge_nodes_.size());
  edge_nodes_.insert(edge_nodes_.end(), run.begin(), run.end());
  e.implicit_outs += static_cast<uint32_t>(implicit_outs.size());
  e.implicit_ins += static_cast<uint32_t>(implicit_ins.size());
  for (NodeId out : implicit_outs) {
    const EdgeId producer = in_edge_[out.value];
    // A phony stand-in for a discovered dependency loses its output to the
    // real producer.
    if (producer.valid()) edges_[producer.value].explicit_outs = 0;
    in_edge_[out.value] = id;
  }
  for (NodeId in : implicit_ins) AddOutEdge(in, id);
  return true;
}

EdgeId Graph::AddDiscoveredPhonyEdge(NodeId node) {
  const EdgeId id = StartEdge(kPhonyRule, kRootScope);
  Edge& e = edges_.back();
  e.discovered_phony = true;
  e.explicit_outs = 1;
  edge_nodes_.push_back(node);
  in_edge_[node.value] = id;
  return id;
}

std::span<const EdgeId> Graph::validation_out_edges(NodeId node) const {
  auto it = validation_out_edges_.find(node);
  if (it == validation_out_edges_.end()) return {};
  return it->second;
}

NodeId Graph::SpellcheckNode(std::string_view path) const {
  constexpr int kMaxDistance = 3;
  int best_distance = kMaxDistance + 1;
  NodeId best;
  for (uint32_t i = 0; i < paths_.size(); ++i) {
    const int distance = EditDistance(paths_.Get(i), path, true, kMaxDistance);
    if (distance < best_distance) {
      best_distance = distance;
      best = NodeId(i);
    }
  }
  return best;
}

ScopeId Graph::AddScope(ScopeId parent) {
  scopes_.push_back(Scope{parent, {}, {}});
  return ScopeId(static_cast<uint32_t>(scopes_.size() - 1));
}

void Graph::SetVar(ScopeId scope, NameId name, ValueId value) {
  scopes_[scope.value].vars[name] = value;
}

bool Graph::FindOwnVar(ScopeId scope, NameId name, ValueId* value) const {
  const auto& vars = scopes_[scope.value].vars;
  auto it = vars.find(name);
  if (it == vars.end()) return false;
  *value = it->second;
  return true;
}

std::string_view Graph::LookupVar(ScopeId scope, NameId name) const {
  for (ScopeId s = scope; s.valid(); s = scopes_[s.value].parent) {
    ValueId value;
    if (FindOwnVar(s, name, &value)) return Value(value);
  }
  return std::string_view();
}

RuleId Graph::AddRule(ScopeId scope, NameId name) {
  const RuleId id(static_cast<uint32_t>(rules_.size()));
  rules_.emplace_back();
  rules_.back().name = name;
  rules_.back().scope = scope;
  scopes_[scope.value].rules[name] = id;
  return id;
}

RuleId Graph::LookupRuleInScope(ScopeId scope, NameId name) const {
  const auto& rules = scopes_[scope.value].rules;
  auto it = rules.find(name);
  return it == rules.end() ? RuleId() : it->second;
}

RuleId Graph::LookupRule(ScopeId scope, NameId name) const {
  for (ScopeId s = scope; s.valid(); s = scopes_[s.value].parent) {
    const RuleId rule = LookupRuleInScope(s, name);
    if (rule.valid()) return rule;
  }
  return RuleId();
}

std::vector<RuleId> Graph::RulesInScope(ScopeId scope) const {
  std::vector<RuleId> result;
  for (const auto& [name, rule] : scopes_[scope.value].rules) result.push_back(rule);
  std::sort(result.begin(), result.end(), [this](RuleId a, RuleId b) {
    return Name(rules_[a.value].name) < Name(rules_[b.value].name);
  });
  return result;
}

PoolId Graph::AddPool(NameId name, int depth) {
  const PoolId id(static_cast<uint32_t>(pools_.size()));
  pools_.push_back(Pool{name, depth});
  pool_by_name_[name] = id;
  return id;
}

PoolId Graph::LookupPool(NameId name) const {
  auto it = pool_by_name_.find(name);
  return it == pool_by_name_.end() ? PoolId() : it->second;
}

std::span<const NodeId> Graph::outputs(EdgeId id) const {
  const Edge& e = edges_[id.value];
  return std::span<const NodeId>(edge_nodes_.data() + e.nodes_begin, e.out_count());
}

std::span<const NodeId> Graph::explicit_outputs(EdgeId id) const {
  const Edge& e = edges_[id.value];
  return std::span<const NodeId>(edge_nodes_.data() + e.nodes_begin, e.explicit_outs);
}

std::span<const NodeId> Graph::inputs(EdgeId id) const {
  const Edge& e = edges_[id.value];
  return std::span<const NodeId>(edge_nodes_.data() + e.nodes_begin + e.out_count(),
                                 e.in_count());
}

std::span<const NodeId> Graph::explicit_inputs(EdgeId id) const {
  const Edge& e = edges_[id.value];
  return std::span<const NodeId>(edge_nodes_.data() + e.nodes_begin + e.out_count(),
                                 e.explicit_ins);
}

std::span<const NodeId> Graph::validations(EdgeId id) const {
  const Edge& e = edges_[id.value];
  return std::span<const NodeId>(
      edge_nodes_.data() + e.nodes_begin + e.out_count() + e.in_count(),
      e.validation_count);
}

bool Graph::BindsAnywhere(RuleKey key) const {
  const NameId name = KeyName(key);
  for (const Rule& rule : rules_) {
    if (rule.present[static_cast<int>(key)]) return true;
  }
  for (const EdgeBinding& binding : edge_bindings_) {
    if (binding.name == name) return true;
  }
  for (const Scope& scope : scopes_) {
    if (scope.vars.count(name)) return true;
  }
  return false;
}

std::span<const EdgeBinding> Graph::edge_bindings(EdgeId id) const {
  const Edge& e = edges_[id.value];
  return std::span<const EdgeBinding>(edge_bindings_.data() + e.bindings_begin,
                                      e.bindings_count);
}

EdgeId Graph::StartEdge(RuleId rule, ScopeId scope) {
  Edge edge;
  edge.rule = rule;
  edge.pool = kDefaultPool;
  edge.scope = scope;
  edge.bindings_begin = static_cast<uint32_t>(edge_bindings_.size());
  edge.nodes_begin = static_cast<uint32_t>(edge_nodes_.size());
  edges_.push_back(edge);
  return EdgeId(static_cast<uint32_t>(edges_.size() - 1));
}

uint32_t Graph::AddEdgeBinding(NameId name, ValueId value) {
  edge_bindings_.push_back(EdgeBinding{name, value});
  ++edges_.back().bindings_count;
  return static_cast<uint32_t>(edge_bindings_.size() - 1);
}

bool Graph::AddOutput(EdgeId id, NodeId node) {
  if (in_edge_[node.value].valid()) return false;
  in_edge_[node.value] = id;
  edge_nodes_.push_back(node);
  return true;
}

void Graph::AddInput(EdgeId, NodeId node) {
  edge_nodes_.push_back(node);
}

void Graph::AddValidation(EdgeId, NodeId node) {
  edge_nodes_.push_back(node);
}

void Graph::DiscardLastEdge() {
  const Edge& e = edges_.back();
  const EdgeId id(static_cast<uint32_t>(edges_.size() - 1));
  for (uint32_t i = e.nodes_begin; i < edge_nodes_.size(); ++i) {
    // Only outputs claimed by this edge point back at it.
    if (in_edge_[edge_nodes_[i].value] == id) in_edge_[edge_nodes_[i].value] = EdgeId();
  }
  edge_nodes_.resize(e.nodes_begin);
  edge_bindings_.resize(e.bindings_begin);
  edges_.pop_back();
}

std::vector<NodeId> Graph::RootNodes(std::string* err) const {
  std::vector<NodeId> roots;
  for (uint32_t e = 0; e < edges_.size(); ++e) {
    for (NodeId out : outputs(EdgeId(e))) {
      if (out_edges(out).empty()) roots.push_back(out);
    }
  }
  if (!edges_.empty() && roots.empty())
    *err = "could not determine root nodes of build graph";
  return roots;
}

std::vector<NodeId> Graph::DefaultNodes(std::string* err) const {
  return defaults_.empty() ? RootNodes(err) : defaults_;
}

void Graph::FinishLoading() {
  const uint32_t nodes = node_count();
  out_begin_.assign(nodes + 1, 0);
  // Count, then prefix-sum, then fill: two passes over the inputs, no
  // per-node allocation.
  for (uint32_t e = 0; e < edges_.size(); ++e) {
    for (NodeId in : inputs(EdgeId(e))) ++out_begin_[in.value + 1];
  }
  for (const auto& [edge, node] : phantom_out_edges_) ++out_begin_[node.value + 1];
  for (uint32_t n = 0; n < nodes; ++n) out_begin_[n + 1] += out_begin_[n];
  out_edges_.resize(out_begin_[nodes]);
  std::vector<uint32_t> fill(out_begin_.begin(), out_begin_.end() - 1);
  validation_out_edges_.clear();
  size_t phantom = 0;
  for (uint32_t e = 0; e < edges_.size(); ++e) {
    for (NodeId in : inputs(EdgeId(e))) out_edges_[fill[in.value]++] = EdgeId(e);
    for (; phantom < phantom_out_edges_.size() &&
           phantom_out_edges_[phantom].first.value == e;
         ++phantom) {
      const NodeId node = phantom_out_edges_[phantom].second;
      out_edges_[fill[node.value]++] = EdgeId(e);
    }
    for (NodeId v : validations(EdgeId(e))) validation_out_edges_[v].push_back(EdgeId(e));
  }
}

}  // namespace composer
