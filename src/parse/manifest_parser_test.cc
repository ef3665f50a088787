// Tests for loading manifests: every statement, scoping, evaluation, path
// canonicalisation, Ninja's error messages with their context, and input
// that must never crash the loader. Files come from a VirtualFileSystem.
//
// Expected results are Ninja 1.11.1's: its manifest_parser_test.cc for the
// cases it covers, the real ninja binary for the rest.

#include "parse/manifest_parser.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "graph/edge_env.h"
#include "support/virtual_file_system.h"
#include "util/log.h"

namespace composer {
namespace {

using Strings = std::vector<std::string>;
using testing::HasSubstr;

ManifestParserOptions Quiet() {
  ManifestParserOptions options;
  options.quiet = true;
  return options;
}

ManifestParserOptions DupbuildWarn() {
  ManifestParserOptions options = Quiet();
  options.dupbuild_is_error = false;
  return options;
}

// Checks that the graph is self-consistent: every output points back at
// its edge and every input lists the edge among its readers.
void VerifyGraph(const Graph& graph) {
  for (uint32_t e = 0; e < graph.edge_count(); ++e) {
    const EdgeId edge(e);
    EXPECT_GT(graph.outputs(edge).size(), 0u) << "edge " << e;
    for (NodeId out : graph.outputs(edge))
      EXPECT_EQ(edge, graph.in_edge(out)) << graph.Path(out);
    for (NodeId in : graph.inputs(edge)) {
      bool found = false;
      for (EdgeId reader : graph.out_edges(in)) found |= reader == edge;
      EXPECT_TRUE(found) << graph.Path(in) << " does not list edge " << e;
    }
  }
  for (uint32_t n = 0; n < graph.node_count(); ++n) {
    const EdgeId producer = graph.in_edge(NodeId(n));
    if (!producer.valid()) continue;
    ASSERT_LT(producer.value, graph.edge_count());
    const auto outs = graph.outputs(producer);
    EXPECT_NE(outs.end(), std::find(outs.begin(), outs.end(), NodeId(n)));
  }
}

class ParserTest : public testing::Test {
 protected:
  void SetUp() override {
    saved_ = CurrentPersonality();
    // Ninja's "file:line: message" unless a test asks for Composer's.
    CurrentPersonality().ninja_compat = true;
  }
  void TearDown() override { CurrentPersonality() = saved_; }

  // Parses `input` (as the file "input") into graph_; the test fails on
  // any error.
  void AssertParse(const std::string& input, ManifestParserOptions options = Quiet()) {
    ManifestParser parser(&graph_, &fs_, options);
    std::string err;
    EXPECT_TRUE(parser.ParseString("input", input, &err));
    ASSERT_EQ("", err);
    graph_.FinishLoading();
    VerifyGraph(graph_);
  }

  // Parses `input` into a fresh graph, expecting failure; returns the error.
  std::string ParseError(const std::string& input,
                         ManifestParserOptions options = Quiet()) {
    Graph graph;
    ManifestParser parser(&graph, &fs_, options);
    std::string err;
    EXPECT_FALSE(parser.ParseString("input", input, &err)) << input;
    return err;
  }

  // Loads `path` from the virtual file system into a fresh graph, expecting
  // failure; returns the error.
  std::string LoadError(const std::string& path,
                        ManifestParserOptions options = Quiet()) {
    Graph graph;
    ManifestParser parser(&graph, &fs_, options);
    std::string err;
    EXPECT_FALSE(parser.Load(path, &err));
    return err;
  }

  EdgeId EdgeOf(std::string_view path) {
    const NodeId node = graph_.LookupNode(path);
    EXPECT_TRUE(node.valid()) << "no node " << path;
    if (!node.valid()) return EdgeId();
    EXPECT_TRUE(graph_.in_edge(node).valid()) << "nothing builds " << path;
    return graph_.in_edge(node);
  }
  std::string Command(std::string_view out) {
    const EdgeId edge = EdgeOf(out);
    return edge.valid() ? EvaluateCommand(graph_, edge) : "<no edge>";
  }
  std::string Binding(std::string_view out, RuleKey key) {
    const EdgeId edge = EdgeOf(out);
    return edge.valid() ? GetBinding(graph_, edge, key) : "<no edge>";
  }
  std::string Var(std::string_view name, ScopeId scope = Graph::kRootScope) {
    const NameId id = graph_.FindName(name);
    return id.valid() ? std::string(graph_.LookupVar(scope, id)) : "";
  }
  template <typename Range>
  Strings Paths(const Range& nodes) {
    Strings result;
    for (NodeId node : nodes) result.emplace_back(graph_.Path(node));
    return result;
  }
  Strings Inputs(std::string_view out) { return Paths(graph_.inputs(EdgeOf(out))); }
  Strings Outputs(std::string_view out) { return Paths(graph_.outputs(EdgeOf(out))); }
  bool HasNode(std::string_view path) { return graph_.LookupNode(path).valid(); }
  std::string RuleCommand(std::string_view rule, ScopeId scope = Graph::kRootScope) {
    const RuleId id = graph_.LookupRuleInScope(scope, graph_.FindName(rule));
    if (!id.valid()) return "<no rule>";
    const EvalString* command = graph_.rule(id).binding(RuleKey::kCommand);
    return command ? command->Unparse(graph_.names()) : "<no command>";
  }

  Graph graph_;
  VirtualFileSystem fs_;

 private:
  Personality saved_;
};

// --- statements --------------------------------------------------------------

TEST_F(ParserTest, Empty) {
  AssertParse("");
  EXPECT_EQ(0u, graph_.edge_count());
  AssertParse("\n\n  \n# nothing\n");
  EXPECT_EQ(0u, graph_.edge_count());
}

TEST_F(ParserTest, Rules) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "\n"
      "rule date\n"
      "  command = date > $out\n"
      "\n"
      "build result: cat in_1.cc in-2.O\n");
  const std::vector<RuleId> rules = graph_.RulesInScope(Graph::kRootScope);
  ASSERT_EQ(3u, rules.size());  // cat, date, phony
  EXPECT_EQ("cat", graph_.Name(graph_.rule(rules[0]).name));
  EXPECT_EQ("cat ${in} > ${out}", RuleCommand("cat"));
  EXPECT_EQ("date > ${out}", RuleCommand("date"));
  EXPECT_EQ("cat in_1.cc in-2.O > result", Command("result"));
}

TEST_F(ParserTest, EveryRuleVariableIsAccepted) {
  AssertParse(
      "rule cat\n"
      "  command = a\n"
      "  depfile = b\n"
      "  deps = c\n"
      "  description = d\n"
      "  generator = e\n"
      "  restat = f\n"
      "  rspfile = g\n"
      "  rspfile_content = h\n"
      "  msvc_deps_prefix = i\n"
      "  dyndep = j\n"
      "  pool = k\n"
      // Composer's own.
      "  cache = l\n"
      "  test = m\n"
      "  env = n\n"
      "  memory = o\n"
      "  outdirs = p\n");
  const RuleId cat = graph_.LookupRule(Graph::kRootScope, graph_.FindName("cat"));
  ASSERT_TRUE(cat.valid());
  for (int k = 0; k < kRuleKeyCount; ++k) {
    const RuleKey key = static_cast<RuleKey>(k);
    ASSERT_TRUE(graph_.rule(cat).has(key)) << kRuleKeyNames[k];
  }
  EXPECT_EQ("a", graph_.rule(cat).binding(RuleKey::kCommand)->Unparse(graph_.names()));
  EXPECT_EQ("o", graph_.rule(cat).binding(RuleKey::kMemory)->Unparse(graph_.names()));
}

TEST_F(ParserTest, LaterRuleBindingReplacesEarlier) {
  AssertParse(
      "rule r\n"
      "  command = first\n"
      "  command = second\n"
      "build o: r\n");
  EXPECT_EQ("second", Command("o"));
}

TEST_F(ParserTest, IgnoreIndentedComments) {
  AssertParse(
      "  #indented comment\n"
      "rule cat\n"
      "  command = cat $in > $out\n"
      "  #generator = 1\n"
      "  restat = 1 # comment\n"
      "  #comment\n"
      "build result: cat in_1.cc in-2.O\n"
      "  #comment\n");
  EXPECT_EQ(2u, graph_.RulesInScope(Graph::kRootScope).size());
  EXPECT_TRUE(GetBindingBool(graph_, EdgeOf("result"), RuleKey::kRestat));
  EXPECT_EQ("1 # comment", Binding("result", RuleKey::kRestat));
  EXPECT_FALSE(GetBindingBool(graph_, EdgeOf("result"), RuleKey::kGenerator));
}

TEST_F(ParserTest, IgnoreIndentedBlankLines) {
  AssertParse(
      "  \n"
      "rule cat\n"
      "  command = cat $in > $out\n"
      "  \n"
      "build result: cat in_1.cc in-2.O\n"
      "  \n"
      "variable=1\n");
  // The variable is bound at the top level, not on the edge.
  EXPECT_EQ("1", Var("variable"));
  EXPECT_TRUE(graph_.edge_bindings(EdgeOf("result")).empty());
}

TEST_F(ParserTest, ResponseFiles) {
  AssertParse(
      "rule cat_rsp\n"
      "  command = cat $rspfile > $out\n"
      "  rspfile = $rspfile\n"
      "  rspfile_content = $in\n"
      "\n"
      "build out: cat_rsp in\n"
      "  rspfile=out.rsp\n");
  EXPECT_EQ("cat ${rspfile} > ${out}", RuleCommand("cat_rsp"));
  EXPECT_EQ("cat out.rsp > out", Command("out"));
  EXPECT_EQ("out.rsp", GetUnescapedBinding(graph_, EdgeOf("out"), RuleKey::kRspfile));
  EXPECT_EQ("in", Binding("out", RuleKey::kRspfileContent));
}

TEST_F(ParserTest, InNewline) {
  AssertParse(
      "rule cat_rsp\n"
      "  command = cat $in_newline > $out\n"
      "\n"
      "build out: cat_rsp in in2\n"
      "  rspfile=out.rsp\n");
  EXPECT_EQ("cat ${in_newline} > ${out}", RuleCommand("cat_rsp"));
  EXPECT_EQ("cat in\nin2 > out", Command("out"));
}

TEST_F(ParserTest, Variables) {
  AssertParse(
      "l = one-letter-test\n"
      "rule link\n"
      "  command = ld $l $extra $with_under -o $out $in\n"
      "\n"
      "extra = -pthread\n"
      "with_under = -under\n"
      "build a: link b c\n"
      "nested1 = 1\n"
      "nested2 = $nested1/2\n"
      "build supernested: link x\n"
      "  extra = $nested2/3\n");
  ASSERT_EQ(2u, graph_.edge_count());
  EXPECT_EQ("ld one-letter-test -pthread -under -o a b c", Command("a"));
  EXPECT_EQ("1/2", Var("nested2"));
  EXPECT_EQ("ld one-letter-test 1/2/3 -under -o supernested x", Command("supernested"));
}

