#include "gen/find_cycle.h"

#include <algorithm>

namespace composer {

std::vector<int> FindCycle(size_t count,
                           const std::function<const std::vector<int>&(int)>& edges) {
  enum State : char { kUnvisited, kOnStack, kDone };
  std::vector<State> state(count, kUnvisited);
  std::vector<int> stack, cycle;
  std::function<bool(int)> visit = [&](int node) {
    state[node] = kOnStack;
    stack.push_back(node);
    for (int next : edges(node)) {
      if (state[next] == kOnStack) {
        cycle.assign(std::find(stack.begin(), stack.end(), next), stack.end());
        cycle.push_back(next);
        return true;
      }
      if (state[next] == kUnvisited && visit(next)) return true;
    }
    stack.pop_back();
    state[node] = kDone;
    return false;
  };
  for (size_t i = 0; i < count; ++i)
    if (state[i] == kUnvisited && visit(static_cast<int>(i))) break;
  return cycle;
}

std::string DescribeCycle(size_t count,
                          const std::function<const std::vector<int>&(int)>& edges,
                          const std::function<std::string(int)>& label) {
  std::string text;
  for (int node : FindCycle(count, edges))
    text += (text.empty() ? "" : " -> ") + label(node);
  return text;
}

}  // namespace composer
