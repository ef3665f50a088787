// Tests for the Graph container: names, nodes, scopes, rules, pools, edges
// laid out over the shared node array, the reverse index, roots and
// defaults; and for EvalString, the unexpanded form of a binding.

#include "graph/graph.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace composer {
namespace {

// Paths of a list of nodes, for readable expectations.
template <typename Range>
std::vector<std::string> Paths(const Graph& graph, const Range& nodes) {
  std::vector<std::string> result;
  for (NodeId node : nodes) result.emplace_back(graph.Path(node));
  return result;
}

template <typename Range>
std::vector<uint32_t> EdgeIds(const Range& edges) {
  std::vector<uint32_t> result;
  for (EdgeId edge : edges) result.push_back(edge.value);
  return result;
}

using Strings = std::vector<std::string>;

// Builds edges the way the manifest loader does: outputs, then inputs of
// each kind, then validations, with the counts filled in.
struct EdgeSpec {
  Strings outs = {};
  Strings implicit_outs = {};
  Strings ins = {};
  Strings implicit_ins = {};
  Strings order_only = {};
  Strings validations = {};
};

EdgeId AddEdge(Graph* graph, RuleId rule, const EdgeSpec& spec,
               ScopeId scope = Graph::kRootScope) {
  const EdgeId id = graph->StartEdge(rule, scope);
  for (const std::string& p : spec.outs)
    EXPECT_TRUE(graph->AddOutput(id, graph->GetNode(p)));
  for (const std::string& p : spec.implicit_outs)
    EXPECT_TRUE(graph->AddOutput(id, graph->GetNode(p)));
  for (const Strings* list : {&spec.ins, &spec.implicit_ins, &spec.order_only})
    for (const std::string& p : *list) graph->AddInput(id, graph->GetNode(p));
  for (const std::string& p : spec.validations)
    graph->AddValidation(id, graph->GetNode(p));
  Edge& edge = graph->edge(id);
  edge.explicit_outs = static_cast<uint32_t>(spec.outs.size());
  edge.implicit_outs = static_cast<uint32_t>(spec.implicit_outs.size());
  edge.explicit_ins = static_cast<uint32_t>(spec.ins.size());
  edge.implicit_ins = static_cast<uint32_t>(spec.implicit_ins.size());
  edge.order_only_ins = static_cast<uint32_t>(spec.order_only.size());
  edge.validation_count = static_cast<uint32_t>(spec.validations.size());
  return id;
}

RuleId AddRule(Graph* graph, std::string_view name, ScopeId scope = Graph::kRootScope) {
  return graph->AddRule(scope, graph->InternName(name));
}

TEST(GraphTest, FixedNamesComeFirst) {
  Graph graph;
  for (int k = 0; k < kRuleKeyCount; ++k) {
    const RuleKey key = static_cast<RuleKey>(k);
    EXPECT_EQ(KeyName(key), graph.FindName(kRuleKeyNames[k]));
    EXPECT_EQ(kRuleKeyNames[k], graph.Name(KeyName(key)));
    RuleKey back;
    ASSERT_TRUE(AsRuleKey(KeyName(key), &back));
    EXPECT_EQ(key, back);
  }
  EXPECT_EQ(kNameIn, graph.FindName("in"));
  EXPECT_EQ(kNameInNewline, graph.FindName("in_newline"));
  EXPECT_EQ(kNameOut, graph.FindName("out"));
  RuleKey key;
  EXPECT_FALSE(AsRuleKey(kNameIn, &key));
  EXPECT_FALSE(AsRuleKey(NameId(), &key));
  EXPECT_EQ("command", graph.Name(KeyName(RuleKey::kCommand)));
  EXPECT_EQ("msvc_deps_prefix", graph.Name(KeyName(RuleKey::kMsvcDepsPrefix)));
}

TEST(GraphTest, NamesAndValuesAreInternedSeparately) {
  Graph graph;
  EXPECT_FALSE(graph.FindName("cflags").valid());
  const NameId name = graph.InternName("cflags");
  EXPECT_TRUE(name.valid());
  EXPECT_EQ(name, graph.FindName("cflags"));
  EXPECT_EQ(name, graph.InternName("cflags"));
  EXPECT_EQ("cflags", graph.Name(name));

  const ValueId value = graph.InternValue("-O2 -g");
  EXPECT_EQ(value, graph.InternValue("-O2 -g"));
  EXPECT_EQ("-O2 -g", graph.Value(value));
  // Interning a value does not make it a name.
  EXPECT_FALSE(graph.FindName("-O2 -g").valid());
}

TEST(GraphTest, BuiltInRulePoolsAndScope) {
  Graph graph;
  const RuleId phony = graph.LookupRule(Graph::kRootScope, graph.FindName("phony"));
  EXPECT_EQ(Graph::kPhonyRule, phony);
  EXPECT_EQ("phony", graph.Name(graph.rule(phony).name));
  EXPECT_FALSE(graph.rule(phony).has(RuleKey::kCommand));
  EXPECT_EQ(nullptr, graph.rule(phony).binding(RuleKey::kCommand));

  EXPECT_EQ(2u, graph.pool_count());
  EXPECT_EQ(Graph::kConsolePool, graph.LookupPool(graph.FindName("console")));
  EXPECT_EQ(1, graph.pool(Graph::kConsolePool).depth);
  EXPECT_EQ(0, graph.pool(Graph::kDefaultPool).depth);
  EXPECT_EQ("", graph.Name(graph.pool(Graph::kDefaultPool).name));
  EXPECT_FALSE(graph.scope_parent(Graph::kRootScope).valid());
  EXPECT_EQ(0u, graph.edge_count());
  EXPECT_EQ(0u, graph.node_count());
}

TEST(GraphTest, NodesAreInternedPaths) {
  Graph graph;
  EXPECT_FALSE(graph.LookupNode("a.o").valid());
  const NodeId a = graph.GetNode("a.o");
  const NodeId b = graph.GetNode("dir/b.o");
  EXPECT_NE(a, b);
  EXPECT_EQ(a, graph.GetNode("a.o"));
  EXPECT_EQ(a, graph.LookupNode("a.o"));
  EXPECT_EQ("dir/b.o", graph.Path(b));
  EXPECT_EQ(2u, graph.node_count());
  // A new node has no producer.
  EXPECT_FALSE(graph.in_edge(a).valid());
  // Paths are taken as given: canonicalising is the loader's job.
  EXPECT_NE(graph.GetNode("./a.o"), a);
}

TEST(GraphTest, SpellcheckNodeFindsTheClosestPath) {
  Graph graph;
  graph.GetNode("hello.o");
  const NodeId world = graph.GetNode("world.o");
  graph.GetNode("out/hello");
  EXPECT_EQ(world, graph.SpellcheckNode("wrold.o"));
  EXPECT_EQ(world, graph.SpellcheckNode("world.o"));
  EXPECT_EQ("hello.o", graph.Path(graph.SpellcheckNode("helo.o")));
  EXPECT_FALSE(graph.SpellcheckNode("something/else/entirely").valid());
}

TEST(GraphTest, ScopesChainToTheirParents) {
  Graph graph;
  const NameId x = graph.InternName("x");
  const NameId y = graph.InternName("y");
  const ScopeId child = graph.AddScope(Graph::kRootScope);
  const ScopeId grandchild = graph.AddScope(child);
  EXPECT_EQ(Graph::kRootScope, graph.scope_parent(child));
  EXPECT_EQ(child, graph.scope_parent(grandchild));

  graph.SetVar(Graph::kRootScope, x, graph.InternValue("root-x"));
  graph.SetVar(Graph::kRootScope, y, graph.InternValue("root-y"));
  graph.SetVar(child, x, graph.InternValue("child-x"));

  EXPECT_EQ("root-x", graph.LookupVar(Graph::kRootScope, x));
  EXPECT_EQ("child-x", graph.LookupVar(child, x));
  EXPECT_EQ("child-x", graph.LookupVar(grandchild, x));
  EXPECT_EQ("root-y", graph.LookupVar(grandchild, y));
  EXPECT_EQ("", graph.LookupVar(grandchild, graph.InternName("unset")));

  ValueId value;
  EXPECT_TRUE(graph.FindOwnVar(child, x, &value));
  EXPECT_EQ("child-x", graph.Value(value));
  EXPECT_FALSE(graph.FindOwnVar(child, y, &value));
  EXPECT_FALSE(graph.FindOwnVar(grandchild, x, &value));
}

TEST(GraphTest, RebindingAVariableReplacesIt) {
  Graph graph;
  const NameId x = graph.InternName("x");
  graph.SetVar(Graph::kRootScope, x, graph.InternValue("1"));
  graph.SetVar(Graph::kRootScope, x, graph.InternValue("2"));
  EXPECT_EQ("2", graph.LookupVar(Graph::kRootScope, x));
  // An empty value is a binding too: it shadows the parent's.
  const ScopeId child = graph.AddScope(Graph::kRootScope);
  graph.SetVar(child, x, graph.InternValue(""));
  EXPECT_EQ("", graph.LookupVar(child, x));
  ValueId value;
  EXPECT_TRUE(graph.FindOwnVar(child, x, &value));
}

TEST(GraphTest, RulesAreScoped) {
  Graph graph;
  const NameId cc = graph.InternName("cc");
  const ScopeId child = graph.AddScope(Graph::kRootScope);
  const RuleId root_cc = graph.AddRule(Graph::kRootScope, cc);
  EXPECT_EQ(root_cc, graph.LookupRuleInScope(Graph::kRootScope, cc));
  EXPECT_FALSE(graph.LookupRuleInScope(child, cc).valid());
  EXPECT_EQ(root_cc, graph.LookupRule(child, cc));

  const RuleId child_cc = graph.AddRule(child, cc);
  EXPECT_NE(root_cc, child_cc);
  EXPECT_EQ(child_cc, graph.LookupRule(child, cc));
  EXPECT_EQ(root_cc, graph.LookupRule(Graph::kRootScope, cc));
  EXPECT_EQ(child, graph.rule(child_cc).scope);
  EXPECT_EQ(Graph::kRootScope, graph.rule(root_cc).scope);

  const RuleId local = AddRule(&graph, "local", child);
  EXPECT_FALSE(graph.LookupRule(Graph::kRootScope, graph.FindName("local")).valid());
  EXPECT_EQ(local, graph.LookupRule(child, graph.FindName("local")));
  // Phony is visible everywhere.
  EXPECT_EQ(Graph::kPhonyRule, graph.LookupRule(child, graph.FindName("phony")));
}

TEST(GraphTest, RulesInScopeAreSortedByName) {
  Graph graph;
  const RuleId zeta = AddRule(&graph, "zeta");
  const RuleId alpha = AddRule(&graph, "alpha");
  const RuleId mid = AddRule(&graph, "mid");
  const ScopeId child = graph.AddScope(Graph::kRootScope);
  const RuleId other = AddRule(&graph, "beta", child);

  const std::vector<RuleId> root = graph.RulesInScope(Graph::kRootScope);
  ASSERT_EQ(4u, root.size());
  EXPECT_EQ(alpha, root[0]);
  EXPECT_EQ(mid, root[1]);
  EXPECT_EQ(Graph::kPhonyRule, root[2]);
  EXPECT_EQ(zeta, root[3]);

  const std::vector<RuleId> local = graph.RulesInScope(child);
  ASSERT_EQ(1u, local.size());
  EXPECT_EQ(other, local[0]);
}

// Sets a rule's binding as the manifest loader does.
void SetRuleBinding(Rule& rule, RuleKey key, std::string_view text) {
  const int k = static_cast<int>(key);
  rule.bindings[k].Clear();
  rule.bindings[k].AddText(text);
  rule.present[k] = true;
}

TEST(GraphTest, RuleBindings) {
  Graph graph;
  const RuleId id = AddRule(&graph, "cc");
  Rule& rule = graph.rule(id);
  EXPECT_FALSE(rule.has(RuleKey::kCommand));
  EXPECT_EQ(nullptr, rule.binding(RuleKey::kCommand));
  SetRuleBinding(rule, RuleKey::kCommand, "gcc");
  EXPECT_TRUE(rule.has(RuleKey::kCommand));
  ASSERT_NE(nullptr, rule.binding(RuleKey::kCommand));
  EXPECT_EQ("gcc", rule.binding(RuleKey::kCommand)->Unparse(graph.names()));
  EXPECT_EQ(nullptr, rule.binding(RuleKey::kDepfile));
  // An empty binding that was written is there, though it has no text.
  SetRuleBinding(rule, RuleKey::kDescription, "");
  EXPECT_FALSE(rule.has(RuleKey::kDescription));
  ASSERT_NE(nullptr, rule.binding(RuleKey::kDescription));
  EXPECT_TRUE(rule.binding(RuleKey::kDescription)->empty());
}

TEST(GraphTest, Pools) {
  Graph graph;
  const NameId link = graph.InternName("link");
  EXPECT_FALSE(graph.LookupPool(link).valid());
  const PoolId pool = graph.AddPool(link, 4);
  EXPECT_EQ(pool, graph.LookupPool(link));
  EXPECT_EQ(4, graph.pool(pool).depth);
  EXPECT_EQ(link, graph.pool(pool).name);
  EXPECT_EQ(3u, graph.pool_count());
}

TEST(GraphTest, EdgeNodesAreLaidOutByKind) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId e = AddEdge(&graph, cc,
                           {.outs = {"a.o", "a2.o"},
                            .implicit_outs = {"a.d"},
                            .ins = {"a.c", "b.c"},
                            .implicit_ins = {"a.h"},
                            .order_only = {"gen"},
                            .validations = {"check"}});
  EXPECT_EQ(Strings({"a.o", "a2.o", "a.d"}), Paths(graph, graph.outputs(e)));
  EXPECT_EQ(Strings({"a.o", "a2.o"}), Paths(graph, graph.explicit_outputs(e)));
  EXPECT_EQ(Strings({"a.c", "b.c", "a.h", "gen"}), Paths(graph, graph.inputs(e)));
  EXPECT_EQ(Strings({"a.c", "b.c"}), Paths(graph, graph.explicit_inputs(e)));
  EXPECT_EQ(Strings({"check"}), Paths(graph, graph.validations(e)));

