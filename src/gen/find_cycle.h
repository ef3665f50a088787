// Cycle detection for the generator's graphs (packages, tasks): nodes are
// 0..count-1, edges from a callback.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace composer {

// A cycle as its nodes in order, the first repeated at the end ({a, b, a});
// empty when the graph has none.
std::vector<int> FindCycle(size_t count,
                           const std::function<const std::vector<int>&(int)>& edges);

// The first cycle as "a -> b -> a" with each node's label; "" when none.
std::string DescribeCycle(size_t count,
                          const std::function<const std::vector<int>&(int)>& edges,
                          const std::function<std::string(int)>& label);

}  // namespace composer