TEST_F(ParserTest, TopLevelVariablesAreEvaluatedAtOnce) {
  AssertParse(
      "a = 1\n"
      "b = $a\n"
      "a = 2\n"
      "c = $c$a\n"
      "c = $c$a\n"
      "d = ${a}x$undefined.y\n");
  EXPECT_EQ("1", Var("b"));
  EXPECT_EQ("2", Var("a"));
  EXPECT_EQ("22", Var("c"));
  EXPECT_EQ("2x.y", Var("d"));
}

TEST_F(ParserTest, Continuation) {
  AssertParse(
      "rule link\n"
      "  command = foo bar $\n"
      "    baz\n"
      "\n"
      "build a: link c $\n"
      " d e f\n");
  EXPECT_EQ("foo bar baz", RuleCommand("link"));
  EXPECT_EQ(Strings({"c", "d", "e", "f"}), Inputs("a"));
}

TEST_F(ParserTest, Backslash) {
  AssertParse(
      "foo = bar\\baz\n"
      "foo2 = bar\\ baz\n");
  EXPECT_EQ("bar\\baz", Var("foo"));
  EXPECT_EQ("bar\\ baz", Var("foo2"));
}

TEST_F(ParserTest, Comment) {
  AssertParse(
      "# this is a comment\n"
      "foo = not # a comment\n");
  EXPECT_EQ("not # a comment", Var("foo"));
}

TEST_F(ParserTest, Dollars) {
  AssertParse(
      "rule foo\n"
      "  command = ${out}bar$$baz$$$\n"
      "blah\n"
      "x = $$dollar\n"
      "build $x: foo y\n");
  EXPECT_EQ("$dollar", Var("x"));
  EXPECT_EQ("'$dollar'bar$baz$blah", Command("$dollar"));
}

TEST_F(ParserTest, EscapeSpaces) {
  AssertParse(
      "rule spaces\n"
      "  command = something\n"
      "build foo$ bar: spaces $$one two$$$ three\n");
  EXPECT_TRUE(HasNode("foo bar"));
  EXPECT_EQ(Strings({"foo bar"}), Outputs("foo bar"));
  EXPECT_EQ(Strings({"$one", "two$ three"}), Inputs("foo bar"));
  EXPECT_EQ("something", Command("foo bar"));
}

TEST_F(ParserTest, EscapedColonsInPaths) {
  AssertParse(
      "rule r\n"
      "  command = r $in $out\n"
      "build c$:/out: r c$:/in\n");
  EXPECT_EQ(Strings({"c:/in"}), Inputs("c:/out"));
  EXPECT_EQ("r 'c:/in' 'c:/out'", Command("c:/out"));
  // A pipe has no escape.
  EXPECT_EQ(
      "input:1: bad $-escape (literal $ must be written as $$)\n"
      "build a$|b: r\n"
      "       ^ near here",
      ParseError("build a$|b: r\n"));
}

TEST_F(ParserTest, InAndOutAreShellQuoted) {
  AssertParse(
      "rule r\n"
      "  command = cp $in $out\n"
      "  depfile = $out.d\n"
      "build it's$ here: r a$ b c\n");
  EXPECT_EQ("cp 'a b' c 'it'\\''s here'", Command("it's here"));
  // depfile names a file: no shell quoting there.
  EXPECT_EQ("it's here.d",
            GetUnescapedBinding(graph_, EdgeOf("it's here"), RuleKey::kDepfile));
}

TEST_F(ParserTest, InAndOutAreExplicitPathsOnly) {
  AssertParse(
      "rule r\n"
      "  command = [$in] [$out]\n"
      "build a | b: r c | d || e |@ f\n");
  EXPECT_EQ("[c] [a]", Command("a"));
}

TEST_F(ParserTest, Utf8) {
  AssertParse(
      "rule utf8\n"
      "  command = true\n"
      "  description = compilaci\xC3\xB3n\n"
      "build \xE2\x82\xAC.o: utf8\n");
  EXPECT_EQ("compilaci\xC3\xB3n", Binding("\xE2\x82\xAC.o", RuleKey::kDescription));
}

TEST_F(ParserTest, CrLf) {
  AssertParse("# comment with crlf\r\n");
  AssertParse("foo = foo\nbar = bar\r\n");
  EXPECT_EQ("bar", Var("bar"));
  AssertParse(
      "pool link_pool\r\n"
      "  depth = 15\r\n\r\n"
      "rule xyz\r\n"
      "  command = something$expand \r\n"
      "  description = YAY!\r\n"
      "build a: xyz b\r\n");
  EXPECT_EQ("something ", Command("a"));
  EXPECT_EQ(15, graph_.pool(graph_.LookupPool(graph_.FindName("link_pool"))).depth);
}

TEST_F(ParserTest, ReservedWords) {
  AssertParse(
      "rule build\n"
      "  command = rule run $out\n"
      "build subninja: build include default foo.cc\n"
      "default subninja\n");
  EXPECT_EQ("rule run subninja", Command("subninja"));
  EXPECT_EQ(Strings({"include", "default", "foo.cc"}), Inputs("subninja"));
}

// --- build statements --------------------------------------------------------

TEST_F(ParserTest, ImplicitInputs) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build foo: cat bar | baz\n");
  const Edge& edge = graph_.edge(EdgeOf("foo"));
  EXPECT_EQ(1u, edge.explicit_ins);
  EXPECT_EQ(1u, edge.implicit_ins);
  EXPECT_TRUE(edge.is_implicit_in(1));
  EXPECT_FALSE(edge.is_implicit_in(0));
}

TEST_F(ParserTest, OrderOnlyInputs) {
  AssertParse(
      "rule cat\n  command = cat $in > $out\n"
      "build foo: cat bar || baz\n");
  const Edge& edge = graph_.edge(EdgeOf("foo"));
  EXPECT_TRUE(edge.is_order_only_in(1));
  EXPECT_FALSE(edge.is_order_only_in(0));
}

TEST_F(ParserTest, Validations) {
  AssertParse(
      "rule cat\n  command = cat $in > $out\n"
      "build foo: cat bar |@ baz qux\n");
  EXPECT_EQ(Strings({"baz", "qux"}), Paths(graph_.validations(EdgeOf("foo"))));
  EXPECT_EQ(Strings({"bar"}), Inputs("foo"));
  ASSERT_EQ(1u, graph_.validation_out_edges(graph_.LookupNode("baz")).size());
}

TEST_F(ParserTest, EveryKindOfPathAtOnce) {
  AssertParse(
      "rule r\n  command = x\n"
      "build o1 o2 | io1 io2: r i1 i2 | ii1 ii2 || oo1 oo2 |@ v1 v2\n");
  const EdgeId e = EdgeOf("o1");
  const Edge& edge = graph_.edge(e);
  EXPECT_EQ(2u, edge.explicit_outs);
  EXPECT_EQ(2u, edge.implicit_outs);
  EXPECT_EQ(2u, edge.explicit_ins);
  EXPECT_EQ(2u, edge.implicit_ins);
  EXPECT_EQ(2u, edge.order_only_ins);
  EXPECT_EQ(2u, edge.validation_count);
  EXPECT_EQ(Strings({"o1", "o2", "io1", "io2"}), Outputs("o1"));
  EXPECT_EQ(Strings({"i1", "i2", "ii1", "ii2", "oo1", "oo2"}), Inputs("o1"));
  EXPECT_EQ(Strings({"v1", "v2"}), Paths(graph_.validations(e)));
  EXPECT_EQ(e, EdgeOf("io2"));
}

TEST_F(ParserTest, EmptyGroupsAreAllowed) {
  AssertParse(
      "rule r\n  command = x\n"
      "build a |: r | || |@\n");
  const Edge& edge = graph_.edge(EdgeOf("a"));
  EXPECT_EQ(1u, edge.out_count());
  EXPECT_EQ(0u, edge.in_count());
  EXPECT_EQ(0u, edge.validation_count);
}

TEST_F(ParserTest, ImplicitOutput) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build foo | imp: cat bar\n");
  const Edge& edge = graph_.edge(EdgeOf("imp"));
  EXPECT_EQ(2u, edge.out_count());
  EXPECT_EQ(1u, edge.implicit_outs);
  EXPECT_EQ("cat bar > foo", Command("imp"));
}

TEST_F(ParserTest, NoExplicitOutput) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build | imp : cat bar\n");
  const Edge& edge = graph_.edge(EdgeOf("imp"));
  EXPECT_EQ(0u, edge.explicit_outs);
  EXPECT_EQ(1u, edge.implicit_outs);
  EXPECT_EQ("cat bar > ", Command("imp"));
}

TEST_F(ParserTest, PathVariables) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "dir = out\n"
      "build $dir/exe: cat src\n");
  EXPECT_FALSE(HasNode("$dir/exe"));
  EXPECT_TRUE(HasNode("out/exe"));
}

TEST_F(ParserTest, PathsSeeTheEdgesOwnBindings) {
  AssertParse(
      "rule r\n  command = x\n"
      "d = top\n"
      "build $d/out: r $d/in\n"
      "  d = dir\n"
      "build $d/other: r\n");
  EXPECT_EQ(Strings({"dir/in"}), Inputs("dir/out"));
  EXPECT_TRUE(HasNode("top/other"));
  EXPECT_FALSE(HasNode("top/out"));
}

TEST_F(ParserTest, DefaultDefault) {
  AssertParse(
      "rule cat\n  command = cat $in > $out\n"
      "build a: cat foo\n"
      "build b: cat foo\n"
      "build c: cat foo\n"
      "build d: cat foo\n");
  std::string err;
  EXPECT_EQ(4u, graph_.DefaultNodes(&err).size());
  EXPECT_EQ("", err);
}

TEST_F(ParserTest, DefaultDefaultCycle) {
  AssertParse(
      "rule cat\n  command = cat $in > $out\n"
      "build a: cat a\n");
  std::string err;
  EXPECT_EQ(0u, graph_.DefaultNodes(&err).size());
  EXPECT_EQ("could not determine root nodes of build graph", err);
}

TEST_F(ParserTest, DefaultStatements) {
  AssertParse(
      "rule cat\n  command = cat $in > $out\n"
      "build a: cat foo\n"
      "build b: cat foo\n"
      "build c: cat foo\n"
      "build d: cat foo\n"
      "third = c\n"
      "default a b\n"
      "default $third\n");
  std::string err;
  EXPECT_EQ(Strings({"a", "b", "c"}), Paths(graph_.DefaultNodes(&err)));
  EXPECT_EQ("", err);
}

