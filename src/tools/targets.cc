// -t targets [depth N | rule [NAME] | all]: targets by depth, rule, or all.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "tools/tools.h"
#include "util/log.h"
#include "util/spellcheck.h"

namespace composer {

namespace {

void PrintPath(const Graph& graph, NodeId node) {
  std::string_view path = graph.Path(node);
  fwrite(path.data(), 1, path.size(), stdout);
}

void PrintRuleName(const Graph& graph, EdgeId edge) {
  std::string_view name = graph.Name(graph.rule(graph.edge(edge).rule).name);
  fwrite(name.data(), 1, name.size(), stdout);
}

// Each node with its rule, then (to `depth`, or without end when depth <= 0)
// the inputs of its edge, indented.
void ListByDepth(const Graph& graph, std::span<const NodeId> nodes, int depth,
                 int indent) {
  for (NodeId node : nodes) {
    for (int i = 0; i < indent; ++i) fputs("  ", stdout);
    PrintPath(graph, node);
    const EdgeId edge = graph.in_edge(node);
    if (!edge.valid()) {
      fputc('\n', stdout);
      continue;
    }
    fputs(": ", stdout);
    PrintRuleName(graph, edge);
    fputc('\n', stdout);
    if (depth > 1 || depth <= 0)
      ListByDepth(graph, graph.inputs(edge), depth - 1, indent + 1);
  }
}

}  // namespace

int ToolTargets(ToolContext& context, int argc, char** argv) {
  const Graph& graph = *context.graph;
  int depth = 1;
  if (argc >= 2) {
    const std::string mode = argv[1];
    if (mode == "rule") {
      const std::string rule = argc > 2 ? argv[2] : "";
      if (rule.empty()) {
        // Sources: inputs no edge produces, in edge order.
        for (uint32_t e = 0; e < graph.edge_count(); ++e) {
          for (NodeId in : graph.inputs(EdgeId(e))) {
            if (graph.in_edge(in).valid()) continue;
            PrintPath(graph, in);
            fputc('\n', stdout);
          }
        }
        return 0;
      }
      std::set<std::string_view> outputs;
      for (uint32_t e = 0; e < graph.edge_count(); ++e) {
        if (graph.Name(graph.rule(graph.edge(EdgeId(e)).rule).name) != rule) continue;
        for (NodeId out : graph.outputs(EdgeId(e))) outputs.insert(graph.Path(out));
      }
      for (std::string_view path : outputs) {
        fwrite(path.data(), 1, path.size(), stdout);
        fputc('\n', stdout);
      }
      return 0;
    }
    if (mode == "depth") {
      if (argc > 2) depth = atoi(argv[2]);
    } else if (mode == "all") {
      for (uint32_t e = 0; e < graph.edge_count(); ++e) {
        for (NodeId out : graph.outputs(EdgeId(e))) {
          PrintPath(graph, out);
          fputs(": ", stdout);
          PrintRuleName(graph, EdgeId(e));
          fputc('\n', stdout);
        }
      }
      return 0;
    } else {
      const char* suggestion = SpellcheckString(mode, {"rule", "depth", "all"});
      if (suggestion)
        Error("unknown target tool mode '%s', did you mean '%s'?", mode.c_str(),
              suggestion);
      else
        Error("unknown target tool mode '%s'", mode.c_str());
      return 1;
    }
  }

  std::string err;
  const std::vector<NodeId> roots = graph.RootNodes(&err);
  if (!err.empty()) {
    Error("%s", err.c_str());
    return 1;
  }
  ListByDepth(graph, roots, depth, 0);
  return 0;
}

}  // namespace composer