  const Edge& edge = graph.edge(e);
  EXPECT_EQ(3u, edge.out_count());
  EXPECT_EQ(4u, edge.in_count());
  EXPECT_FALSE(edge.is_implicit_in(1));
  EXPECT_TRUE(edge.is_implicit_in(2));
  EXPECT_FALSE(edge.is_implicit_in(3));
  EXPECT_FALSE(edge.is_order_only_in(2));
  EXPECT_TRUE(edge.is_order_only_in(3));
  EXPECT_EQ(cc, edge.rule);
  EXPECT_EQ(Graph::kDefaultPool, edge.pool);
  EXPECT_EQ(Graph::kRootScope, edge.scope);
  EXPECT_FALSE(edge.dyndep.valid());
  EXPECT_FALSE(graph.is_phony(e));

  for (const char* out : {"a.o", "a2.o", "a.d"})
    EXPECT_EQ(e, graph.in_edge(graph.LookupNode(out)));
  EXPECT_FALSE(graph.in_edge(graph.LookupNode("a.c")).valid());
}

TEST(GraphTest, ConsecutiveEdgesDoNotShareNodes) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId e1 = AddEdge(&graph, cc, {.outs = {"1.o"}, .ins = {"1.c"}});
  const EdgeId e2 =
      AddEdge(&graph, Graph::kPhonyRule, {.outs = {"all"}, .ins = {"1.o", "2.o"}});
  const EdgeId e3 = AddEdge(&graph, cc, {.outs = {"2.o"}, .ins = {"2.c"}});
  EXPECT_EQ(3u, graph.edge_count());
  EXPECT_EQ(Strings({"1.c"}), Paths(graph, graph.inputs(e1)));
  EXPECT_EQ(Strings({"1.o", "2.o"}), Paths(graph, graph.inputs(e2)));
  EXPECT_EQ(Strings({"2.c"}), Paths(graph, graph.inputs(e3)));
  EXPECT_TRUE(graph.is_phony(e2));
  EXPECT_EQ(e3, graph.in_edge(graph.LookupNode("2.o")));
}

