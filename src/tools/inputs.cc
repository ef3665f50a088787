// -t inputs [targets]: every input needed to build the targets, sorted.
#include <getopt.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "tools/tools.h"
#include "util/escape.h"
#include "util/log.h"

namespace composer {

int ToolInputs(ToolContext& context, int argc, char** argv) {
  optind = 1;
  static const option kLongOptions[] = {{"help", no_argument, nullptr, 'h'},
                                        {nullptr, 0, nullptr, 0}};
  int opt;
  while ((opt = getopt_long(argc, argv, "h", kLongOptions, nullptr)) != -1) {
    printf(
        "Usage '-t inputs [options] [targets]\n"
        "\n"
        "List all inputs used for a set of targets. Note that this includes\n"
        "explicit, implicit and order-only inputs, but not validation ones.\n\n"
        "Options:\n"
        "  -h, --help   Print this message.\n");
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

  std::vector<bool> seen(graph.edge_count(), false);
  std::vector<EdgeId> stack;
  std::vector<std::string> result;
  for (NodeId target : targets) {
    const EdgeId root = graph.in_edge(target);
    if (!root.valid() || seen[root.value]) continue;
    seen[root.value] = true;
    stack.push_back(root);
    while (!stack.empty()) {
      const EdgeId edge = stack.back();
      stack.pop_back();
      for (NodeId in : graph.inputs(edge)) {
        const EdgeId producer = graph.in_edge(in);
        if (producer.valid() && !seen[producer.value]) {
          seen[producer.value] = true;
          stack.push_back(producer);
        }
      }
      if (graph.is_phony(edge)) continue;
      for (NodeId in : graph.inputs(edge)) {
        std::string path;
        AppendShellEscaped(graph.Path(in), &path);
        result.push_back(std::move(path));
      }
    }
  }
  // Sorted and unique, so the order of the walk does not matter.
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  for (const std::string& path : result) {
    fwrite(path.data(), 1, path.size(), stdout);
    fputc('\n', stdout);
  }
  return 0;
}

}  // namespace composer
