// The build graph: interned paths as nodes, edges as plain records over one
// shared array of node ids, rules and pools by id, and the variable scopes
// the manifest declared. Loading fills it; everything after reads it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/eval_string.h"
#include "graph/ids.h"
#include "graph/keys.h"
#include "util/interner.h"

namespace composer {

struct Rule {
  NameId name;
  ScopeId scope;  // where it was declared; subninja rules are local
  EvalString bindings[kRuleKeyCount];
  // A binding written as "key =" with nothing after it is still there: it
  // shadows outer scopes, though it counts as empty for "command" and the
  // rspfile pair.
  bool present[kRuleKeyCount] = {};
  bool has(RuleKey key) const { return !bindings[static_cast<int>(key)].empty(); }
  const EvalString* binding(RuleKey key) const {
    return present[static_cast<int>(key)] ? &bindings[static_cast<int>(key)] : nullptr;
  }
};

struct Pool {
  NameId name;
  int depth = 0;  // 0: unlimited
};

// One variable set on an edge (`build ...` followed by indented lines).
struct EdgeBinding {
  NameId name;
  ValueId value;
};

// Inputs and outputs live in Graph::edge_nodes_ as one run per edge:
// [explicit outs | implicit outs | explicit ins | implicit ins | order-only ins
// | validations].
struct Edge {
  RuleId rule;
  PoolId pool;
  ScopeId scope;  // the file scope the edge was declared in
  uint32_t bindings_begin = 0;
  uint32_t bindings_count = 0;  // 0: the edge reads its file scope directly
  uint32_t nodes_begin = 0;
  uint32_t explicit_outs = 0;
  uint32_t implicit_outs = 0;
  uint32_t explicit_ins = 0;
  uint32_t implicit_ins = 0;
  uint32_t order_only_ins = 0;
  uint32_t validation_count = 0;
  NodeId dyndep;                  // the dyndep file this edge waits for, if any
  bool discovered_phony = false;  // made for a discovered dependency

  uint32_t out_count() const { return explicit_outs + implicit_outs; }
  uint32_t in_count() const { return explicit_ins + implicit_ins + order_only_ins; }
  bool is_implicit_in(uint32_t index) const {
    return index >= explicit_ins && index < explicit_ins + implicit_ins;
  }
  bool is_order_only_in(uint32_t index) const {
    return index >= explicit_ins + implicit_ins;
  }
};

// The edges that read a node: those known when the manifest was loaded
// (a compact array), then any added during the build (dyndep, discovered
// dependencies), in the order they were added.
class OutEdgeRange {
 public:
  class Iterator {
   public:
    Iterator(const class Graph* graph, const EdgeId* fixed, const EdgeId* fixed_end,
             uint32_t extra)
        : graph_(graph), fixed_(fixed), fixed_end_(fixed_end), extra_(extra) {}
    EdgeId operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const {
      return fixed_ == other.fixed_ && extra_ == other.extra_;
    }

   private:
    const class Graph* graph_;
    const EdgeId* fixed_;
    const EdgeId* fixed_end_;
    uint32_t extra_;  // index + 1 into the added list, 0 at the end
  };
  OutEdgeRange(const class Graph* graph, std::span<const EdgeId> fixed, uint32_t extra)
      : graph_(graph), fixed_(fixed), extra_(extra) {}
  Iterator begin() const {
    return Iterator(graph_, fixed_.data(), fixed_.data() + fixed_.size(),
                    fixed_.empty() ? extra_ : extra_);
  }
  Iterator end() const {
    return Iterator(graph_, fixed_.data() + fixed_.size(), fixed_.data() + fixed_.size(),
                    0);
  }
  bool empty() const { return fixed_.empty() && extra_ == 0; }
  EdgeId front() const { return *begin(); }

 private:
  const class Graph* graph_;
  std::span<const EdgeId> fixed_;
  uint32_t extra_;
};

class Graph {
 public:
  static constexpr RuleId kPhonyRule{0};
  static constexpr PoolId kDefaultPool{0};
  static constexpr PoolId kConsolePool{1};
  static constexpr ScopeId kRootScope{0};

  Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // --- names and values --------------------------------------------------
  NameId InternName(std::string_view name) { return NameId(names_.Intern(name)); }
  NameId FindName(std::string_view name) const;
  std::string_view Name(NameId id) const { return names_.Get(id.value); }
  const Interner& names() const { return names_; }