TEST(GraphTest, AnOutputHasOneProducer) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId first = AddEdge(&graph, cc, {.outs = {"out"}});
  const EdgeId second = graph.StartEdge(cc, Graph::kRootScope);
  const size_t nodes_before = graph.edge_nodes().size();
  EXPECT_FALSE(graph.AddOutput(second, graph.GetNode("out")));
  EXPECT_EQ(nodes_before, graph.edge_nodes().size());
  EXPECT_EQ(first, graph.in_edge(graph.LookupNode("out")));
  // Nor may an edge claim the same output twice.
  EXPECT_TRUE(graph.AddOutput(second, graph.GetNode("other")));
  EXPECT_FALSE(graph.AddOutput(second, graph.GetNode("other")));
}

TEST(GraphTest, EdgeBindings) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId plain = AddEdge(&graph, cc, {.outs = {"plain"}});
  const EdgeId e = graph.StartEdge(cc, Graph::kRootScope);
  graph.AddEdgeBinding(graph.InternName("flags"), graph.InternValue("-O2"));
  graph.AddEdgeBinding(graph.InternName("extra"), graph.InternValue("-g"));
  graph.AddOutput(e, graph.GetNode("bound"));
  graph.edge(e).explicit_outs = 1;

  EXPECT_TRUE(graph.edge_bindings(plain).empty());
  EXPECT_EQ(0u, graph.edge(plain).bindings_count);
  const auto bindings = graph.edge_bindings(e);
  ASSERT_EQ(2u, bindings.size());
  EXPECT_EQ("flags", graph.Name(bindings[0].name));
  EXPECT_EQ("-O2", graph.Value(bindings[0].value));
  EXPECT_EQ("extra", graph.Name(bindings[1].name));
  EXPECT_EQ("-g", graph.Value(bindings[1].value));
}

