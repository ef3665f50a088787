// Ninja's .ninja_deps (version 4): the inputs each output's command
// discovered (from a depfile or /showIncludes), so they need not be re-read
// on every build. Binary and append-only: path records give nodes dense ids,
// deps records list an output's discovered inputs by id. A record torn by a
// crash is cut off on the next load.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "state/build_log.h"
#include "util/chunked_array.h"

namespace composer {

class DepsLog {
 public:
  struct Deps {
    int64_t mtime = 0;  // the output's mtime when the deps were recorded
    std::span<const NodeId> nodes;
  };

  ~DepsLog();

  // Reads the log, creating graph nodes for every path it names. A bad
  // signature discards the file; a torn tail is truncated. Either way the
  // warning goes to *err with status kSuccess.
  LoadStatus Load(const std::string& path, Graph* graph, std::string* err);

  const Deps* GetDeps(NodeId node) const;
  // The first output whose recorded deps include `node` (for "foo.h^").
  NodeId FirstReverseDepsNode(NodeId node) const;
  // Outputs that have deps recorded, in log id order.
  std::vector<NodeId> NodesWithDeps() const;

  // `is_live` says whether an output's deps are still wanted (it is
  // produced by an edge with a "deps" binding); used by recompaction.
  bool OpenForWrite(const std::string& path, const std::function<bool(NodeId)>& is_live,
                    const Graph& graph, std::string* err);
  bool RecordDeps(const Graph& graph, NodeId output, int64_t mtime,
                  std::span<const NodeId> inputs, std::string* err);
  void Close();
  bool Recompact(const std::string& path, const std::function<bool(NodeId)>& is_live,
                 const Graph& graph, std::string* err);

 private:
  bool EnsureOpen(std::string* err);
  bool WriteRecord(const void* data, size_t size, std::string* err);
  bool RecordId(const Graph& graph, NodeId node, std::string* err);
  void SetDeps(int32_t out_id, int64_t mtime, const NodeId* nodes, uint32_t count);
  int32_t IdOf(NodeId node) const {
    return node.value < id_of_node_.size() ? id_of_node_[node.value] : -1;
  }

  // Log ids: nodes_[id] is the node with that id; id_of_node_ the reverse.
  std::vector<NodeId> nodes_;
  std::vector<int32_t> id_of_node_;
  // Deps by output log id. The node lists live in chunks that never move,
  // so spans handed out stay valid while records are added.
  std::vector<Deps> deps_;
  std::vector<bool> has_deps_;
  ChunkedArray<NodeId> storage_;
  bool needs_recompaction_ = false;

  std::string path_;
  FILE* file_ = nullptr;
};

}  // namespace composer
