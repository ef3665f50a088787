// -t compdb [-x] [rules]: a JSON compilation database (compile_commands.json).
#include <getopt.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "graph/edge_env.h"
#include "tools/tools.h"
#include "util/escape.h"
#include "util/log.h"

namespace composer {

namespace {

// With -x, "@rspfile" in the command is replaced by the response file's
// content (newlines turned into spaces), so tools see the real arguments.
std::string CommandExpandingRspfile(const Graph& graph, EdgeId edge) {
  std::string command = EvaluateCommand(graph, edge);
  const std::string rspfile = GetUnescapedBinding(graph, edge, RuleKey::kRspfile);
  if (rspfile.empty()) return command;
  const size_t index = command.find(rspfile);
  if (index == 0 || index == std::string::npos || command[index - 1] != '@')
    return command;
  std::string content = GetBinding(graph, edge, RuleKey::kRspfileContent);
  for (char& c : content) {
    if (c == '\n') c = ' ';
  }
  command.replace(index - 1, rspfile.size() + 1, content);
  return command;
}

}  // namespace

int ToolCompdb(ToolContext& context, int argc, char** argv) {
  bool expand_rspfile = false;
  optind = 1;
  int opt;
  while ((opt = getopt(argc, argv, "hx")) != -1) {
    if (opt == 'x') {
      expand_rspfile = true;
      continue;
    }
    printf(
        "usage: %s -t compdb [options] [rules]\n"
        "\n"
        "options:\n"
        "  -x     expand @rspfile style response file invocations\n",
        std::string(CurrentPersonality().program).c_str());
    return 1;
  }
  std::vector<std::string> rules(argv + optind, argv + argc);

  std::vector<char> cwd(1024);
  while (!getcwd(cwd.data(), cwd.size())) {
    if (errno != ERANGE) {
      Error("cannot determine working directory: %s", strerror(errno));
      return 1;
    }
    cwd.resize(cwd.size() * 2);
  }

  const Graph& graph = *context.graph;
  std::string out = "[";
  bool first = true;
  for (uint32_t e = 0; e < graph.edge_count(); ++e) {
    const EdgeId edge(e);
    if (graph.inputs(edge).empty()) continue;
    const std::string_view rule = graph.Name(graph.rule(graph.edge(edge).rule).name);
    // An edge is printed once for every time its rule is named.
    size_t times = rules.empty() ? 1 : 0;
    for (const std::string& name : rules) times += name == rule;
    for (size_t t = 0; t < times; ++t) {
      if (!first) out += ',';
      first = false;
      out += "\n  {\n    \"directory\": \"";
      AppendJsonEscaped(cwd.data(), &out);
      out += "\",\n    \"command\": \"";
      AppendJsonEscaped(expand_rspfile ? CommandExpandingRspfile(graph, edge)
                                       : EvaluateCommand(graph, edge),
                        &out);
      out += "\",\n    \"file\": \"";
      AppendJsonEscaped(graph.Path(graph.inputs(edge)[0]), &out);
      out += "\",\n    \"output\": \"";
      AppendJsonEscaped(graph.Path(graph.outputs(edge)[0]), &out);
      out += "\"\n  }";
    }
    if (out.size() > (1 << 16)) {
      fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  out += "\n]\n";
  fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace composer