TEST_F(ParserTest, DefaultsAreCanonicalAndMayRepeat) {
  AssertParse(
      "rule r\n  command = x\n"
      "build out/a: r\n"
      "default ./out/a out//a\n"
      "default out/b/../a\n");
  std::string err;
  EXPECT_EQ(Strings({"out/a", "out/a", "out/a"}), Paths(graph_.DefaultNodes(&err)));
}

TEST_F(ParserTest, DefaultMayNameAnyKnownNode) {
  // An input is a node too, so it may be a default target.
  AssertParse(
      "rule r\n  command = x\n"
      "build a: r src\n"
      "default src\n");
  std::string err;
  EXPECT_EQ(Strings({"src"}), Paths(graph_.DefaultNodes(&err)));
}

// --- pools -----------------------------------------------------------------

TEST_F(ParserTest, Pools) {
  AssertParse(
      "pool link\n"
      "  depth = 3\n"
      "rule r\n"
      "  command = x\n"
      "  pool = link\n"
      "rule plain\n"
      "  command = y\n"
      "p = link\n"
      "build a: r\n"
      "build b: plain\n"
      "build c: plain\n"
      "  pool = console\n"
      "build d: plain\n"
      "  pool = $p\n"
      "build e: r\n"
      "  pool =\n");
  const PoolId link = graph_.LookupPool(graph_.FindName("link"));
  ASSERT_TRUE(link.valid());
  EXPECT_EQ(3, graph_.pool(link).depth);
  EXPECT_EQ(link, graph_.edge(EdgeOf("a")).pool);
  EXPECT_EQ(Graph::kDefaultPool, graph_.edge(EdgeOf("b")).pool);
  EXPECT_EQ(Graph::kConsolePool, graph_.edge(EdgeOf("c")).pool);
  EXPECT_EQ(link, graph_.edge(EdgeOf("d")).pool);
  // An empty edge binding overrides the rule's pool.
  EXPECT_EQ(Graph::kDefaultPool, graph_.edge(EdgeOf("e")).pool);
}

TEST_F(ParserTest, PoolDepthIsReadLikeAtol) {
  AssertParse(
      "pool a\n  depth = 2x\n"
      "pool b\n  depth = x\n"
      "n = 7\n"
      "pool c\n  depth = $n\n"
      "pool d\n  depth = 1\n  depth = 5\n");
  auto depth = [this](const char* name) {
    return graph_.pool(graph_.LookupPool(graph_.FindName(name))).depth;
  };
  EXPECT_EQ(2, depth("a"));
  EXPECT_EQ(0, depth("b"));
  EXPECT_EQ(7, depth("c"));
  EXPECT_EQ(5, depth("d"));
}

TEST_F(ParserTest, PoolDepthIsAnInt) {
  // Ninja stores atol's result in an int: 2^32 + 1 wraps to 1, and 2^31 to a
  // negative depth, which is an error.
  AssertParse("pool p\n  depth = 4294967297\n");
  EXPECT_EQ(1, graph_.pool(graph_.LookupPool(graph_.FindName("p"))).depth);
  EXPECT_EQ(
      "input:2: invalid pool depth\n  depth = 2147483648\n                    ^ near "
      "here",
      ParseError("pool p\n  depth = 2147483648\n"));
}

TEST_F(ParserTest, PoolsAreGlobal) {
  fs_.Create("sub.ninja", "pool sp\n  depth = 2\n");
  AssertParse(
      "subninja sub.ninja\n"
      "rule r\n  command = x\n  pool = sp\n"
      "build a: r\n");
  EXPECT_EQ(2, graph_.pool(graph_.edge(EdgeOf("a")).pool).depth);
  EXPECT_EQ("input:2: duplicate pool 'sp'\npool sp\n       ^ near here",
            ParseError("subninja sub.ninja\npool sp\n  depth = 1\n"));
}

TEST_F(ParserTest, PoolIsLookedUpBeforeTheEdgeHasPaths) {
  // $out is still empty when the pool is resolved, as in Ninja.
  AssertParse(
      "pool x\n  depth = 1\n"
      "rule r\n  command = c\n  pool = ${out}x\n"
      "build a: r\n");
  EXPECT_EQ(graph_.LookupPool(graph_.FindName("x")), graph_.edge(EdgeOf("a")).pool);
}

// --- scoping -----------------------------------------------------------------

TEST_F(ParserTest, VariableScope) {
  AssertParse(
      "foo = bar\n"
      "rule cmd\n"
      "  command = cmd $foo $in $out\n"
      "\n"
      "build inner: cmd a\n"
      "  foo = baz\n"
      "build outer: cmd b\n"
      "\n");  // Extra newline after build line tickles a regression.
  ASSERT_EQ(2u, graph_.edge_count());
  EXPECT_EQ("cmd baz a inner", Command("inner"));
  EXPECT_EQ("cmd bar b outer", Command("outer"));
}

TEST_F(ParserTest, RuleBindingsExpandLate) {
  // A top-level variable rebound after a build statement changes its
  // command: the rule's binding is expanded only when asked for.
  AssertParse(
      "rule r\n"
      "  command = echo $x\n"
      "x = 1\n"
      "build plain: r\n"
      "build bound: r\n"
      "  unrelated = 1\n"
      "x = 2\n");
  EXPECT_EQ("echo 2", Command("plain"));
  EXPECT_EQ("echo 2", Command("bound"));
}

TEST_F(ParserTest, EdgeBindingsExpandEarlyInTheFileScope) {
  AssertParse(
      "rule r\n"
      "  command = $y\n"
      "x = 1\n"
      "build a: r\n"
      "  y = $x\n"
      "x = 2\n");
  EXPECT_EQ("1", Command("a"));
}

TEST_F(ParserTest, EdgeBindingsCannotSeeEachOther) {
  AssertParse(
      "rule r\n"
      "  command = [$y]\n"
      "build a: r\n"
      "  p = 1\n"
      "  y = $p\n"
      "p = top\n"
      "build b: r\n"
      "  p = 1\n"
      "  y = $p\n");
  EXPECT_EQ("[]", Command("a"));
  EXPECT_EQ("[top]", Command("b"));
}

TEST_F(ParserTest, EdgeWithoutBindingsReadsFileScopeBeforeRule) {
  // Ninja's quirk: without bindings an edge's environment is its file's
  // scope, which is searched before the rule's binding of the same name.
  AssertParse(
      "rule r\n"
      "  command = from rule\n"
      "  description = rule description\n"
      "command = from file scope\n"
      "build plain: r\n"
      "build bound: r\n"
      "  z = 1\n");
  EXPECT_EQ("from file scope", Command("plain"));
  EXPECT_EQ("from rule", Command("bound"));
  EXPECT_EQ("rule description", Binding("plain", RuleKey::kDescription));
}

TEST_F(ParserTest, EmptyRuleBindingStillShadowsOuterScopes) {
  // "description =" binds the empty string in the rule; ninja prints "[]"
  // for the edge with a binding (and "[top]" for the one without, which
  // reads its file scope first).
  AssertParse(
      "rule r\n"
      "  command = [$description]\n"
      "  description =\n"
      "description = top\n"
      "build bound: r\n"
      "  x = 1\n"
      "build plain: r\n");
  EXPECT_EQ("[top]", Command("plain"));
  EXPECT_EQ("[]", Command("bound"));
}

TEST_F(ParserTest, QuirkInASubninjaOnlyConcernsItsOwnScope) {
  fs_.Create("sub.ninja",
             "command = sub command\n"
             "build s1: r\n"
             "build s2: r\n"
             "  z = 1\n");
  fs_.Create("sub2.ninja", "build s3: r\n");
  AssertParse(
      "rule r\n  command = [$x]\n"
      "command = top command\n"
      "x = top-x\n"
      "subninja sub.ninja\n"
      "subninja sub2.ninja\n");
  EXPECT_EQ("sub command", Command("s1"));
  EXPECT_EQ("[top-x]", Command("s2"));
  // The parent scope's "command" does not shadow the rule.
  EXPECT_EQ("[top-x]", Command("s3"));
}

TEST_F(ParserTest, SubNinja) {
  fs_.Create("test.ninja",
             "var = inner\n"
             "build $builddir/inner: varref\n");
  AssertParse(
      "builddir = some_dir/\n"
      "rule varref\n"
      "  command = varref $var\n"
      "var = outer\n"
      "build $builddir/outer: varref\n"
      "subninja test.ninja\n"
      "build $builddir/outer2: varref\n");
  EXPECT_EQ(Strings({"test.ninja"}), fs_.files_read);
  EXPECT_TRUE(HasNode("some_dir/outer"));
  // The parent's builddir is inherited.
  EXPECT_TRUE(HasNode("some_dir/inner"));
  ASSERT_EQ(3u, graph_.edge_count());
  EXPECT_EQ("varref outer", Command("some_dir/outer"));
  EXPECT_EQ("varref inner", Command("some_dir/inner"));
  EXPECT_EQ("varref outer", Command("some_dir/outer2"));
  // The subninja's variable stays in its own scope.
  EXPECT_EQ("outer", Var("var"));
}

TEST_F(ParserTest, SubninjaRulesAreLocal) {
  fs_.Create("sub.ninja",
             "rule local\n  command = local\n"
             "build s: local\n");
  EXPECT_EQ(
      "input:2: unknown build rule 'local'\n"
      "build t: local\n"
      "         ^ near here",
      ParseError("subninja sub.ninja\nbuild t: local\n"));
}

TEST_F(ParserTest, SubninjaSeesItsParentsRules) {
  fs_.Create("sub.ninja", "build s: top\n");
  AssertParse("rule top\n  command = top $out\nsubninja sub.ninja\n");
  EXPECT_EQ("top s", Command("s"));
}

TEST_F(ParserTest, DuplicateRuleInDifferentSubninjas) {
  fs_.Create("test.ninja",
             "rule cat\n"
             "  command = cat sub\n"
             "build x: cat\n");
  AssertParse(
      "rule cat\n"
      "  command = cat top\n"
      "subninja test.ninja\n"
      "build y: cat\n");
  EXPECT_EQ("cat sub", Command("x"));
  EXPECT_EQ("cat top", Command("y"));
}

TEST_F(ParserTest, DuplicateRuleInDifferentSubninjasWithInclude) {
  fs_.Create("rules.ninja",
             "rule cat\n"
             "  command = cat\n");
  fs_.Create("test.ninja",
             "include rules.ninja\n"
             "build x : cat\n");
  AssertParse(
      "include rules.ninja\n"
      "subninja test.ninja\n"
      "build y : cat\n");
  EXPECT_EQ(Strings({"rules.ninja", "test.ninja", "rules.ninja"}), fs_.files_read);
}

TEST_F(ParserTest, Include) {
  fs_.Create("include.ninja", "var = inner\n");
  AssertParse(
      "var = outer\n"
      "include include.ninja\n");
  EXPECT_EQ(Strings({"include.ninja"}), fs_.files_read);
  EXPECT_EQ("inner", Var("var"));
}

