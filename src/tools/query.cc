// -t query TARGET...: a node's producing edge, its inputs, and its users.
#include <cstdio>
#include <string>

#include "plan/build_state.h"
#include "plan/dyndep_loader.h"
#include "tools/tools.h"
#include "util/log.h"

namespace composer {

int ToolQuery(ToolContext& context, int argc, char** argv) {
  if (argc <= 1) {
    Error("expected a target to query");
    return 1;
  }
  Graph& graph = *context.graph;
  BuildState dyndep_state(context.graph);
  DyndepLoader dyndep_loader(&dyndep_state, context.file_system);
  for (int i = 1; i < argc; ++i) {
    std::string err;
    const NodeId node = CollectTarget(graph, argv[i], &err, context.deps_log);
    if (!node.valid()) {
      Error("%s", err.c_str());
      return 1;
    }
    const std::string path(graph.Path(node));
    printf("%s:\n", path.c_str());
    const EdgeId edge = graph.in_edge(node);
    if (edge.valid()) {
      // Show what a dyndep file that already exists adds.
      const NodeId dyndep = graph.edge(edge).dyndep;
      if (dyndep.valid() && dyndep_state.dyndep_pending(dyndep)) {
        std::string dyndep_err;
        if (!dyndep_loader.LoadDyndeps(dyndep, &dyndep_err))
          Warning("%s\n", dyndep_err.c_str());
      }
      const Edge& e = graph.edge(edge);
      printf("  input: %s\n", std::string(graph.Name(graph.rule(e.rule).name)).c_str());
      std::span<const NodeId> inputs = graph.inputs(edge);
      for (uint32_t in = 0; in < inputs.size(); ++in) {
        const char* label = e.is_implicit_in(in)     ? "| "
                            : e.is_order_only_in(in) ? "|| "
                                                     : "";
        printf("    %s%s\n", label, std::string(graph.Path(inputs[in])).c_str());
      }
      std::span<const NodeId> validations = graph.validations(edge);
      if (!validations.empty()) {
        printf("  validations:\n");
        for (NodeId v : validations)
          printf("    %s\n", std::string(graph.Path(v)).c_str());
      }
    }
    printf("  outputs:\n");
    for (EdgeId out_edge : graph.out_edges(node)) {
      for (NodeId out : graph.outputs(out_edge))
        printf("    %s\n", std::string(graph.Path(out)).c_str());
    }
    std::span<const EdgeId> validation_edges = graph.validation_out_edges(node);
    if (!validation_edges.empty()) {
      printf("  validation for:\n");
      for (EdgeId v : validation_edges) {
        for (NodeId out : graph.outputs(v))
          printf("    %s\n", std::string(graph.Path(out)).c_str());
      }
    }
  }
  return 0;
}

}  // namespace composer
