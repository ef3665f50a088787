// -t commands [-s] [targets]: the commands that build the targets, inputs'
// commands first.
#include <getopt.h>

#include <cstdio>
#include <vector>

#include "graph/edge_env.h"
#include "tools/tools.h"
#include "util/log.h"

namespace composer {

int ToolCommands(ToolContext& context, int argc, char** argv) {
  bool whole_chain = true;
  optind = 1;
  int opt;
  while ((opt = getopt(argc, argv, "hs")) != -1) {
    if (opt == 's') {
      whole_chain = false;
      continue;
    }
    printf(
        "usage: %s -t commands [options] [targets]\n"
        "\n"
        "options:\n"
        "  -s     only print the final command to build [target], not the whole chain\n",
        std::string(CurrentPersonality().program).c_str());
    return 1;
  }
  std::vector<std::string> names(argv + optind, argv + argc);
  const Graph& graph = *context.graph;
  std::vector<NodeId> targets;
  std::string err;
  if (!CollectTargets(graph, names, &targets, &err)) {
    Error("%s", err.c_str());
    return 1;
  }

  // Post-order walk (inputs' edges before the edge), iterative so deep
  // chains cannot exhaust the stack.
  std::vector<bool> seen(graph.edge_count(), false);
  struct Frame {
    EdgeId edge;
    uint32_t next_input;
  };
  std::vector<Frame> stack;
  auto visit = [&](EdgeId edge) {
    if (!edge.valid() || seen[edge.value]) return;
    seen[edge.value] = true;
    stack.push_back(Frame{edge, 0});
  };
  for (NodeId target : targets) {
    visit(graph.in_edge(target));
    while (!stack.empty()) {
      Frame& frame = stack.back();
      std::span<const NodeId> inputs = graph.inputs(frame.edge);
      if (whole_chain && frame.next_input < inputs.size()) {
        visit(graph.in_edge(inputs[frame.next_input++]));
        continue;
      }
      const EdgeId edge = frame.edge;
      stack.pop_back();
      if (!graph.is_phony(edge)) {
        const std::string command = EvaluateCommand(graph, edge);
        fwrite(command.data(), 1, command.size(), stdout);
        fputc('\n', stdout);
      }
    }
  }
  return 0;
}

}  // namespace composer
