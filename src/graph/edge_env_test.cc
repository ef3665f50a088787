// Tests for EdgeEnv: how an edge's rule variables expand. The order of
// lookups and the quirks follow Ninja 1.11.1's EdgeEnv and BindingEnv.

#include "graph/edge_env.h"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace composer {
namespace {

using Bindings = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

struct EdgeSpec {
  Strings outs = {};
  Strings implicit_outs = {};
  Strings ins = {};
  Strings implicit_ins = {};
  Strings order_only = {};
  Bindings bindings = {};  // already evaluated, as the loader stores them
  ScopeId scope = Graph::kRootScope;
};

// Sets a rule's binding as the manifest loader does: the value, and that the
// key was written at all (an empty "key =" still counts).
void SetRuleBinding(Rule& rule, RuleKey key, EvalString value) {
  const int k = static_cast<int>(key);
  rule.bindings[k] = std::move(value);
  rule.present[k] = true;
}

class EdgeEnvTest : public testing::Test {
 protected:
  // "$name" and "${name}" become variable references; "$$" a dollar.
  EvalString Parse(std::string_view text) {
    EvalString eval;
    size_t i = 0;
    while (i < text.size()) {
      if (text[i] != '$') {
        const size_t next = text.find('$', i);
        const size_t end = next == std::string_view::npos ? text.size() : next;
        eval.AddText(text.substr(i, end - i));
        i = end;
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '$') {
        eval.AddText("$");
        i += 2;
      } else if (i + 1 < text.size() && text[i + 1] == '{') {
        const size_t close = text.find('}', i);
        eval.AddVar(graph_.InternName(text.substr(i + 2, close - i - 2)));
        i = close + 1;
      } else {
        size_t end = i + 1;
        while (end < text.size() && (isalnum(static_cast<unsigned char>(text[end])) ||
                                     text[end] == '_' || text[end] == '-'))
          ++end;
        eval.AddVar(graph_.InternName(text.substr(i + 1, end - i - 1)));
        i = end;
      }
    }
    return eval;
  }

  RuleId AddRule(std::string_view name, const Bindings& bindings,
                 ScopeId scope = Graph::kRootScope) {
    const RuleId id = graph_.AddRule(scope, graph_.InternName(name));
    for (const auto& [key, value] : bindings) {
      RuleKey rule_key = RuleKey::kCommand;
      EXPECT_TRUE(AsRuleKey(graph_.FindName(key), &rule_key)) << key;
      SetRuleBinding(graph_.rule(id), rule_key, Parse(value));
    }
    return id;
  }

  EdgeId AddEdge(RuleId rule, const EdgeSpec& spec) {
    const EdgeId id = graph_.StartEdge(rule, spec.scope);
    for (const auto& [name, value] : spec.bindings)
      graph_.AddEdgeBinding(graph_.InternName(name), graph_.InternValue(value));
    for (const std::string& p : spec.outs) graph_.AddOutput(id, graph_.GetNode(p));
    for (const std::string& p : spec.implicit_outs)
      graph_.AddOutput(id, graph_.GetNode(p));
    for (const Strings* list : {&spec.ins, &spec.implicit_ins, &spec.order_only})
      for (const std::string& p : *list) graph_.AddInput(id, graph_.GetNode(p));
    Edge& edge = graph_.edge(id);
    edge.explicit_outs = static_cast<uint32_t>(spec.outs.size());
    edge.implicit_outs = static_cast<uint32_t>(spec.implicit_outs.size());
    edge.explicit_ins = static_cast<uint32_t>(spec.ins.size());
    edge.implicit_ins = static_cast<uint32_t>(spec.implicit_ins.size());
    edge.order_only_ins = static_cast<uint32_t>(spec.order_only.size());
    return id;
  }

  void Set(ScopeId scope, std::string_view name, std::string_view value) {
    graph_.SetVar(scope, graph_.InternName(name), graph_.InternValue(value));
  }

