#include "plan/dyndep_loader.h"

#include <vector>

#include "util/debug_flags.h"
#include "util/file_system.h"

namespace composer {

bool DyndepLoader::LoadDyndeps(NodeId node, DyndepFile* file, std::string* err) const {
  Graph& graph = state_->graph();
  state_->set_dyndep_pending(node, false);
  const std::string path(graph.Path(node));
  Explain("loading dyndep file '%s'", path.c_str());

  std::string contents;
  if (file_system_->ReadFile(path, &contents, err) != FileSystem::ReadStatus::kOkay) {
    *err = "loading '" + path + "': " + *err;
    return false;
  }
  if (!ParseDyndepFile(&graph, path, contents, file, err)) return false;
  state_->Grow();

  // Every edge that names this file must be in it. Copy the out edges first:
  // updating an edge adds out edges to other nodes.
  std::vector<EdgeId> users;
  for (EdgeId edge : graph.out_edges(node)) users.push_back(edge);
  for (EdgeId edge : users) {
    if (graph.edge(edge).dyndep != node) continue;
    auto it = file->find(edge);
    if (it == file->end()) {
      *err = "'" + std::string(graph.Path(graph.outputs(edge)[0])) +
             "' not mentioned in its dyndep file '" + path + "'";
      return false;
    }
    it->second.used = true;
    if (it->second.restat) state_->set_dyndep_restat(edge);
    if (!graph.AddDyndepPaths(edge, it->second.implicit_outputs,
                              it->second.implicit_inputs, err))
      return false;
  }
  for (const auto& [edge, dyndeps] : *file) {
    if (dyndeps.used) continue;
    *err = "dyndep file '" + path + "' mentions output '" +
           std::string(graph.Path(graph.outputs(edge)[0])) +
           "' whose build statement does not have a dyndep binding for the file";
    return false;
  }
  return true;
}

}  // namespace composer
