// -t clean [-g] [-r] [targets|rules] and -t cleandead: remove built files.
#include <getopt.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "graph/edge_env.h"
#include "graph/output_dirs.h"
#include "plan/build_state.h"
#include "plan/dyndep_loader.h"
#include "state/build_log.h"
#include "tools/tools.h"
#include "util/canon_path.h"
#include "util/file_system.h"
#include "util/file_tree.h"
#include "util/log.h"

namespace composer {

namespace {

class Cleaner {
 public:
  explicit Cleaner(ToolContext& context)
      : context_(context),
        graph_(*context.graph),
        state_(context.graph),
        uses_outdirs_(graph_.BindsAnywhere(RuleKey::kOutdirs)) {}

  int CleanAll(bool include_generator) {
    PrintHeader();
    LoadDyndeps();
    for (uint32_t e = 0; e < graph_.edge_count(); ++e) {
      const EdgeId edge(e);
      if (graph_.is_phony(edge)) continue;
      // A generator's outputs (the manifest) stay unless asked for.
      if (!include_generator && GetBindingBool(graph_, edge, RuleKey::kGenerator))
        continue;
      for (NodeId out : graph_.outputs(edge)) Remove(std::string(graph_.Path(out)));
      RemoveEdgeFiles(edge);
    }
    PrintFooter();
    return status_;
  }

  int CleanTargets(const std::vector<std::string>& targets) {
    PrintHeader();
    LoadDyndeps();
    for (std::string name : targets) {
      if (name.empty()) {
        Error("failed to canonicalize '': empty path");
        status_ = 1;
        continue;
      }
      CanonicalizePath(&name);
      const NodeId target = graph_.LookupNode(name);
      if (!target.valid()) {
        Error("unknown target '%s'", name.c_str());
        status_ = 1;
        continue;
      }
      if (IsVerbose()) printf("Target %s\n", name.c_str());
      CleanTarget(target);
    }
    PrintFooter();
    return status_;
  }

  int CleanRules(const std::vector<std::string>& rules) {
    PrintHeader();
    LoadDyndeps();
    for (const std::string& name : rules) {
      const NameId id = graph_.FindName(name);
      const RuleId rule =
          id.valid() ? graph_.LookupRule(Graph::kRootScope, id) : RuleId();
      if (!rule.valid()) {
        Error("unknown rule '%s'", name.c_str());
        status_ = 1;
        continue;
      }
      if (IsVerbose()) printf("Rule %s\n", name.c_str());
      for (uint32_t e = 0; e < graph_.edge_count(); ++e) {
        if (graph_.rule(graph_.edge(EdgeId(e)).rule).name != graph_.rule(rule).name)
          continue;
        for (NodeId out : graph_.outputs(EdgeId(e))) {
          Remove(std::string(graph_.Path(out)));
          RemoveEdgeFiles(EdgeId(e));
        }
      }
    }
    PrintFooter();
    return status_;
  }

  // Outputs in the build log that nothing in the manifest or deps log
  // mentions any more.
  int CleanDead(const BuildLog& log) {
    PrintHeader();
    for (uint32_t i = 0; i < log.size(); ++i) {
      const NodeId node = graph_.LookupNode(log.path(i));
      if (!node.valid() ||
          (!graph_.in_edge(node).valid() && graph_.out_edges(node).empty()))
        Remove(std::string(log.path(i)));
    }
    PrintFooter();
    return status_;
  }

 private:
  bool IsVerbose() const { return context_.verbose || context_.dry_run; }

  void PrintHeader() {
    printf("Cleaning...");
    printf(IsVerbose() ? "\n" : " ");
    fflush(stdout);
  }
  void PrintFooter() { printf("%d files.\n", cleaned_count_); }

  bool FileExists(const std::string& path) {
    std::string err;
    const FileStat st = context_.file_system->Stat(path, &err);
    if (st.kind == FileStat::kError) Error("%s", err.c_str());
    return st.exists();
  }

  void Report(const std::string& path) {
    ++cleaned_count_;
    if (IsVerbose()) printf("Remove %s\n", path.c_str());
  }

