// -t graph [targets]: the graph in Graphviz's dot language.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "plan/build_state.h"
#include "plan/dyndep_loader.h"
#include "tools/tools.h"
#include "util/log.h"

namespace composer {

namespace {

// Ninja names dot vertices by pointer; ids in two disjoint ranges do the
// same job and print in the same shape.
const void* NodeVertex(NodeId node) {
  return reinterpret_cast<const void*>(0x100000000ull + 16ull * node.value);
}
const void* EdgeVertex(EdgeId edge) {
  return reinterpret_cast<const void*>(0x800000000ull + 16ull * edge.value);
}

}  // namespace

int ToolGraph(ToolContext& context, int argc, char** argv) {
  std::vector<std::string> names(argv + 1, argv + argc);
  Graph& graph = *context.graph;
  BuildState dyndep_state(context.graph);
  DyndepLoader dyndep_loader(&dyndep_state, context.file_system);
  std::vector<NodeId> targets;
  std::string err;
  if (!CollectTargets(graph, names, &targets, &err)) {
    Error("%s", err.c_str());
    return 1;
  }

  printf("digraph ninja {\n");
  printf("rankdir=\"LR\"\n");
  printf("node [fontsize=10, shape=box, height=0.25]\n");
  printf("edge [fontsize=10]\n");

  std::vector<bool> visited_nodes(graph.node_count(), false);
  std::vector<bool> visited_edges(graph.edge_count(), false);
  // Loading a dyndep file can add nodes; grow the marks with the graph.
  auto grow = [&] {
    visited_nodes.resize(graph.node_count(), false);
    visited_edges.resize(graph.edge_count(), false);
  };
  // Pre-order, inputs in order: an explicit stack of (node) visits in the
  // order Ninja's recursion makes them.
  std::vector<NodeId> stack(targets.rbegin(), targets.rend());
  while (!stack.empty()) {
    const NodeId node = stack.back();
    stack.pop_back();
    grow();
    if (visited_nodes[node.value]) continue;
    visited_nodes[node.value] = true;
    std::string label(graph.Path(node));
    std::replace(label.begin(), label.end(), '\\', '/');
    printf("\"%p\" [label=\"%s\"]\n", NodeVertex(node), label.c_str());

    const EdgeId edge = graph.in_edge(node);
    if (!edge.valid() || visited_edges[edge.value]) continue;
    visited_edges[edge.value] = true;
    // Show what a dyndep file that already exists adds.
    const NodeId dyndep = graph.edge(edge).dyndep;
    if (dyndep.valid() && dyndep_state.dyndep_pending(dyndep)) {
      std::string dyndep_err;
      if (!dyndep_loader.LoadDyndeps(dyndep, &dyndep_err))
        Warning("%s\n", dyndep_err.c_str());
    }
    std::span<const NodeId> inputs = graph.inputs(edge);
    std::span<const NodeId> outputs = graph.outputs(edge);
    const std::string rule(graph.Name(graph.rule(graph.edge(edge).rule).name));
    if (inputs.size() == 1 && outputs.size() == 1) {
      printf("\"%p\" -> \"%p\" [label=\" %s\"]\n", NodeVertex(inputs[0]),
             NodeVertex(outputs[0]), rule.c_str());
    } else {
      printf("\"%p\" [label=\"%s\", shape=ellipse]\n", EdgeVertex(edge), rule.c_str());
      for (NodeId out : outputs)
        printf("\"%p\" -> \"%p\"\n", EdgeVertex(edge), NodeVertex(out));
      const Edge& e = graph.edge(edge);
      for (uint32_t i = 0; i < inputs.size(); ++i) {
        printf("\"%p\" -> \"%p\" [arrowhead=none%s]\n", NodeVertex(inputs[i]),
               EdgeVertex(edge), e.is_order_only_in(i) ? " style=dotted" : "");
      }
    }
    for (auto it = inputs.rbegin(); it != inputs.rend(); ++it) stack.push_back(*it);
  }
  printf("}\n");
  return 0;
}

}  // namespace composer