  ValueId InternValue(std::string_view value) { return ValueId(values_.Intern(value)); }
  std::string_view Value(ValueId id) const { return values_.Get(id.value); }

  // --- nodes ---------------------------------------------------------------
  // The node for a canonical path, created when new.
  NodeId GetNode(std::string_view path);
  NodeId LookupNode(std::string_view path) const;
  std::string_view Path(NodeId node) const { return paths_.Get(node.value); }
  uint32_t node_count() const { return paths_.size(); }
  EdgeId in_edge(NodeId node) const { return in_edge_[node.value]; }
  // Edges that read `node` as an input, in the order they were declared,
  // then those added during the build. Valid once FinishLoading() has run.
  OutEdgeRange out_edges(NodeId node) const;
  // Records that `edge` reads `node` (dyndep inputs, discovered deps).
  void AddOutEdge(NodeId node, EdgeId edge);
  // Edges that name `node` as a validation.
  std::span<const EdgeId> validation_out_edges(NodeId node) const;
  // The closest existing path within edit distance 3, for "did you mean".
  NodeId SpellcheckNode(std::string_view path) const;

  // --- scopes --------------------------------------------------------------
  ScopeId AddScope(ScopeId parent);
  ScopeId scope_parent(ScopeId scope) const { return scopes_[scope.value].parent; }
  uint32_t scope_count() const { return static_cast<uint32_t>(scopes_.size()); }
  void SetVar(ScopeId scope, NameId name, ValueId value);
  // The binding made in `scope` itself, if any.
  bool FindOwnVar(ScopeId scope, NameId name, ValueId* value) const;
  // As Ninja's BindingEnv::LookupVariable: `scope`, then its parents; "" if unset.
  std::string_view LookupVar(ScopeId scope, NameId name) const;

  // --- rules and pools -----------------------------------------------------
  RuleId AddRule(ScopeId scope, NameId name);
  RuleId LookupRuleInScope(ScopeId scope, NameId name) const;
  RuleId LookupRule(ScopeId scope, NameId name) const;  // scope, then parents
  Rule& rule(RuleId id) { return rules_[id.value]; }
  const Rule& rule(RuleId id) const { return rules_[id.value]; }
  // Rules declared in `scope` itself, sorted by name.
  std::vector<RuleId> RulesInScope(ScopeId scope) const;

  PoolId AddPool(NameId name, int depth);
  PoolId LookupPool(NameId name) const;
  const Pool& pool(PoolId id) const { return pools_[id.value]; }
  uint32_t pool_count() const { return static_cast<uint32_t>(pools_.size()); }

  // --- edges ---------------------------------------------------------------
  uint32_t edge_count() const { return static_cast<uint32_t>(edges_.size()); }
  const Edge& edge(EdgeId id) const { return edges_[id.value]; }
  Edge& edge(EdgeId id) { return edges_[id.value]; }
  std::span<const NodeId> outputs(EdgeId id) const;
  std::span<const NodeId> explicit_outputs(EdgeId id) const;
  std::span<const NodeId> inputs(EdgeId id) const;
  std::span<const NodeId> explicit_inputs(EdgeId id) const;
  std::span<const NodeId> validations(EdgeId id) const;
  std::span<const EdgeBinding> edge_bindings(EdgeId id) const;
  // Whether any rule, edge or scope binds `key`: a quick test that lets hot
  // loops skip looking up a rarely used key edge by edge.
  bool BindsAnywhere(RuleKey key) const;
  bool is_phony(EdgeId id) const { return edges_[id.value].rule == kPhonyRule; }