TEST_F(ParserTest, IncludeSharesRulesBothWays) {
  fs_.Create("rules.ninja", "rule cc\n  command = cc $flags $in\n");
  fs_.Create("uses_top.ninja", "build from_include: top_rule\n");
  AssertParse(
      "flags = -O2\n"
      "rule top_rule\n  command = top\n"
      "include rules.ninja\n"
      "include uses_top.ninja\n"
      "build a: cc a.c\n");
  EXPECT_EQ("cc -O2 a.c", Command("a"));
  EXPECT_EQ("top", Command("from_include"));
  EXPECT_EQ(
      "input:2: duplicate rule 'cc'\n"
      "rule cc\n"
      "       ^ near here",
      ParseError("include rules.ninja\nrule cc\n  command = again\n"));
}

TEST_F(ParserTest, IncludeInsideSubninjaSharesTheSubninjasScope) {
  fs_.Create("sub.ninja",
             "include inc.ninja\n"
             "build s: inner\n");
  fs_.Create("inc.ninja",
             "v = from-inc\n"
             "rule inner\n  command = inner $v\n");
  AssertParse(
      "v = top\n"
      "subninja sub.ninja\n");
  EXPECT_EQ("inner from-inc", Command("s"));
  EXPECT_EQ("top", Var("v"));
  EXPECT_FALSE(graph_.LookupRule(Graph::kRootScope, graph_.FindName("inner")).valid());
}

TEST_F(ParserTest, NestedSubninjas) {
  fs_.Create("a.ninja",
             "x = a\n"
             "subninja b.ninja\n"
             "build a_out: r\n");
  fs_.Create("b.ninja",
             "y = b\n"
             "build b_out: r\n");
  AssertParse(
      "rule r\n  command = [$x][$y]\n"
      "subninja a.ninja\n"
      "build top_out: r\n");
  EXPECT_EQ("[a][b]", Command("b_out"));
  EXPECT_EQ("[a][]", Command("a_out"));
  EXPECT_EQ("[][]", Command("top_out"));
}

TEST_F(ParserTest, IncludePathsAreRelativeToTheWorkingDirectory) {
  // As in Ninja, not to the including file.
  fs_.Create("sub/build.ninja", "include rules.ninja\nbuild sub/out: r\n");
  fs_.Create("rules.ninja", "rule r\n  command = top-level rules\n");
  fs_.Create("sub/rules.ninja", "rule r\n  command = sub rules\n");
  AssertParse("subninja sub/build.ninja\n");
  EXPECT_EQ("top-level rules", Command("sub/out"));
  EXPECT_EQ(Strings({"sub/build.ninja", "rules.ninja"}), fs_.files_read);
}

TEST_F(ParserTest, LoadReadsTheTopFileFirst) {
  fs_.Create("build.ninja", "include a.ninja\nsubninja b.ninja\n");
  fs_.Create("a.ninja", "x = 1\n");
  fs_.Create("b.ninja", "y = 2\n");
  ManifestParser parser(&graph_, &fs_, Quiet());
  std::string err;
  ASSERT_TRUE(parser.Load("build.ninja", &err)) << err;
  EXPECT_EQ(Strings({"build.ninja", "a.ninja", "b.ninja"}), fs_.files_read);
  EXPECT_EQ("1", Var("x"));
  EXPECT_EQ("", Var("y"));
}

TEST_F(ParserTest, SuccessiveParsesAddToOneGraph) {
  AssertParse("rule r\n  command = r $in\nx = 1\n");
  AssertParse("build a: r b\n");
  AssertParse("x = 2\nbuild c: r a\n");
  EXPECT_EQ(2u, graph_.edge_count());
  EXPECT_EQ("r b", Command("a"));
  EXPECT_EQ("2", Var("x"));
}

TEST_F(ParserTest, IncludePathIsEvaluatedInScope) {
  fs_.Create("dir/rules.ninja", "rule r\n  command = from-dir\n");
  AssertParse(
      "d = dir\n"
      "include $d/rules.ninja\n"
      "build a: r\n");
  EXPECT_EQ("from-dir", Command("a"));
}

TEST_F(ParserTest, SubninjaEdgeBindingsUseTheSubninjaScope) {
  fs_.Create("sub.ninja",
             "v = sub\n"
             "build s: r\n"
             "  y = $v\n");
  AssertParse(
      "rule r\n  command = $y\n"
      "v = top\n"
      "subninja sub.ninja\n");
  EXPECT_EQ("sub", Command("s"));
}

// --- canonicalisation ------------------------------------------------------

TEST_F(ParserTest, CanonicalizeFile) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build out: cat in/1 in//2\n"
      "build in/1: cat\n"
      "build in/2: cat\n");
  EXPECT_TRUE(HasNode("in/1"));
  EXPECT_TRUE(HasNode("in/2"));
  EXPECT_FALSE(HasNode("in//1"));
  EXPECT_FALSE(HasNode("in//2"));
}

TEST_F(ParserTest, CanonicalizePaths) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build ./out.o: cat ./bar/baz/../foo.cc\n");
  EXPECT_FALSE(HasNode("./out.o"));
  EXPECT_TRUE(HasNode("out.o"));
  EXPECT_FALSE(HasNode("./bar/baz/../foo.cc"));
  EXPECT_TRUE(HasNode("bar/foo.cc"));
  EXPECT_EQ("cat bar/foo.cc > out.o", Command("out.o"));
}

TEST_F(ParserTest, CanonicalizationAfterEvaluation) {
  AssertParse(
      "rule r\n  command = x\n"
      "dir = ./a/\n"
      "build $dir/b/../c: r $dir/./d $dir\n");
  EXPECT_TRUE(HasNode("a/c"));
  EXPECT_EQ(Strings({"a/d", "a"}), Inputs("a/c"));
}

TEST_F(ParserTest, CanonicalFormsOfOneOutputCollide) {
  EXPECT_EQ("input:5: multiple rules generate a/b\n", ParseError("rule r\n  command = x\n"
                                                                 "build a/b: r\n"
                                                                 "build ./a//b: r\n"));
}

// --- phony self-references -------------------------------------------------

TEST_F(ParserTest, PhonySelfReferenceIgnored) {
  testing::internal::CaptureStderr();
  AssertParse("build a: phony a\n", ManifestParserOptions());
  const std::string warnings = testing::internal::GetCapturedStderr();
  EXPECT_THAT(warnings, HasSubstr("warning: phony target 'a' names itself as an input; "
                                  "ignoring [-w phonycycle=warn]"));
  EXPECT_TRUE(Inputs("a").empty());
}

TEST_F(ParserTest, PhonySelfReferenceIgnoredQuietly) {
  testing::internal::CaptureStderr();
  AssertParse("build a: phony a b a\n");
  EXPECT_EQ("", testing::internal::GetCapturedStderr());
  EXPECT_EQ(Strings({"b"}), Inputs("a"));
  EXPECT_EQ(1u, graph_.edge(EdgeOf("a")).explicit_ins);
}

TEST_F(ParserTest, PhonySelfReferenceKept) {
  ManifestParserOptions options = Quiet();
  options.phonycycle_is_error = true;
  AssertParse("build a: phony a\n", options);
  EXPECT_EQ(Strings({"a"}), Inputs("a"));
}

TEST_F(ParserTest, PhonySelfReferenceRemovalKeepsValidations) {
  AssertParse("build a: phony a b |@ v\n");
  EXPECT_EQ(Strings({"b"}), Inputs("a"));
  EXPECT_EQ(Strings({"v"}), Paths(graph_.validations(EdgeOf("a"))));
}

TEST_F(ParserTest, PhonySelfReferenceOnlyInCMakesForm) {
  // Only a phony edge with one output and no implicit inputs is cleaned up,
  // and only when the output names itself.
  AssertParse(
      "rule r\n  command = x\n"
      "build a: phony a | i\n"
      "build b c: phony b\n"
      "build d | e: phony d\n"
      "build f: r f\n");
  EXPECT_EQ(Strings({"a", "i"}), Inputs("a"));
  EXPECT_EQ(Strings({"b"}), Inputs("b"));
  EXPECT_EQ(Strings({"d"}), Inputs("d"));
  EXPECT_EQ(Strings({"f"}), Inputs("f"));
}

TEST_F(ParserTest, PhonySelfReferenceInOrderOnlyInputs) {
  AssertParse("build a: phony b || a\n");
  EXPECT_EQ(Strings({"b"}), Inputs("a"));
  // As in Ninja, the order-only count is left as it was, so the remaining
  // input now counts as order-only ("ninja -t query a" shows "|| b").
  const Edge& edge = graph_.edge(EdgeOf("a"));
  EXPECT_EQ(1u, edge.in_count());
  EXPECT_EQ(0u, edge.explicit_ins);
  EXPECT_EQ(1u, edge.order_only_ins);
}

TEST_F(ParserTest, PhonySelfReferenceStillCountsAsAReader) {
  // Ninja records the self-reference among the node's readers before it
  // drops the input, so the node is not a root: with nothing else in the
  // manifest, ninja reports "could not determine root nodes of build graph"
  // and `ninja -t query a` lists a among its own outputs.
  AssertParse("build a: phony a\n");
  const EdgeId edge = EdgeOf("a");
  EXPECT_TRUE(Inputs("a").empty());
  std::vector<EdgeId> readers;
  for (EdgeId reader : graph_.out_edges(graph_.LookupNode("a")))
    readers.push_back(reader);
  EXPECT_EQ(std::vector<EdgeId>({edge}), readers);
  std::string err;
  EXPECT_TRUE(graph_.RootNodes(&err).empty());
  EXPECT_EQ("could not determine root nodes of build graph", err);
}

// --- duplicate outputs -----------------------------------------------------

TEST_F(ParserTest, DupbuildErrIsTheDefault) {
  EXPECT_EQ("input:5: multiple rules generate out1\n",
            ParseError("rule cat\n"
                       "  command = cat $in > $out\n"
                       "build out1 out2: cat in1\n"
                       "build out1: cat in2\n"
                       "build final: cat out1\n",
                       ManifestParserOptions()));
}

TEST_F(ParserTest, DupbuildErrInIncludedFile) {
  fs_.Create("sub.ninja",
             "rule cat\n"
             "  command = cat $in > $out\n"
             "build out1 out2: cat in1\n"
             "build out1: cat in2\n"
             "build final: cat out1\n");
  EXPECT_EQ("sub.ninja:5: multiple rules generate out1\n",
            ParseError("subninja sub.ninja\n"));
}

TEST_F(ParserTest, DupbuildErrWithinOneEdge) {
  EXPECT_EQ("input:4: multiple rules generate foo\n",
            ParseError("rule cat\n"
                       "  command = cat $in > $out\n"
                       "build foo foo: cat bar\n"));
}

