// --summary FILE: a JSON record of one build (totals, the cache's counters,
// and one record per edge the targets needed) for later tools (explain,
// telemetry) to read. doc/manual.md describes the fields.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cache/action_cache.h"
#include "cache/remote_store.h"
#include "exec/builder.h"
#include "plan/build_state.h"

namespace composer {

struct SummaryInput {
  const BuildState* state = nullptr;
  std::vector<NodeId> targets;
  const std::vector<EdgeReport>* reports = nullptr;  // null: nothing ran
  const ActionCache* cache = nullptr;                // null: cache off
  const RemoteStore::Stats* remote = nullptr;        // null: no remote store
  int exit_code = 0;
  int64_t duration_millis = 0;
};

// Writes the summary to `path` (a temporary file renamed over it). False
// with *err naming the path.
bool WriteSummary(const std::string& path, const SummaryInput& input, std::string* err);

}  // namespace composer