  // Edge construction, used by the manifest loader: StartEdge, then the
  // nodes in order, then CommitEdge (or DiscardEdge).
  EdgeId StartEdge(RuleId rule, ScopeId scope);
  uint32_t AddEdgeBinding(NameId name, ValueId value);  // for the edge being built
  // Appends an output; false (and nothing added) when another edge already
  // produces `node`.
  bool AddOutput(EdgeId edge, NodeId node);
  void AddInput(EdgeId edge, NodeId node);
  void AddValidation(EdgeId edge, NodeId node);
  void DiscardLastEdge();
  // Keeps `edge` among `node`'s out edges after a self-referencing input was
  // dropped from it, as Ninja does (it removes the input, not the link).
  void AddPhantomOutEdge(NodeId node, EdgeId edge) {
    phantom_out_edges_.push_back({edge, node});
  }
  std::vector<NodeId>& edge_nodes() { return edge_nodes_; }

  // Adds outputs and implicit inputs learned from a dyndep file: the edge's
  // run of nodes moves to the end of the shared array with room for them.
  // Fails (with Ninja's message) when an output already has a real producer.
  bool AddDyndepPaths(EdgeId edge, std::span<const NodeId> implicit_outs,
                      std::span<const NodeId> implicit_ins, std::string* err);
  // A phony edge producing `node`, for a discovered dependency no edge
  // produces (so a missing header reruns its users instead of failing).
  EdgeId AddDiscoveredPhonyEdge(NodeId node);
  bool is_discovered_phony(EdgeId edge) const {
    return edges_[edge.value].discovered_phony;
  }

  // --- defaults and roots --------------------------------------------------
  void AddDefault(NodeId node) { defaults_.push_back(node); }
  const std::vector<NodeId>& defaults() const { return defaults_; }
  // Outputs no edge reads; *err is set when edges exist but none qualifies.
  std::vector<NodeId> RootNodes(std::string* err) const;
  std::vector<NodeId> DefaultNodes(std::string* err) const;

  // Builds the reverse (out-edge) index. Call after the manifest is loaded.
  void FinishLoading();

  // --- precomputed command hashes -------------------------------------------
  // The build log's hash of EvaluateCommand(edge, true) under hash function
  // `kind` (0: MurmurHash64A, logs v5/v6; 1: rapidhash, v7), when the graph
  // image (src/parse/graph_image.h) computed it; 0 when unknown.
  uint64_t command_hash(EdgeId edge, int kind) const {
    const size_t index = size_t{edge.value} * 2 + static_cast<size_t>(kind);
    return index < command_hashes_.size() ? command_hashes_[index] : 0;
  }

 private:
  struct Scope {
    ScopeId parent;
    std::unordered_map<NameId, ValueId> vars;
    std::unordered_map<NameId, RuleId> rules;
  };

  Interner names_;
  Interner values_;
  Interner paths_;

  std::vector<Scope> scopes_;
  std::vector<Rule> rules_;
  std::vector<Pool> pools_;
  std::unordered_map<NameId, PoolId> pool_by_name_;

  std::vector<Edge> edges_;
  std::vector<NodeId> edge_nodes_;
  std::vector<EdgeBinding> edge_bindings_;

  std::vector<EdgeId> in_edge_;  // per node
  // Compressed reverse index: out_edges_[out_begin_[n] .. out_begin_[n+1]).
  std::vector<uint32_t> out_begin_;
  std::vector<EdgeId> out_edges_;
  // Out edges added after loading: per-node singly linked lists (head and
  // tail as index + 1 into added_out_, 0 for none), kept in insertion order.
  struct AddedOutEdge {
    EdgeId edge;
    uint32_t next;
  };
  std::vector<AddedOutEdge> added_out_;
  std::vector<uint32_t> added_out_head_;
  std::vector<uint32_t> added_out_tail_;
  friend class OutEdgeRange::Iterator;
  std::unordered_map<NodeId, std::vector<EdgeId>> validation_out_edges_;
  std::vector<std::pair<EdgeId, NodeId>> phantom_out_edges_;  // by edge, in order

  std::vector<NodeId> defaults_;

  // Filled by the graph image: two hashes per edge (see command_hash), and
  // the image's bytes when the interners' strings point into them.
  std::vector<uint64_t> command_hashes_;
  std::unique_ptr<std::string> image_storage_;
  friend class GraphImage;
};

}  // namespace composer