TEST(GraphTest, DiscardLastEdgeUndoesEverything) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId kept = AddEdge(&graph, cc, {.outs = {"kept"}, .ins = {"in"}});
  const size_t nodes_before = graph.edge_nodes().size();

  const EdgeId e = graph.StartEdge(cc, Graph::kRootScope);
  graph.AddEdgeBinding(graph.InternName("x"), graph.InternValue("1"));
  EXPECT_TRUE(graph.AddOutput(e, graph.GetNode("new")));
  EXPECT_FALSE(graph.AddOutput(e, graph.GetNode("kept")));
  graph.AddInput(e, graph.GetNode("in"));
  graph.DiscardLastEdge();

  EXPECT_EQ(1u, graph.edge_count());
  EXPECT_EQ(nodes_before, graph.edge_nodes().size());
  EXPECT_FALSE(graph.in_edge(graph.LookupNode("new")).valid());
  // The other edge's output is left alone.
  EXPECT_EQ(kept, graph.in_edge(graph.LookupNode("kept")));

  // The next edge reuses the space cleanly.
  const EdgeId next = AddEdge(&graph, cc, {.outs = {"new"}, .ins = {"x"}});
  EXPECT_EQ(e, next);
  EXPECT_TRUE(graph.edge_bindings(next).empty());
  EXPECT_EQ(Strings({"x"}), Paths(graph, graph.inputs(next)));
  EXPECT_EQ(next, graph.in_edge(graph.LookupNode("new")));
}