TEST_F(ParserTest, DupbuildWarnDropsTheDuplicate) {
  testing::internal::CaptureStderr();
  ManifestParserOptions options;
  options.dupbuild_is_error = false;
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build out1 out2: cat in1\n"
      "build out1: cat in2\n"
      "build final: cat out1\n",
      options);
  EXPECT_THAT(
      testing::internal::GetCapturedStderr(),
      HasSubstr("warning: multiple rules generate out1. builds involving this target "
                "will not be correct; continuing anyway"));
  // The second edge had nothing left to build and is gone.
  EXPECT_EQ(2u, graph_.edge_count());
  EXPECT_EQ(Strings({"in1"}), Inputs("out1"));
  EXPECT_EQ(Strings({"out1"}), Inputs("final"));
}

TEST_F(ParserTest, DupbuildWarnKeepsTheNewOutputs) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build out1 out2: cat in1\n"
      "build out1 out3 | out2 imp: cat in2\n",
      DupbuildWarn());
  EXPECT_EQ(Strings({"out3", "imp"}), Outputs("out3"));
  const Edge& edge = graph_.edge(EdgeOf("out3"));
  EXPECT_EQ(1u, edge.explicit_outs);
  EXPECT_EQ(1u, edge.implicit_outs);
  EXPECT_EQ("cat in2 > out3", Command("out3"));
  EXPECT_EQ(Strings({"out1", "out2"}), Outputs("out1"));
}

TEST_F(ParserTest, DupbuildWarnNoDeadEdge) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build out: cat in\n"
      "build out: cat in\n",
      DupbuildWarn());
  EXPECT_EQ(1u, graph_.edge_count());
  // The dropped edge left no trace among the readers of "in".
  size_t readers = 0;
  for (EdgeId e : graph_.out_edges(graph_.LookupNode("in"))) readers += e.valid();
  EXPECT_EQ(1u, readers);
}

TEST_F(ParserTest, ImplicitOutputDupes) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build foo baz | foo baq foo: cat bar\n",
      DupbuildWarn());
  EXPECT_EQ(Strings({"foo", "baz", "baq"}), Outputs("foo"));
  const Edge& edge = graph_.edge(EdgeOf("foo"));
  EXPECT_EQ(2u, edge.explicit_outs);
  EXPECT_EQ(1u, edge.implicit_outs);

  Graph graph;
  ManifestParser parser(&graph, &fs_, DupbuildWarn());
  std::string err;
  ASSERT_TRUE(parser.ParseString("input",
                                 "rule cat\n  command = cat $in > $out\n"
                                 "build foo foo foo | foo foo foo foo: cat bar\n",
                                 &err));
  const EdgeId e = graph.in_edge(graph.LookupNode("foo"));
  EXPECT_EQ(1u, graph.edge(e).out_count());
  EXPECT_EQ(1u, graph.edge(e).explicit_outs);
}

// --- dyndep ------------------------------------------------------------------

TEST_F(ParserTest, DyndepNotSpecified) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build result: cat in\n");
  EXPECT_FALSE(graph_.edge(EdgeOf("result")).dyndep.valid());
}

TEST_F(ParserTest, DyndepNotInput) {
  EXPECT_EQ("input:5: dyndep 'notin' is not an input\n",
            ParseError("rule touch\n"
                       "  command = touch $out\n"
                       "build result: touch\n"
                       "  dyndep = notin\n"));
}

TEST_F(ParserTest, DyndepExplicitInput) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build result: cat in\n"
      "  dyndep = in\n");
  const NodeId dyndep = graph_.edge(EdgeOf("result")).dyndep;
  ASSERT_TRUE(dyndep.valid());
  EXPECT_EQ("in", graph_.Path(dyndep));
}

TEST_F(ParserTest, DyndepImplicitInput) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build result: cat in | dd\n"
      "  dyndep = dd\n");
  EXPECT_EQ("dd", graph_.Path(graph_.edge(EdgeOf("result")).dyndep));
}

TEST_F(ParserTest, DyndepOrderOnlyInput) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "build result: cat in || dd\n"
      "  dyndep = dd\n");
  EXPECT_EQ("dd", graph_.Path(graph_.edge(EdgeOf("result")).dyndep));
}

TEST_F(ParserTest, DyndepRuleInput) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "  dyndep = $in\n"
      "build result: cat in\n");
  EXPECT_EQ("in", graph_.Path(graph_.edge(EdgeOf("result")).dyndep));
}

TEST_F(ParserTest, DyndepIsCanonicalAndUnquoted) {
  AssertParse(
      "rule cat\n"
      "  command = cat $in > $out\n"
      "  dyndep = ./$in\n"
      "build result: cat sub/my$ dd\n");
  EXPECT_EQ("sub/my dd", graph_.Path(graph_.edge(EdgeOf("result")).dyndep));
}

TEST_F(ParserTest, DyndepMustNotBeAValidation) {
  EXPECT_EQ("input:5: dyndep 'v' is not an input\n", ParseError("rule r\n"
                                                                "  command = x\n"
                                                                "build a: r |@ v\n"
                                                                "  dyndep = v\n"));
}

// --- version checks ----------------------------------------------------------

TEST_F(ParserTest, RequiredVersionOlderMajorWarns) {
  testing::internal::CaptureStderr();
  AssertParse("ninja_required_version = 0.9\n");
  EXPECT_THAT(
      testing::internal::GetCapturedStderr(),
      HasSubstr("warning: ninja executable version (1.11.1) greater than build file "
                "ninja_required_version (0.9); versions may be incompatible."));
  EXPECT_EQ("0.9", Var("ninja_required_version"));
}

TEST_F(ParserTest, RequiredVersionSatisfied) {
  testing::internal::CaptureStderr();
  AssertParse(
      "ninja_required_version = 1.11\n"
      "v = 1.0\n"
      "ninja_required_version = $v\n"
      "ninja_required_version = 1.11.9\n"
      "composer_required_version = 0.1\n");
  EXPECT_EQ("", testing::internal::GetCapturedStderr());
}

using ParserDeathTest = ParserTest;

TEST_F(ParserDeathTest, RequiredVersionNewerIsFatal) {
  EXPECT_EXIT(ParseError("ninja_required_version = 1.12\n"), testing::ExitedWithCode(1),
              "fatal: ninja version \\(1.11.1\\) incompatible with build file "
              "ninja_required_version version \\(1.12\\)\\.");
  EXPECT_EXIT(ParseError("ninja_required_version = 2\n"), testing::ExitedWithCode(1),
              "incompatible with build file ninja_required_version version \\(2\\)");
  EXPECT_EXIT(ParseError("composer_required_version = 9.0\n"), testing::ExitedWithCode(1),
              "fatal: composer version \\(0.1.0\\) incompatible with build file "
              "composer_required_version version \\(9.0\\)\\.");
}

TEST_F(ParserDeathTest, RuleVariableCycleWhileLoadingIsFatal) {
  // The pool and dyndep bindings are evaluated while the edge is read, so a
  // cycle through them stops the load, as it stops ninja.
  EXPECT_EXIT(ParseError("rule r\n  command = x\n  pool = $description\n"
                         "  description = $pool\nbuild a: r\n"),
              testing::ExitedWithCode(1),
              "fatal: cycle in rule variables: description -> pool -> description");
  EXPECT_EXIT(ParseError("rule r\n  command = x\n  dyndep = $dyndep\nbuild a: r\n"),
              testing::ExitedWithCode(1),
              "fatal: cycle in rule variables: dyndep -> dyndep");
}

TEST_F(ParserDeathTest, RequiredVersionIsCheckedBeforeLaterSyntax) {
  // The check happens at once, so a newer manifest's unknown syntax further
  // down never gets reported instead.
  EXPECT_EXIT(ParseError("ninja_required_version = 99.0\nnewsyntax!!!\n"),
              testing::ExitedWithCode(1), "incompatible with build file");
}

// --- errors, in Ninja's format -------------------------------------------------

TEST_F(ParserTest, ErrorExpectedEquals) {
  EXPECT_EQ("input:1: expected '=', got eof\nsubn\n    ^ near here",
            ParseError(std::string("subn", 4)));
  EXPECT_EQ("input:1: expected '=', got eof\nfoobar\n      ^ near here",
            ParseError("foobar"));
  EXPECT_EQ("input:1: expected '=', got identifier\nx 3\n  ^ near here",
            ParseError("x 3"));
  EXPECT_EQ("input:2: expected '=', got identifier\ny 2\n  ^ near here",
            ParseError("x = 3\ny 2"));
  EXPECT_EQ("input:1: expected '=', got newline\nfoo\n   ^ near here",
            ParseError("foo\n"));
  EXPECT_EQ("input:4: expected '=', got newline\n  foo\n     ^ near here",
            ParseError("rule r\n  command = x\nbuild a: r\n  foo\n"));
}

TEST_F(ParserTest, ErrorUnexpectedEof) {
  EXPECT_EQ("input:1: unexpected EOF\nx = 3\n     ^ near here", ParseError("x = 3"));
  EXPECT_EQ("input:4: unexpected EOF\n", ParseError("x = a$\n b$\n $\n"));
  EXPECT_EQ("input:1: unexpected EOF\nbuild a\n       ^ near here",
            ParseError("build a"));
}

TEST_F(ParserTest, ErrorMissingFinalNewline) {
  EXPECT_EQ("input:1: unexpected EOF\nbuild a: phony\n              ^ near here",
            ParseError("build a: phony"));
  EXPECT_EQ("input:2: unexpected EOF\ndefault a\n         ^ near here",
            ParseError("build a: phony\ndefault a"));
  EXPECT_EQ("input:2: unexpected EOF\n  command = x\n             ^ near here",
            ParseError("rule r\n  command = x"));
  EXPECT_EQ("input:1: unexpected EOF\ninclude a\n         ^ near here",
            ParseError("include a"));
  EXPECT_EQ("input:2: unexpected EOF\n  depth = 1\n           ^ near here",
            ParseError("pool p\n  depth = 1"));
  EXPECT_EQ("input:2: unexpected EOF\n  x = 1\n       ^ near here",
            ParseError("build a: phony\n  x = 1"));
  EXPECT_EQ("input:2: expected '=', got eof\n  x\n   ^ near here",
            ParseError("build a: phony\n  x"));
  EXPECT_EQ("input:2: expected variable name\n  \n  ^ near here",
            ParseError("build a: phony\n  "));
}

