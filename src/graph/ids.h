// Strong integer ids for the graph's plain arrays. An id is an index; the
// type keeps a node index from being used where an edge index belongs.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace composer {

template <typename Tag>
struct Id {
  static constexpr uint32_t kInvalid = UINT32_MAX;
  uint32_t value = kInvalid;

  constexpr Id() = default;
  constexpr explicit Id(uint32_t v) : value(v) {}
  constexpr bool valid() const { return value != kInvalid; }
  friend constexpr auto operator<=>(Id, Id) = default;
};

using NodeId = Id<struct NodeTag>;
using EdgeId = Id<struct EdgeTag>;
using RuleId = Id<struct RuleTag>;
using PoolId = Id<struct PoolTag>;
using ScopeId = Id<struct ScopeTag>;
using NameId = Id<struct NameTag>;    // interned variable, rule and pool names
using ValueId = Id<struct ValueTag>;  // interned, already evaluated strings

}  // namespace composer

template <typename Tag>
struct std::hash<composer::Id<Tag>> {
  size_t operator()(composer::Id<Tag> id) const noexcept { return id.value; }
};
