// -t rules [-d]: the rules of the top-level scope, sorted.
#include <getopt.h>

#include <cstdio>
#include <string>

#include "tools/tools.h"
#include "util/log.h"

namespace composer {

int ToolRules(ToolContext& context, int argc, char** argv) {
  bool print_description = false;
  optind = 1;
  int opt;
  while ((opt = getopt(argc, argv, "hd")) != -1) {
    if (opt == 'd') {
      print_description = true;
      continue;
    }
    printf(
        "usage: %s -t rules [options]\n"
        "\n"
        "options:\n"
        "  -d     also print the description of the rule\n"
        "  -h     print this message\n",
        std::string(CurrentPersonality().program).c_str());
    return 1;
  }
  const Graph& graph = *context.graph;
  for (RuleId id : graph.RulesInScope(Graph::kRootScope)) {
    const Rule& rule = graph.rule(id);
    std::string line(graph.Name(rule.name));
    if (print_description) {
      if (const EvalString* description = rule.binding(RuleKey::kDescription)) {
        line += ": ";
        line += description->Unparse(graph.names());
      }
    }
    line += '\n';
    fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

}  // namespace composer