TEST_F(ParserTest, ErrorBadDollarEscape) {
  EXPECT_EQ(
      "input:1: bad $-escape (literal $ must be written as $$)\n"
      "x = $\n"
      "    ^ near here",
      ParseError("x = $"));
  EXPECT_EQ(
      "input:2: bad $-escape (literal $ must be written as $$)\n"
      " $[\n"
      " ^ near here",
      ParseError("x = $\n $[\n"));
  EXPECT_EQ(
      "input:2: bad $-escape (literal $ must be written as $$)\n"
      "  command = ${fafsd\n"
      "            ^ near here",
      ParseError("rule cat\n"
                 "  command = ${fafsd\n"
                 "foo = bar\n"));
  EXPECT_EQ(
      "input:3: bad $-escape (literal $ must be written as $$)\n"
      "build $.: cat foo\n"
      "      ^ near here",
      ParseError("rule cat\n"
                 "  command = cat\n"
                 "build $.: cat foo\n"));
  EXPECT_EQ(
      "input:3: bad $-escape (literal $ must be written as $$)\n"
      "build $.: cc bar.cc\n"
      "      ^ near here",
      ParseError("rule cc\n  command = foo\n"
                 "build $.: cc bar.cc\n"));
}

TEST_F(ParserTest, ErrorExpectedPath) {
  EXPECT_EQ("input:1: expected path\nbuild\n     ^ near here", ParseError("build\n"));
  EXPECT_EQ("input:1: expected path\nbuild: r\n     ^ near here",
            ParseError("build: r\n"));
  EXPECT_EQ("input:1: expected path\nbuild | : r\n        ^ near here",
            ParseError("build | : r\n"));
}

TEST_F(ParserTest, ErrorUnknownBuildRule) {
  EXPECT_EQ("input:1: unknown build rule 'y'\nbuild x: y z\n         ^ near here",
            ParseError("build x: y z\n"));
}

TEST_F(ParserTest, ErrorExpectedBuildCommandName) {
  EXPECT_EQ("input:1: expected build command name\nbuild x:: y z\n        ^ near here",
            ParseError("build x:: y z\n"));
  EXPECT_EQ("input:1: expected build command name\nbuild x: | y\n         ^ near here",
            ParseError("build x: | y\n"));
}

TEST_F(ParserTest, ErrorExpectedNewline) {
  EXPECT_EQ("input:4: expected newline, got ':'\n :\n ^ near here",
            ParseError("rule cat\n  command = cat ok\n"
                       "build x: cat $\n :\n"));
  EXPECT_EQ("input:4: expected newline, got ':'\ndefault b:\n         ^ near here",
            ParseError("rule r\n  command = r\n"
                       "build b: r\n"
                       "default b:\n"));
  EXPECT_EQ("input:1: expected newline, got eof\nrule r\n      ^ near here",
            ParseError("rule r"));
  EXPECT_EQ("input:1: expected newline, got identifier\nrule r junk\n       ^ near here",
            ParseError("rule r junk\n"));
  EXPECT_EQ("input:1: expected newline, got identifier\npool p junk\n       ^ near here",
            ParseError("pool p junk\n"));
}

TEST_F(ParserTest, ErrorSeparatorsOutOfOrder) {
  const std::string rule = "rule r\n  command = a\n";
  EXPECT_EQ(
      "input:3: expected ':', got '|' ($ also escapes ':')\n"
      "build a | b | c: r\n"
      "            ^ near here",
      ParseError(rule + "build a | b | c: r\n"));
  EXPECT_EQ(
      "input:3: expected ':', got '||' ($ also escapes ':')\n"
      "build a || b: r\n"
      "        ^ near here",
      ParseError(rule + "build a || b: r\n"));
  EXPECT_EQ(
      "input:3: expected newline, got '|'\n"
      "build a: r || b | c\n"
      "                ^ near here",
      ParseError(rule + "build a: r || b | c\n"));
  EXPECT_EQ(
      "input:3: expected newline, got '|'\n"
      "build a: r |@ b | c\n"
      "                ^ near here",
      ParseError(rule + "build a: r |@ b | c\n"));
  EXPECT_EQ(
      "input:3: expected newline, got '||'\n"
      "build a: r |@ b || c\n"
      "                ^ near here",
      ParseError(rule + "build a: r |@ b || c\n"));
  EXPECT_EQ(
      "input:3: expected newline, got '|@'\n"
      "build a: r |@ b |@ c\n"
      "                ^ near here",
      ParseError(rule + "build a: r |@ b |@ c\n"));
  EXPECT_EQ(
      "input:3: expected newline, got '|'\n"
      "build a: r | b | c\n"
      "               ^ near here",
      ParseError(rule + "build a: r | b | c\n"));
  EXPECT_EQ(
      "input:3: expected newline, got ':'\n"
      "build a: r b: c\n"
      "            ^ near here",
      ParseError(rule + "build a: r b: c\n"));
}

TEST_F(ParserTest, ErrorExpectedColon) {
  EXPECT_EQ(
      "input:3: expected ':', got newline ($ also escapes ':')\n"
      "build $: cat foo\n"
      "                ^ near here",
      ParseError("rule cat\n"
                 "  command = cat\n"
                 "build $: cat foo\n"));
  EXPECT_EQ(
      "input:3: expected ':', got newline ($ also escapes ':')\n"
      "build $: cc bar.cc\n"
      "                  ^ near here",
      ParseError("rule cc\n  command = foo\n"
                 "build $: cc bar.cc\n"));
}

TEST_F(ParserTest, ErrorExpectedCommandLine) {
  EXPECT_EQ("input:2: expected 'command =' line\n", ParseError("rule cat\n"));
  EXPECT_EQ("input:3: expected 'command =' line\n", ParseError("rule r\n  command =\n"));
  EXPECT_EQ("input:3: expected 'command =' line\n",
            ParseError("rule r\n  description = x\nbuild a: r\n"));
}

TEST_F(ParserTest, ErrorDuplicateRule) {
  EXPECT_EQ(
      "input:3: duplicate rule 'cat'\n"
      "rule cat\n"
      "        ^ near here",
      ParseError("rule cat\n"
                 "  command = echo\n"
                 "rule cat\n"
                 "  command = echo\n"));
  EXPECT_EQ("input:1: duplicate rule 'phony'\nrule phony\n          ^ near here",
            ParseError("rule phony\n  command = x\n"));
}

TEST_F(ParserTest, ErrorRspfileWithoutContent) {
  EXPECT_EQ("input:4: rspfile and rspfile_content need to be both specified\n",
            ParseError("rule cat\n"
                       "  command = echo\n"
                       "  rspfile = cat.rsp\n"));
  EXPECT_EQ("input:3: rspfile and rspfile_content need to be both specified\n",
            ParseError("rule r\n  rspfile_content = x\n"));
}

TEST_F(ParserTest, ErrorExpectedRuleName) {
  EXPECT_EQ("input:1: expected rule name\nrule %foo\n     ^ near here",
            ParseError("rule %foo\n"));
}

TEST_F(ParserTest, ErrorUnexpectedRuleVariable) {
  EXPECT_EQ(
      "input:3: unexpected variable 'othervar'\n"
      "  othervar = bar\n"
      "                ^ near here",
      ParseError("rule cc\n"
                 "  command = foo\n"
                 "  othervar = bar\n"));
  EXPECT_EQ("input:3: unexpected variable 'in'\n  in = b\n        ^ near here",
            ParseError("rule r\n  command = a\n  in = b\n"));
  EXPECT_EQ("input:2: unexpected variable 'depth'\n  depth = 1\n           ^ near here",
            ParseError("rule r\n  depth = 1\n"));
}

TEST_F(ParserTest, ErrorExpectedVariableName) {
  EXPECT_EQ("input:3: expected variable name\n  && bar\n  ^ near here",
            ParseError("rule cc\n  command = foo\n  && bar"));
  EXPECT_EQ("input:5: expected variable name\n  = 2\n  ^ near here",
            ParseError("rule r\n  command = x\nbuild a: r\n  foo = 1\n  = 2\n"));
}

TEST_F(ParserTest, ErrorExpectedTargetName) {
  EXPECT_EQ("input:1: expected target name\ndefault\n       ^ near here",
            ParseError("default\n"));
}

TEST_F(ParserTest, ErrorUnknownTarget) {
  EXPECT_EQ(
      "input:1: unknown target 'nonexistent'\ndefault nonexistent\n"
      "                   ^ near here",
      ParseError("default nonexistent\n"));
  // The first unknown target in a list stops it.
  EXPECT_EQ("input:5: unknown target 'c'\ndefault a c b\n           ^ near here",
            ParseError("rule r\n  command = x\nbuild a: r\nbuild b: r\ndefault a c b\n"));
}

TEST_F(ParserTest, ErrorEmptyPath) {
  EXPECT_EQ("input:1: empty path\ndefault $a\n          ^ near here",
            ParseError("default $a\n"));
  EXPECT_EQ("input:4: empty path\ndefault a $b c\n            ^ near here",
            ParseError("rule r\n  command = x\nbuild a: r\ndefault a $b c\n"));
  // For edges the paths are evaluated once the whole statement is read, so
  // the line is the next one (Ninja's own "XXX" about this).
  EXPECT_EQ("input:4: empty path\n", ParseError("rule r\n"
                                                "  command = r\n"
                                                "build $a: r $c\n"));
  EXPECT_EQ("input:4: empty path\n",
            ParseError("rule r\n  command = x\nbuild a: r $c\n"));
  EXPECT_EQ("input:4: empty path\n",
            ParseError("rule r\n  command = x\nbuild a | $c: r\n"));
  EXPECT_EQ("input:4: empty path\n",
            ParseError("rule r\n  command = x\nbuild a: r |@ $c\n"));
}

TEST_F(ParserTest, ErrorUnexpectedIndent) {
  // The indented blank line ends the rule.
  EXPECT_EQ("input:4: unexpected indent\n", ParseError("rule r\n"
                                                       "  command = r\n"
                                                       "  \n"
                                                       "  generator = 1\n"));
  EXPECT_EQ("input:1: unexpected indent\n", ParseError(" x = 1\n"));
  EXPECT_EQ("input:2: unexpected indent\n", ParseError("x = 1\n  y = 2\n"));
}

TEST_F(ParserTest, ErrorUnexpectedToken) {
  EXPECT_EQ("input:2: unexpected ':'\n", ParseError("x = 1\n: y\n"));
  EXPECT_EQ("input:1: unexpected '|'\n", ParseError("|\n"));
  EXPECT_EQ("input:1: unexpected '='\n", ParseError("= 1\n"));
  EXPECT_EQ("input:1: unexpected '||'\n", ParseError("|| x\n"));
}

TEST_F(ParserTest, ErrorPools) {
  EXPECT_EQ("input:1: expected pool name\npool\n    ^ near here", ParseError("pool\n"));
  EXPECT_EQ("input:2: expected 'depth =' line\n", ParseError("pool foo\n"));
  EXPECT_EQ("input:3: duplicate pool 'foo'\npool foo\n        ^ near here",
            ParseError("pool foo\n"
                       "  depth = 4\n"
                       "pool foo\n"));
  EXPECT_EQ("input:1: duplicate pool 'console'\npool console\n            ^ near here",
            ParseError("pool console\n  depth = 1\n"));
  EXPECT_EQ("input:2: invalid pool depth\n  depth = -1\n            ^ near here",
            ParseError("pool foo\n"
                       "  depth = -1\n"));
  EXPECT_EQ("input:2: unexpected variable 'bar'\n  bar = 1\n         ^ near here",
            ParseError("pool foo\n"
                       "  bar = 1\n"));
  EXPECT_EQ(
      "input:3: unexpected variable 'command'\n  command = x\n             ^ near here",
      ParseError("pool p\n  depth = 1\n  command = x\n"));
}

