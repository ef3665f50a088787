#include "cli/summary.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace composer {

namespace {

const char* OutcomeName(EdgeReport::Outcome outcome) {
  switch (outcome) {
    case EdgeReport::Outcome::kBuilt:
      return "built";
    case EdgeReport::Outcome::kCachedLocal:
      return "cached-local";
    case EdgeReport::Outcome::kCachedRemote:
      return "cached-remote";
    case EdgeReport::Outcome::kFailed:
      return "failed";
  }
  return "built";
}

// The non-phony edges the targets need, in dependency order.
std::vector<EdgeId> NeededEdges(const Graph& graph, const std::vector<NodeId>& targets) {
  std::vector<EdgeId> edges;
  std::vector<uint8_t> seen(graph.edge_count());
  std::vector<std::pair<NodeId, bool>> stack;  // node, inputs pushed
  for (NodeId target : targets) stack.emplace_back(target, false);
  while (!stack.empty()) {
    auto [node, expanded] = stack.back();
    stack.pop_back();
    const EdgeId edge = graph.in_edge(node);
    if (!edge.valid()) continue;
    if (expanded) {
      if (!graph.is_phony(edge)) edges.push_back(edge);
      continue;
    }
    if (seen[edge.value]) continue;
    seen[edge.value] = 1;
    stack.emplace_back(node, true);
    for (NodeId in : graph.inputs(edge)) stack.emplace_back(in, false);
  }
  return edges;
}

}  // namespace

bool WriteSummary(const std::string& path, const SummaryInput& input, std::string* err) {
  const Graph& graph = input.state->graph();
  std::unordered_map<uint32_t, const EdgeReport*> by_edge;
  if (input.reports) {
    for (const EdgeReport& report : *input.reports) by_edge[report.edge.value] = &report;
  }
  nlohmann::json edges = nlohmann::json::array();
  std::unordered_map<std::string, int> totals;
  for (const char* name :
       {"built", "cached-local", "cached-remote", "up-to-date", "failed", "not-run"})
    totals[name] = 0;
  for (EdgeId edge : NeededEdges(graph, input.targets)) {
    nlohmann::json record;
    nlohmann::json outputs = nlohmann::json::array();
    for (NodeId out : graph.outputs(edge))
      outputs.push_back(std::string(graph.Path(out)));
    record["outputs"] = std::move(outputs);
    auto it = by_edge.find(edge.value);
    std::string status;
    if (it != by_edge.end()) {
      status = OutcomeName(it->second->outcome);
      record["duration_ms"] = it->second->duration_millis;
      if (!it->second->cache_key.empty()) record["cache_key"] = it->second->cache_key;
    } else {
      // Up to date, or left out because the build stopped first.
      status = input.state->outputs_ready(edge) ? "up-to-date" : "not-run";
    }
    ++totals[status];
    record["status"] = status;
    edges.push_back(std::move(record));
  }

  nlohmann::json summary;
  summary["version"] = 1;
  summary["exit_code"] = input.exit_code;
  summary["duration_ms"] = input.duration_millis;
  summary["totals"] = {{"edges", edges.size()},
                       {"built", totals["built"]},
                       {"cached_local", totals["cached-local"]},
                       {"cached_remote", totals["cached-remote"]},
                       {"up_to_date", totals["up-to-date"]},
                       {"failed", totals["failed"]},
                       {"not_run", totals["not-run"]}};
  CacheStats stats;
  if (input.cache) stats = input.cache->stats();
  // stores: results written to the local store; uploads: results the
  // remote accepted (their action entries, each after its blobs).
  summary["cache"] = {{"enabled", input.cache != nullptr},
                      {"hits_local", stats.hits_local},
                      {"hits_remote", stats.hits_remote},
                      {"misses", stats.misses},
                      {"stores", stats.stores},
                      {"uploads", input.remote ? input.remote->entries_uploaded : 0},
                      {"upload_errors", input.remote ? input.remote->upload_errors : 0},
                      {"errors", stats.errors},
                      {"saved_ms", stats.saved_ms}};
  summary["edges"] = std::move(edges);

  const std::string text = summary.dump(2) + "\n";
  const std::string temp = path + ".tmp";
  FILE* f = fopen(temp.c_str(), "wb");
  if (!f) {
    *err = "opening " + temp + ": " + strerror(errno);
    return false;
  }
  const bool ok = fwrite(text.data(), 1, text.size(), f) == text.size();
  if (fclose(f) != 0 || !ok || rename(temp.c_str(), path.c_str()) != 0) {
    *err = "writing " + path + ": " + strerror(errno);
    remove(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace composer