TEST(GraphTest, OutEdgesAfterFinishLoading) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId e0 =
      AddEdge(&graph, cc, {.outs = {"a.o"}, .ins = {"a.c"}, .implicit_ins = {"h"}});
  const EdgeId e1 =
      AddEdge(&graph, cc, {.outs = {"b.o"}, .ins = {"b.c"}, .order_only = {"h"}});
  const EdgeId e2 = AddEdge(
      &graph, cc, {.outs = {"app"}, .ins = {"a.o", "b.o", "a.o"}, .validations = {"h"}});
  graph.FinishLoading();

  EXPECT_EQ(std::vector<uint32_t>({e0.value, e1.value}),
            EdgeIds(graph.out_edges(graph.LookupNode("h"))));
  // An edge reading a node twice is listed twice, as in Ninja.
  EXPECT_EQ(std::vector<uint32_t>({e2.value, e2.value}),
            EdgeIds(graph.out_edges(graph.LookupNode("a.o"))));
  EXPECT_EQ(std::vector<uint32_t>({e2.value}),
            EdgeIds(graph.out_edges(graph.LookupNode("b.o"))));
  EXPECT_TRUE(graph.out_edges(graph.LookupNode("app")).empty());
  // Validations are indexed separately.
  EXPECT_EQ(std::vector<uint32_t>({e2.value}),
            EdgeIds(graph.validation_out_edges(graph.LookupNode("h"))));
  EXPECT_TRUE(graph.validation_out_edges(graph.LookupNode("a.o")).empty());
}