TEST_F(ParserTest, ErrorUnknownPool) {
  // Pool names are resolved when the edge is read.
  EXPECT_EQ("input:5: unknown pool name 'unnamed_pool'\n",
            ParseError("rule run\n"
                       "  command = echo\n"
                       "  pool = unnamed_pool\n"
                       "build out: run in\n"));
  EXPECT_EQ("input:5: unknown pool name 'nope'\n",
            ParseError("rule r\n  command = x\nbuild a: r\n  pool = nope\n"));
  // A pool declared later does not count.
  EXPECT_EQ(
      "input:5: unknown pool name 'p'\n",
      ParseError("rule r\n  command = x\n  pool = p\nbuild a: r\npool p\n  depth = 1\n"));
}

TEST_F(ParserTest, ErrorLexing) {
  EXPECT_EQ("input:1: lexing error\n", ParseError("# comment without newline"));
  EXPECT_EQ("input:1: lexing error\nx = 1\rfoo\n     ^ near here",
            ParseError("x = 1\rfoo\n"));
  EXPECT_EQ("input:1: lexing error\n", ParseError("%\n"));
  EXPECT_EQ("input:3: tabs are not allowed, use spaces\n",
            ParseError("rule r\n command = 1\n\tfoo\n"));
  EXPECT_EQ("input:2: expected variable name\n  \tcommand = 1\n  ^ near here",
            ParseError("rule r\n  \tcommand = 1\n"));
  // A stray character where the grammar waits for something in particular.
  EXPECT_EQ("input:1: expected newline, got lexing error\nrule r %\n       ^ near here",
            ParseError("rule r %\n"));
  EXPECT_EQ("input:1: expected '=', got lexing error\nx %= 1\n  ^ near here",
            ParseError("x %= 1\n"));
}

TEST_F(ParserTest, MissingInput) {
  EXPECT_EQ("loading 'build.ninja': No such file or directory", LoadError("build.ninja"));
}

TEST_F(ParserTest, UnreadableInput) {
  fs_.Create("build.ninja", "x = 1\n");
  fs_.files["build.ninja"].read_error = "Permission denied";
  EXPECT_EQ("loading 'build.ninja': Permission denied", LoadError("build.ninja"));
}

TEST_F(ParserTest, MissingSubNinja) {
  EXPECT_EQ(
      "input:1: loading 'foo.ninja': No such file or directory\n"
      "subninja foo.ninja\n"
      "                  ^ near here",
      ParseError("subninja foo.ninja\n"));
}

TEST_F(ParserTest, MissingInclude) {
  EXPECT_EQ(
      "input:2: loading 'sub/inc.ninja': No such file or directory\n"
      "include sub/inc.ninja\n"
      "                     ^ near here",
      ParseError("x = 1\ninclude sub/inc.ninja\n"));
  // No path at all loads "".
  EXPECT_EQ("input:1: loading '': No such file or directory\ninclude\n       ^ near here",
            ParseError("include\n"));
  // The file is loaded before the rest of the line is looked at.
  EXPECT_EQ(
      "input:1: loading 'missing': No such file or directory\n"
      "include missing junk\n"
      "               ^ near here",
      ParseError("include missing junk\n"));
}

TEST_F(ParserTest, IncludeFollowedByJunk) {
  fs_.Create("inc.ninja", "");
  EXPECT_EQ(
      "input:1: expected newline, got identifier\ninclude inc.ninja junk\n"
      "                  ^ near here",
      ParseError("include inc.ninja junk\n"));
}

TEST_F(ParserTest, BrokenInclude) {
  fs_.Create("include.ninja", "build\n");
  EXPECT_EQ("include.ninja:1: expected path\nbuild\n     ^ near here",
            ParseError("include include.ninja\n"));
}

TEST_F(ParserTest, ErrorInNestedIncludeNamesTheInnermostFile) {
  fs_.Create("a.ninja", "include b.ninja\n");
  fs_.Create("b.ninja", "x = 1\ny = $%\n");
  EXPECT_EQ(
      "b.ninja:2: bad $-escape (literal $ must be written as $$)\n"
      "y = $%\n"
      "    ^ near here",
      ParseError("subninja a.ninja\n"));
}

TEST_F(ParserTest, LongFileNamesAreCutLikeNinja) {
  // Ninja formats "file:line: " into a 1024-byte buffer, so a longer file
  // name is cut at 1023 bytes (checked with ninja -f on a 1205-byte path).
  const std::string name(1200, 'd');
  Graph graph;
  ManifestParser parser(&graph, &fs_, Quiet());
  std::string err;
  ASSERT_FALSE(parser.ParseString(name, "x = $%\n", &err));
  const std::string expected =
      name.substr(0, 1023) +
      "bad $-escape (literal $ must be written as $$)\nx = $%\n    ^ near here";
  EXPECT_EQ(expected, err);
  // Composer's own format keeps the whole name.
  CurrentPersonality().ninja_compat = false;
  Graph graph2;
  ManifestParser parser2(&graph2, &fs_, Quiet());
  ASSERT_FALSE(parser2.ParseString(name, "x = $%\n", &err));
  EXPECT_EQ(
      name +
          ":1:5: bad $-escape (literal $ must be written as $$)\nx = $%\n    ^ near here",
      err);
}

// --- errors, in Composer's format (with the column) --------------------------

TEST_F(ParserTest, ComposerFormatAddsTheColumn) {
  CurrentPersonality().ninja_compat = false;
  EXPECT_EQ("input:1:5: expected '=', got eof\nsubn\n    ^ near here",
            ParseError("subn"));
  EXPECT_EQ("input:1:10: unknown build rule 'y'\nbuild x: y z\n         ^ near here",
            ParseError("build x: y z\n"));
  EXPECT_EQ("input:2:1: expected 'command =' line\n", ParseError("rule cat\n"));
  EXPECT_EQ("input:4:1: unexpected indent\n",
            ParseError("rule r\n  command = r\n  \n  generator = 1\n"));
  EXPECT_EQ("input:4:1: empty path\n",
            ParseError("rule r\n  command = r\nbuild $a: r $c\n"));
  EXPECT_EQ(
      "input:2:2: bad $-escape (literal $ must be written as $$)\n"
      " $[\n"
      " ^ near here",
      ParseError("x = $\n $[\n"));
  EXPECT_EQ(
      "input:1:19: loading 'foo.ninja': No such file or directory\n"
      "subninja foo.ninja\n"
      "                  ^ near here",
      ParseError("subninja foo.ninja\n"));
  fs_.Create("include.ninja", "build\n");
  EXPECT_EQ("include.ninja:1:6: expected path\nbuild\n     ^ near here",
            ParseError("include include.ninja\n"));
  // The top-level loading error has no position at all.
  EXPECT_EQ("loading 'nope': No such file or directory", LoadError("nope"));
}

// --- include cycles and depth --------------------------------------------------

TEST_F(ParserTest, IncludeCycle) {
  fs_.Create("a.ninja", "include b.ninja\n");
  fs_.Create("b.ninja", "x = 1\ninclude a.ninja\n");
  EXPECT_EQ(
      "b.ninja:2: include cycle: a.ninja -> b.ninja -> a.ninja\n"
      "include a.ninja\n"
      "               ^ near here",
      LoadError("a.ninja"));
}

TEST_F(ParserTest, SubninjaCycle) {
  fs_.Create("a.ninja", "subninja b.ninja\n");
  fs_.Create("b.ninja", "subninja c.ninja\n");
  fs_.Create("c.ninja", "include b.ninja\n");
  EXPECT_EQ(
      "c.ninja:1: include cycle: b.ninja -> c.ninja -> b.ninja\n"
      "include b.ninja\n"
      "               ^ near here",
      LoadError("a.ninja"));
}

TEST_F(ParserTest, FileIncludingItself) {
  fs_.Create("build.ninja", "rule r\n  command = x\ninclude build.ninja\n");
  EXPECT_EQ(
      "build.ninja:3: include cycle: build.ninja -> build.ninja\n"
      "include build.ninja\n"
      "                   ^ near here",
      LoadError("build.ninja"));
  // Spelt differently, it is still the same file.
  fs_.Create("self.ninja", "subninja ./self.ninja\n");
  EXPECT_EQ(
      "self.ninja:1: include cycle: self.ninja -> self.ninja\n"
      "subninja ./self.ninja\n"
      "                     ^ near here",
      LoadError("self.ninja"));
}

TEST_F(ParserTest, IncludingAFileTwiceIsNotACycle) {
  fs_.Create("vars.ninja", "n = ${n}x\n");
  fs_.Create("a.ninja", "include vars.ninja\n");
  AssertParse(
      "include vars.ninja\n"
      "include a.ninja\n"
      "subninja a.ninja\n"
      "include vars.ninja\n");
  EXPECT_EQ("xxx", Var("n"));
}

TEST_F(ParserTest, DeepIncludeChain) {
  const int kDepth = 500;
  for (int i = 0; i < kDepth; ++i) {
    const std::string next = "f" + std::to_string(i + 1) + ".ninja";
    fs_.Create(
        "f" + std::to_string(i) + ".ninja",
        "v" + std::to_string(i) + " = " + std::to_string(i) + "\ninclude " + next + "\n");
  }
  fs_.Create("f" + std::to_string(kDepth) + ".ninja",
             "deepest = yes\nrule deep\n  command = deep $v0 $v499\n");
  AssertParse("include f0.ninja\nbuild out: deep\n");
  EXPECT_EQ("yes", Var("deepest"));
  EXPECT_EQ("deep 0 499", Command("out"));
  EXPECT_EQ(static_cast<size_t>(kDepth + 1), fs_.files_read.size());
}

TEST_F(ParserTest, DeepSubninjaChain) {
  const int kDepth = 500;
  for (int i = 0; i < kDepth; ++i) {
    fs_.Create(
        "s" + std::to_string(i) + ".ninja",
        "x = " + std::to_string(i) + "\nsubninja s" + std::to_string(i + 1) + ".ninja\n");
  }
  fs_.Create("s" + std::to_string(kDepth) + ".ninja", "build deep: r\n");
  AssertParse("rule r\n  command = [$x]\nsubninja s0.ninja\n");
  EXPECT_EQ("[499]", Command("deep"));
}