  void Remove(const std::string& path) {
    if (!removed_.insert(path).second) return;
    if (context_.dry_run) {
      if (FileExists(path)) Report(path);
      return;
    }
    std::string err;
    const int result = context_.file_system->RemoveFile(path, &err);
    if (result == 0) {
      Report(path);
    } else if (result < 0) {
      Error("%s", err.c_str());
      status_ = 1;
    }
  }

  void RemoveEdgeFiles(EdgeId edge) {
    const std::string depfile = GetUnescapedBinding(graph_, edge, RuleKey::kDepfile);
    if (!depfile.empty()) Remove(depfile);
    const std::string rspfile = GetUnescapedBinding(graph_, edge, RuleKey::kRspfile);
    if (!rspfile.empty()) Remove(rspfile);
    if (uses_outdirs_) {
      for (const std::string& dir : OutputDirs(graph_, edge)) RemoveDirectoryTree(dir);
    }
  }

  // An output directory (`outdirs`) goes as a whole, and counts as one.
  void RemoveDirectoryTree(const std::string& dir) {
    if (!CheckOutputDir(dir).empty() || !removed_.insert(dir).second) return;
    if (!FileExists(dir)) return;
    std::string err;
    if (!context_.dry_run && !RemoveTree(dir, &err)) {
      Error("%s", err.c_str());
      status_ = 1;
      return;
    }
    Report(dir);
  }

  void CleanTarget(NodeId target) {
    std::vector<NodeId> stack{target};
    while (!stack.empty()) {
      const NodeId node = stack.back();
      stack.pop_back();
      if (!cleaned_.insert(node.value).second) continue;
      const EdgeId edge = graph_.in_edge(node);
      if (!edge.valid()) continue;
      if (!graph_.is_phony(edge)) {
        Remove(std::string(graph_.Path(node)));
        RemoveEdgeFiles(edge);
      }
      const std::span<const NodeId> inputs = graph_.inputs(edge);
      for (auto it = inputs.rbegin(); it != inputs.rend(); ++it) stack.push_back(*it);
    }
  }

  // Dyndep files that exist already name outputs to clean too.
  void LoadDyndeps() {
    DyndepLoader loader(&state_, context_.file_system);
    for (uint32_t e = 0; e < graph_.edge_count(); ++e) {
      const NodeId dyndep = graph_.edge(EdgeId(e)).dyndep;
      if (!dyndep.valid() || !state_.dyndep_pending(dyndep)) continue;
      std::string err;
      loader.LoadDyndeps(dyndep, &err);  // clean what is known; ignore errors
    }
  }

  ToolContext& context_;
  Graph& graph_;
  BuildState state_;
  bool uses_outdirs_;
  std::set<std::string> removed_;
  std::set<uint32_t> cleaned_;
  int cleaned_count_ = 0;
  int status_ = 0;
};

}  // namespace

int ToolClean(ToolContext& context, int argc, char** argv) {
  bool include_generator = false;
  bool clean_rules = false;
  optind = 1;
  int opt;
  while ((opt = getopt(argc, argv, "hgr")) != -1) {
    switch (opt) {
      case 'g':
        include_generator = true;
        break;
      case 'r':
        clean_rules = true;
        break;
      default:
        printf(
            "usage: %s -t clean [options] [targets]\n"
            "\n"
            "options:\n"
            "  -g     also clean files marked as ninja generator output\n"
            "  -r     interpret targets as a list of rules to clean instead\n",
            std::string(CurrentPersonality().program).c_str());
        return 1;
    }
  }
  std::vector<std::string> args(argv + optind, argv + argc);
  if (clean_rules && args.empty()) {
    Error("expected a rule to clean");
    return 1;
  }
  Cleaner cleaner(context);
  if (!args.empty())
    return clean_rules ? cleaner.CleanRules(args) : cleaner.CleanTargets(args);
  return cleaner.CleanAll(include_generator);
}

int ToolCleanDead(ToolContext& context, int, char**) {
  Cleaner cleaner(context);
  return cleaner.CleanDead(*context.build_log);
}

}  // namespace composer