TEST(GraphTest, OutEdgesOfANodeCreatedAfterLoadingAreEmpty) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  AddEdge(&graph, cc, {.outs = {"a"}, .ins = {"b"}});
  graph.FinishLoading();
  const NodeId late = graph.GetNode("late");
  EXPECT_TRUE(graph.out_edges(late).empty());
  EXPECT_TRUE(graph.validation_out_edges(late).empty());
}

TEST(GraphTest, FinishLoadingCanRunAgain) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const EdgeId e0 =
      AddEdge(&graph, cc, {.outs = {"a"}, .ins = {"src"}, .validations = {"v"}});
  graph.FinishLoading();
  const EdgeId e1 =
      AddEdge(&graph, cc, {.outs = {"b"}, .ins = {"src"}, .validations = {"v"}});
  graph.FinishLoading();
  EXPECT_EQ(std::vector<uint32_t>({e0.value, e1.value}),
            EdgeIds(graph.out_edges(graph.LookupNode("src"))));
  EXPECT_EQ(std::vector<uint32_t>({e0.value, e1.value}),
            EdgeIds(graph.validation_out_edges(graph.LookupNode("v"))));
}

TEST(GraphTest, RootNodesAreOutputsNothingReads) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  AddEdge(&graph, cc, {.outs = {"a.o"}, .implicit_outs = {"a.d"}, .ins = {"a.c"}});
  AddEdge(&graph, cc, {.outs = {"app"}, .ins = {"a.o"}});
  AddEdge(&graph, cc, {.outs = {"test"}, .ins = {"a.o"}});
  graph.FinishLoading();
  std::string err;
  EXPECT_EQ(Strings({"a.d", "app", "test"}), Paths(graph, graph.RootNodes(&err)));
  EXPECT_EQ("", err);
  // Without default statements, the defaults are the roots.
  EXPECT_EQ(Strings({"a.d", "app", "test"}), Paths(graph, graph.DefaultNodes(&err)));
  EXPECT_EQ("", err);
}

TEST(GraphTest, DefaultsWinOverRoots) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  AddEdge(&graph, cc, {.outs = {"a"}});
  AddEdge(&graph, cc, {.outs = {"b"}});
  graph.FinishLoading();
  graph.AddDefault(graph.LookupNode("b"));
  graph.AddDefault(graph.LookupNode("a"));
  graph.AddDefault(graph.LookupNode("b"));
  std::string err;
  EXPECT_EQ(Strings({"b", "a", "b"}), Paths(graph, graph.DefaultNodes(&err)));
  EXPECT_EQ(Strings({"b", "a", "b"}), Paths(graph, graph.defaults()));
  EXPECT_EQ("", err);
}