  std::string Command(EdgeId edge) { return EvaluateCommand(graph_, edge); }

  Graph graph_;
};

TEST_F(EdgeEnvTest, InAndOutListExplicitPathsOnly) {
  const RuleId cc = AddRule("cc", {{"command", "cc $in -o $out"}});
  const EdgeId e = AddEdge(cc, {.outs = {"a.o", "b.o"},
                                .implicit_outs = {"a.d"},
                                .ins = {"a.c", "b.c"},
                                .implicit_ins = {"a.h"},
                                .order_only = {"gen"}});
  EXPECT_EQ("cc a.c b.c -o a.o b.o", Command(e));
}

TEST_F(EdgeEnvTest, EmptyInAndOut) {
  const RuleId r = AddRule("r", {{"command", "[$in][$out][$in_newline]"}});
  const EdgeId e = AddEdge(r, {.implicit_outs = {"x"}, .implicit_ins = {"y"}});
  EXPECT_EQ("[][][]", Command(e));
}

TEST_F(EdgeEnvTest, InNewlineSeparatesWithNewlines) {
  const RuleId r = AddRule("r", {{"command", "cat $in_newline > $out"}});
  const EdgeId e = AddEdge(r, {.outs = {"out"}, .ins = {"in", "in2", "in 3"}});
  EXPECT_EQ("cat in\nin2\n'in 3' > out", Command(e));
}

TEST_F(EdgeEnvTest, PathsAreShellQuotedInCommands) {
  const RuleId r = AddRule("r", {{"command", "cp $in $out"}});
  const EdgeId e =
      AddEdge(r, {.outs = {"out dir/it's"}, .ins = {"$dollar", "plain/x.c++"}});
  EXPECT_EQ("cp '$dollar' plain/x.c++ 'out dir/it'\\''s'", Command(e));
  EXPECT_EQ("cp '$dollar' plain/x.c++ 'out dir/it'\\''s'",
            GetBinding(graph_, e, RuleKey::kCommand));
}

TEST_F(EdgeEnvTest, UnescapedBindingsKeepPathsAsTheyAre) {
  const RuleId r = AddRule("r", {{"command", "x"},
                                 {"depfile", "$out.d"},
                                 {"rspfile", "$out.rsp"},
                                 {"rspfile_content", "$in"}});
  const EdgeId e = AddEdge(r, {.outs = {"my out"}, .ins = {"a b", "c"}});
  EXPECT_EQ("my out.d", GetUnescapedBinding(graph_, e, RuleKey::kDepfile));
  EXPECT_EQ("my out.rsp", GetUnescapedBinding(graph_, e, RuleKey::kRspfile));
  EXPECT_EQ("'my out'.d", GetBinding(graph_, e, RuleKey::kDepfile));
  EXPECT_EQ("'a b' c", GetBinding(graph_, e, RuleKey::kRspfileContent));
}

TEST_F(EdgeEnvTest, VariableValuesAreNotQuoted) {
  const RuleId r = AddRule("r", {{"command", "cc $flags $in"}});
  const EdgeId e =
      AddEdge(r, {.outs = {"o"}, .ins = {"i"}, .bindings = {{"flags", "-D X='a b'"}}});
  EXPECT_EQ("cc -D X='a b' i", Command(e));
}

TEST_F(EdgeEnvTest, EdgeBindingsComeFirst) {
  const RuleId r = AddRule("r", {{"command", "run $flags"}, {"description", "rule's"}});
  Set(Graph::kRootScope, "flags", "top");
  const EdgeId plain = AddEdge(r, {.outs = {"plain"}});
  const EdgeId bound = AddEdge(
      r, {.outs = {"bound"}, .bindings = {{"flags", "edge"}, {"description", "edge's"}}});
  EXPECT_EQ("run top", Command(plain));
  EXPECT_EQ("run edge", Command(bound));
  // An edge binding shadows even the rule's own binding of the same name.
  EXPECT_EQ("rule's", GetBinding(graph_, plain, RuleKey::kDescription));
  EXPECT_EQ("edge's", GetBinding(graph_, bound, RuleKey::kDescription));
}

TEST_F(EdgeEnvTest, EdgeBindingCanReplaceTheCommand) {
  const RuleId r = AddRule("r", {{"command", "from rule"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}, .bindings = {{"command", "from edge"}}});
  EXPECT_EQ("from edge", Command(e));
}

TEST_F(EdgeEnvTest, LastEdgeBindingOfANameWins) {
  const RuleId r = AddRule("r", {{"command", "$x"}});
  const EdgeId e =
      AddEdge(r, {.outs = {"o"}, .bindings = {{"x", "first"}, {"x", "second"}}});
  EXPECT_EQ("second", Command(e));
}

TEST_F(EdgeEnvTest, RuleBindingsExpandInTheEdgesEnvironment) {
  // $description refers to the rule's own binding, expanded for this edge.
  const RuleId r = AddRule("r", {{"command", "echo \"$description\""},
                                 {"description", "making $out from $in with $opt"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}, .ins = {"i"}, .bindings = {{"opt", "O3"}}});
  EXPECT_EQ("echo \"making o from i with O3\"", Command(e));
}

TEST_F(EdgeEnvTest, UnsetVariablesAreEmpty) {
  const RuleId r = AddRule("r", {{"command", "a${nothing}b$depfile${description}c"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}});
  EXPECT_EQ("abc", Command(e));
  EXPECT_EQ("", GetBinding(graph_, e, RuleKey::kPool));
  EXPECT_FALSE(GetBindingBool(graph_, e, RuleKey::kRestat));
}

TEST_F(EdgeEnvTest, EmptyRuleBindingStillShadowsTheScope) {
  // "description =" in a rule is a binding to the empty string: Ninja uses
  // it rather than looking further out.
  const RuleId r = AddRule("r", {{"command", "[$description]"}, {"description", ""}});
  Set(Graph::kRootScope, "description", "top");
  const EdgeId bound = AddEdge(r, {.outs = {"bound"}, .bindings = {{"x", "1"}}});
  const EdgeId plain = AddEdge(r, {.outs = {"plain"}});
  EXPECT_EQ("[]", Command(bound));
  // Without edge bindings the file scope comes first anyway (Ninja's quirk).
  EXPECT_EQ("[top]", Command(plain));
}

TEST_F(EdgeEnvTest, BindingBoolIsAnyNonEmptyValue) {
  const RuleId r =
      AddRule("r", {{"command", "x"}, {"restat", "1"}, {"generator", "$gen"}});
  const EdgeId on = AddEdge(r, {.outs = {"a"}, .bindings = {{"gen", "0"}}});
  const EdgeId off = AddEdge(r, {.outs = {"b"}, .bindings = {{"gen", ""}}});
  EXPECT_TRUE(GetBindingBool(graph_, on, RuleKey::kRestat));
  // "0" is not empty, so it counts as true, as in Ninja.
  EXPECT_TRUE(GetBindingBool(graph_, on, RuleKey::kGenerator));
  EXPECT_FALSE(GetBindingBool(graph_, off, RuleKey::kGenerator));
}

TEST_F(EdgeEnvTest, RuleBindingsReadTheScopeLate) {
  // The rule's binding is expanded when asked, so it sees the file scope's
  // latest value, even one bound after the edge.
  const RuleId r = AddRule("r", {{"command", "echo $x"}});
  Set(Graph::kRootScope, "x", "before");
  const EdgeId plain = AddEdge(r, {.outs = {"a"}});
  const EdgeId bound = AddEdge(r, {.outs = {"b"}, .bindings = {{"y", "1"}}});
  Set(Graph::kRootScope, "x", "after");
  EXPECT_EQ("echo after", Command(plain));
  EXPECT_EQ("echo after", Command(bound));
}

TEST_F(EdgeEnvTest, EdgeWithoutBindingsReadsItsFileScopeBeforeTheRule) {
  // Ninja's quirk: an edge with no bindings uses its file's scope as its own
  // environment, so a variable bound there shadows the rule's binding of the
  // same name.
  const RuleId r = AddRule("r", {{"command", "from rule"}, {"description", "rule desc"}});
  Set(Graph::kRootScope, "command", "from file scope");
  const EdgeId plain = AddEdge(r, {.outs = {"plain"}});
  const EdgeId bound = AddEdge(r, {.outs = {"bound"}, .bindings = {{"unrelated", "1"}}});
  EXPECT_EQ("from file scope", Command(plain));
  // With any binding the edge gets its own environment and the rule wins.
  EXPECT_EQ("from rule", Command(bound));
  EXPECT_EQ("rule desc", GetBinding(graph_, plain, RuleKey::kDescription));
}

TEST_F(EdgeEnvTest, InASubScopeOnlyTheOwnScopeShadowsTheRule) {
  const ScopeId sub = graph_.AddScope(Graph::kRootScope);
  const RuleId r = AddRule("r", {{"command", "rule $x"}, {"description", "rule desc"}});
  Set(Graph::kRootScope, "command", "root command");
  Set(Graph::kRootScope, "x", "root-x");
  Set(sub, "description", "sub desc");
  const EdgeId plain = AddEdge(r, {.outs = {"plain"}, .scope = sub});
  // The parent scope's "command" does not shadow the rule; the sub scope's
  // own "description" does.
  EXPECT_EQ("rule root-x", Command(plain));
  EXPECT_EQ("sub desc", GetBinding(graph_, plain, RuleKey::kDescription));

  const EdgeId bound =
      AddEdge(r, {.outs = {"bound"}, .bindings = {{"z", "1"}}, .scope = sub});
  EXPECT_EQ("rule desc", GetBinding(graph_, bound, RuleKey::kDescription));
  Set(sub, "x", "sub-x");
  EXPECT_EQ("rule sub-x", Command(plain));
  EXPECT_EQ("rule sub-x", Command(bound));
}

TEST_F(EdgeEnvTest, VariablesFallBackThroughEnclosingScopes) {
  const ScopeId sub = graph_.AddScope(Graph::kRootScope);
  const ScopeId subsub = graph_.AddScope(sub);
  const RuleId r = AddRule("r", {{"command", "$a $b $c"}});
  Set(Graph::kRootScope, "a", "root-a");
  Set(Graph::kRootScope, "b", "root-b");
  Set(Graph::kRootScope, "c", "root-c");
  Set(sub, "b", "sub-b");
  Set(subsub, "c", "subsub-c");
  EXPECT_EQ("root-a sub-b subsub-c",
            Command(AddEdge(r, {.outs = {"1"}, .scope = subsub})));
  EXPECT_EQ(
      "root-a sub-b subsub-c",
      Command(AddEdge(r, {.outs = {"2"}, .bindings = {{"q", ""}}, .scope = subsub})));
  EXPECT_EQ("root-a sub-b root-c", Command(AddEdge(r, {.outs = {"3"}, .scope = sub})));
}

TEST_F(EdgeEnvTest, InAndOutCannotBeShadowed) {
  const RuleId r = AddRule("r", {{"command", "$in $out"}});
  Set(Graph::kRootScope, "in", "scope-in");
  const EdgeId e = AddEdge(
      r, {.outs = {"real-out"}, .ins = {"real-in"}, .bindings = {{"out", "edge-out"}}});
  EXPECT_EQ("real-in real-out", Command(e));
}

TEST_F(EdgeEnvTest, PhonyEdgesHaveNoCommand) {
  const EdgeId e = AddEdge(Graph::kPhonyRule, {.outs = {"all"}, .ins = {"a", "b"}});
  EXPECT_EQ("", Command(e));
}

TEST_F(EdgeEnvTest, EvaluateCommandCanIncludeTheResponseFile) {
  const RuleId r = AddRule("r", {{"command", "link @$out.rsp"},
                                 {"rspfile", "$out.rsp"},
                                 {"rspfile_content", "$in"}});
  const EdgeId e = AddEdge(r, {.outs = {"app"}, .ins = {"a.o", "b.o"}});
  EXPECT_EQ("link @app.rsp", EvaluateCommand(graph_, e));
  EXPECT_EQ("link @app.rsp;rspfile=a.o b.o", EvaluateCommand(graph_, e, true));

  const EdgeId empty = AddEdge(r, {.outs = {"none"}});
  // No content, nothing appended.
  EXPECT_EQ("link @none.rsp", EvaluateCommand(graph_, empty, true));
}

TEST_F(EdgeEnvTest, LookupOfArbitraryNames) {
  const RuleId r = AddRule("r", {{"command", "x"}});
  Set(Graph::kRootScope, "top", "t");
  const EdgeId e = AddEdge(r, {.outs = {"o"}, .ins = {"i"}, .bindings = {{"mine", "m"}}});
  EdgeEnv env(graph_, e, EscapeKind::kShellEscape);
  EXPECT_EQ("m", env.Lookup(graph_.FindName("mine")));
  EXPECT_EQ("t", env.Lookup(graph_.FindName("top")));
  EXPECT_EQ("i", env.Lookup(kNameIn));
  EXPECT_EQ("o", env.Lookup(kNameOut));
  std::string out = "prefix:";
  env.Append(graph_.FindName("mine"), &out);
  EXPECT_EQ("prefix:m", out);
}

TEST_F(EdgeEnvTest, DeepButFiniteNestingIsFine) {
  // description -> depfile -> dyndep -> rspfile -> ... each a different key.
  const RuleId r = AddRule("r", {{"command", "[$description]"},
                                 {"description", "$depfile$depfile"},
                                 {"depfile", "$deps"},
                                 {"deps", "$msvc_deps_prefix"},
                                 {"msvc_deps_prefix", "$out"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}});
  EXPECT_EQ("[oo]", Command(e));
}

using EdgeEnvDeathTest = EdgeEnvTest;

TEST_F(EdgeEnvDeathTest, CycleInRuleVariablesIsFatal) {
  const RuleId r =
      AddRule("r", {{"command", "$description"}, {"description", "$command"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}});
  EXPECT_EXIT(Command(e), testing::ExitedWithCode(1),
              "fatal: cycle in rule variables: description -> command -> description");
}

TEST_F(EdgeEnvDeathTest, SelfReferenceIsACycle) {
  const RuleId r = AddRule("r", {{"command", "x $command"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}});
  EXPECT_EXIT(Command(e), testing::ExitedWithCode(1),
              "cycle in rule variables: command -> command");
}

TEST_F(EdgeEnvDeathTest, CycleNotThroughTheStartingVariable) {
  const RuleId r = AddRule("r", {{"command", "$description"},
                                 {"description", "$depfile"},
                                 {"depfile", "$description"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}});
  EXPECT_EXIT(Command(e), testing::ExitedWithCode(1),
              "cycle in rule variables: description -> depfile -> description");
  // Asking for depfile alone loops the other way round.
  EXPECT_EXIT(GetBinding(graph_, e, RuleKey::kDepfile), testing::ExitedWithCode(1),
              "cycle in rule variables: description -> depfile -> description");
}

TEST_F(EdgeEnvTest, AnEdgeBindingBreaksTheCycle) {
  // The edge's own value is used instead of the rule's, so no loop.
  const RuleId r =
      AddRule("r", {{"command", "$description"}, {"description", "$command"}});
  const EdgeId e = AddEdge(r, {.outs = {"o"}, .bindings = {{"description", "fixed"}}});
  EXPECT_EQ("fixed", Command(e));
}

}  // namespace
}  // namespace composer