TEST_F(ParserTest, IncludeDepthLimit) {
  // Load() puts the top file on the include stack: a chain of 1000 files is
  // the most that loads, one more is reported cleanly.
  const int kLimit = 1000;
  for (int i = 0; i < kLimit; ++i) {
    fs_.Create("f" + std::to_string(i) + ".ninja",
               "include f" + std::to_string(i + 1) + ".ninja\n");
  }
  fs_.Create("f" + std::to_string(kLimit - 1) + ".ninja", "last = yes\n");
  {
    Graph graph;
    ManifestParser parser(&graph, &fs_, Quiet());
    std::string err;
    EXPECT_TRUE(parser.Load("f0.ninja", &err)) << err.substr(0, 200);
    EXPECT_EQ("yes", graph.LookupVar(Graph::kRootScope, graph.FindName("last")));
  }
  fs_.Create("f" + std::to_string(kLimit - 1) + ".ninja",
             "include f" + std::to_string(kLimit) + ".ninja\n");
  fs_.Create("f" + std::to_string(kLimit) + ".ninja", "last = yes\n");
  EXPECT_EQ(
      "f999.ninja:1: includes nested deeper than 1000 files\n"
      "include f1000.ninja\n"
      "                   ^ near here",
      LoadError("f0.ninja"));
}

// --- huge and malformed input ----------------------------------------------------

// A manifest using every statement, for the robustness loops below.
const char kFullManifest[] =
    "# A comment.\n"
    "ninja_required_version = 1.5\n"
    "cflags = -O2 $\n"
    "    -g\n"
    "pool link\n"
    "  depth = 2\n"
    "rule cc\n"
    "  command = cc $cflags -c $in -o $out\n"
    "  depfile = $out.d\n"
    "  deps = gcc\n"
    "  description = CC $out\n"
    "rule link\n"
    "  command = ld @$out.rsp -o $out\n"
    "  rspfile = $out.rsp\n"
    "  rspfile_content = $in_newline\n"
    "  pool = link\n"
    "include rules.ninja\n"
    "build a.o: cc a.c | a.h || gen\n"
    "  cflags = -O0\n"
    "build b$ c.o | b.d: cc ./src/../b$ c.c$:x\n"
    "build app: link a.o b$ c.o |@ check\n"
    "build check: copy a.o\n"
    "  dyndep = a.o\n"
    "build gen: phony gen\n"
    "subninja sub/build.ninja\n"
    "default app\n"
    "default check gen\r\n";

// Every Graph costs far more under the sanitizers (each interner's first
// arena chunk is a zero-filled 256 KB allocation), so the random loops run
// fewer rounds there to stay well under a second.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

class RobustnessTest : public ParserTest {
 protected:
  void SetUp() override {
    ParserTest::SetUp();
    fs_.Create("rules.ninja", "rule copy\n  command = cp $in $out\n");
    fs_.Create("sub/build.ninja", "x = sub\nbuild sub/out: copy app\n  y = $x\n");
  }

  // Parses `input` into a fresh graph. It must either succeed, leaving a
  // consistent graph, or fail with a message.
  bool ParseAny(const std::string& input, std::string* err) {
    Graph graph;
    ManifestParser parser(&graph, &fs_, Quiet());
    err->clear();
    const bool ok = parser.ParseString("input", input, err);
    if (ok) {
      graph.FinishLoading();
      VerifyGraph(graph);
    } else {
      EXPECT_FALSE(err->empty()) << "no message for: " << input;
    }
    return ok;
  }
};

TEST_F(RobustnessTest, FullManifestParses) {
  testing::internal::CaptureStderr();  // the phony self-reference warns
  AssertParse(kFullManifest, ManifestParserOptions());
  testing::internal::GetCapturedStderr();
  EXPECT_EQ("cc -O0 -c a.c -o a.o", Command("a.o"));
  EXPECT_EQ("cc -O2 -g -c 'b c.c:x' -o 'b c.o'", Command("b c.o"));
  EXPECT_EQ("ld @app.rsp -o app", Command("app"));
  EXPECT_EQ("cp app sub/out", Command("sub/out"));
  EXPECT_EQ(graph_.LookupPool(graph_.FindName("link")), graph_.edge(EdgeOf("app")).pool);
  std::string err;
  EXPECT_EQ(Strings({"app", "check", "gen"}), Paths(graph_.DefaultNodes(&err)));
}

TEST_F(RobustnessTest, EveryPrefixParsesOrFailsAndNulEndsTheInput) {
  // Every prefix of a valid manifest parses or fails with a message. And a
  // NUL ends the input wherever it is: the text after it makes no
  // difference, the result is exactly that of the prefix before it.
  const std::string full = kFullManifest;
  int parsed = 0;
  for (size_t pos = 0; pos <= full.size(); ++pos) {
    std::string err_prefix, err_nul;
    const bool ok_prefix = ParseAny(full.substr(0, pos), &err_prefix);
    parsed += ok_prefix;
    std::string with_nul = full;
    with_nul.insert(pos, 1, '\0');
    const bool ok_nul = ParseAny(with_nul, &err_nul);
    ASSERT_EQ(ok_prefix, ok_nul) << "NUL at " << pos;
    ASSERT_EQ(err_prefix, err_nul) << "NUL at " << pos;
  }
  // Prefixes ending at a line break generally parse.
  EXPECT_GT(parsed, 10);
  std::string err;
  EXPECT_TRUE(ParseAny(full, &err)) << err;
}

TEST_F(RobustnessTest, EveryPrefixOfAnIncludedFileParsesOrFails) {
  const std::string sub = "x = sub\nbuild sub/out: copy app\n  y = $x\n  pool = link\n";
  for (size_t len = 0; len <= sub.size(); ++len) {
    fs_.Create("sub/build.ninja", sub.substr(0, len));
    std::string err;
    ParseAny(kFullManifest, &err);
  }
}

TEST_F(RobustnessTest, NulInsideAnIncludedFile) {
  fs_.Create("inc.ninja", std::string("x = 1\n\0y = 2\n", 13));
  AssertParse("include inc.ninja\n");
  EXPECT_EQ("1", Var("x"));
  EXPECT_EQ("", Var("y"));
}

TEST_F(RobustnessTest, HugePath) {
  const std::string path(1 << 20, 'p');
  AssertParse("rule r\n  command = x $out\nbuild " + path + ": r in\n");
  ASSERT_TRUE(HasNode(path));
  EXPECT_EQ(Strings({"in"}), Inputs(path));
  EXPECT_EQ((1u << 20) + 2, Command(path).size());
}

TEST_F(RobustnessTest, HugeValue) {
  const std::string value(10 << 20, 'v');
  AssertParse("big = " + value + "\nrule r\n  command = $big\nbuild out: r\n");
  EXPECT_TRUE(Var("big") == value);
  EXPECT_EQ(value.size(), Command("out").size());
}

TEST_F(RobustnessTest, HugeLineInAnError) {
  // A very long line is cut in the context, never copied whole.
  const std::string value(1 << 20, 'v');
  const std::string err = ParseError("x = " + value + "$%\n");
  EXPECT_EQ("input:1: bad $-escape (literal $ must be written as $$)\n", err);
  const std::string err2 = ParseError("x = $%" + value + "\n");
  EXPECT_EQ("input:1: bad $-escape (literal $ must be written as $$)\n" +
                ("x = $%" + value).substr(0, 72) + "...\n    ^ near here",
            err2);
}

TEST_F(RobustnessTest, ManyStatements) {
  std::string input = "rule r\n  command = x $in\n";
  for (int i = 0; i < 20000; ++i) {
    const std::string n = std::to_string(i);
    input += "v" + n + " = " + n + "\nbuild o" + n + ": r i" + n + "\n";
  }
  AssertParse(input);
  EXPECT_EQ(20000u, graph_.edge_count());
  EXPECT_EQ("x i19999", Command("o19999"));
}

TEST_F(RobustnessTest, RandomTokenSoup) {
  // Short inputs put together from manifest-like tokens. Each must parse or
  // fail with a message; none may crash (this runs under ASan/UBSan in CI).
  static const char* const kTokens[] = {"build",       "rule",        "pool",
                                        "default",     "include",     "subninja",
                                        " ",           " ",           "  ",
                                        "\n",          "\n",          "\n",
                                        "\r\n",        "\r",          "\t",
                                        ":",           "|",           "||",
                                        "|@",          "=",           " = ",
                                        "$$",          "$ ",          "$:",
                                        "$\n",         "$\r\n",       "${a}",
                                        "$a",          "$in",         "$out",
                                        "${out}",      "$%",          "${a",
                                        "}",           "#",           "# c\n",
                                        "a",           "b",           "c.o",
                                        "out",         "in",          "r",
                                        "command",     "depth",       "depfile",
                                        "description", "phony",       "console",
                                        "link",        "rules.ninja", "sub/build.ninja",
                                        "self.ninja",  "1",           "-1",
                                        "x",           "\xff",        "\xc3\xa9"};
  constexpr int kTokenCount = sizeof(kTokens) / sizeof(kTokens[0]);
  fs_.Create("self.ninja", "include self.ninja\n");
  uint32_t seed = 20240611;
  auto next = [&seed] {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
  };
  int ok = 0, failed = 0;
  const int rounds = kSanitized ? 400 : 4000;
  for (int round = 0; round < rounds; ++round) {
    std::string input;
    // Start some inputs with a statement that needs a rule.
    if (round % 3 == 0) input = "rule r\n  command = x\n";
    const int count = 1 + static_cast<int>(next() % 24);
    for (int i = 0; i < count; ++i) {
      const uint32_t pick = next() % (kTokenCount + 1);
      if (pick == kTokenCount)
        input.push_back('\0');
      else
        input += kTokens[pick];
    }
    CurrentPersonality().ninja_compat = round % 2 == 0;
    std::string err;
    if (ParseAny(input, &err))
      ++ok;
    else
      ++failed;
    if (HasFailure()) {
      ADD_FAILURE() << "input was: " << testing::PrintToString(input);
      break;
    }
  }
  // Both outcomes occur.
  EXPECT_GT(ok, rounds / 80);
  EXPECT_GT(failed, rounds / 4);
}

TEST_F(RobustnessTest, RandomBytes) {
  uint32_t seed = 7;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
  };
  const int rounds = kSanitized ? 300 : 2000;
  for (int round = 0; round < rounds; ++round) {
    std::string input;
    const int len = static_cast<int>(next() % 64);
    for (int i = 0; i < len; ++i) {
      // Bias towards the bytes the lexer cares about.
      const uint32_t r = next() % 16;
      input.push_back(r < 8 ? " \n$:|=#a"[r] : static_cast<char>(next() & 0xff));
    }
    std::string err;
    ParseAny(input, &err);
    if (HasFailure()) {
      ADD_FAILURE() << "input was: " << testing::PrintToString(input);
      break;
    }
  }
}

}  // namespace
}  // namespace composer