TEST(GraphTest, NoRootsInACycle) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  AddEdge(&graph, cc, {.outs = {"a"}, .ins = {"a"}});
  graph.FinishLoading();
  std::string err;
  EXPECT_TRUE(graph.RootNodes(&err).empty());
  EXPECT_EQ("could not determine root nodes of build graph", err);
}

TEST(GraphTest, EmptyGraphHasNoRootsAndNoError) {
  Graph graph;
  graph.FinishLoading();
  std::string err;
  EXPECT_TRUE(graph.RootNodes(&err).empty());
  EXPECT_TRUE(graph.DefaultNodes(&err).empty());
  EXPECT_EQ("", err);
}

TEST(GraphTest, ManyEdges) {
  Graph graph;
  const RuleId cc = AddRule(&graph, "cc");
  const int kCount = 20000;
  for (int i = 0; i < kCount; ++i) {
    const std::string n = std::to_string(i);
    AddEdge(&graph, cc, {.outs = {n + ".o"}, .ins = {n + ".c", "common.h"}});
  }
  AddEdge(&graph, Graph::kPhonyRule, {.outs = {"all"}, .ins = {"0.o", "19999.o"}});
  graph.FinishLoading();
  EXPECT_EQ(static_cast<uint32_t>(kCount + 1), graph.edge_count());
  size_t readers = 0;
  for (EdgeId e : graph.out_edges(graph.LookupNode("common.h"))) {
    EXPECT_LT(e.value, static_cast<uint32_t>(kCount));
    ++readers;
  }
  EXPECT_EQ(static_cast<size_t>(kCount), readers);
  std::string err;
  EXPECT_EQ(static_cast<size_t>(kCount - 2 + 1), graph.RootNodes(&err).size());
  EXPECT_EQ("12345.c", std::string(graph.Path(graph.explicit_inputs(EdgeId(12345))[0])));
}

TEST(EvalStringTest, TextAndVariablesInOrder) {
  Graph graph;
  EvalString eval;
  EXPECT_TRUE(eval.empty());
  eval.AddText("gcc ");
  eval.AddVar(graph.InternName("cflags"));
  eval.AddText(" -c ");
  eval.AddVar(kNameIn);
  EXPECT_FALSE(eval.empty());
  ASSERT_EQ(4u, eval.pieces().size());
  EXPECT_EQ("gcc ", eval.text(eval.pieces()[0]));
  EXPECT_FALSE(eval.pieces()[0].var.valid());
  EXPECT_EQ("cflags", graph.Name(eval.pieces()[1].var));
  EXPECT_EQ(kNameIn, eval.pieces()[3].var);
  EXPECT_EQ("gcc ${cflags} -c ${in}", eval.Unparse(graph.names()));
}

TEST(EvalStringTest, AdjacentTextMerges) {
  Graph graph;
  EvalString eval;
  eval.AddText("a");
  eval.AddText("b");
  eval.AddText("");
  eval.AddText("c");
  ASSERT_EQ(1u, eval.pieces().size());
  EXPECT_EQ("abc", eval.text(eval.pieces()[0]));
  eval.AddVar(kNameOut);
  eval.AddVar(kNameOut);
  eval.AddText("d");
  EXPECT_EQ(4u, eval.pieces().size());
  EXPECT_EQ("abc${out}${out}d", eval.Unparse(graph.names()));
}

TEST(EvalStringTest, EmptyTextAddsNothing) {
  EvalString eval;
  eval.AddText("");
  EXPECT_TRUE(eval.empty());
}

TEST(EvalStringTest, ClearEmpties) {
  Graph graph;
  EvalString eval;
  eval.AddText("x");
  eval.AddVar(kNameIn);
  eval.Clear();
  EXPECT_TRUE(eval.empty());
  EXPECT_EQ("", eval.Unparse(graph.names()));
  eval.AddText("y");
  EXPECT_EQ("y", eval.Unparse(graph.names()));
}

}  // namespace
}  // namespace composer
