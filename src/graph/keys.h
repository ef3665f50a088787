// Names with a fixed meaning. They are interned first, in this order, so a
// rule key's NameId equals its enum value and lookups need no hashing.
#pragma once

#include <cstdint>
#include <string_view>

#include "graph/ids.h"

namespace composer {

enum class RuleKey : uint8_t {
  // Ninja's rule variables.
  kCommand,
  kDepfile,
  kDyndep,
  kDescription,
  kDeps,
  kGenerator,
  kPool,
  kRestat,
  kRspfile,
  kRspfileContent,
  kMsvcDepsPrefix,
  // Composer's own, reserved for the cache, test selection and scheduling.
  kCache,
  kTest,
  kEnv,
  kMemory,
  kOutdirs,
  kCount,
};

constexpr int kRuleKeyCount = static_cast<int>(RuleKey::kCount);

inline constexpr std::string_view kRuleKeyNames[kRuleKeyCount] = {
    "command",          "depfile", "dyndep", "description", "deps",
    "generator",        "pool",    "restat", "rspfile",     "rspfile_content",
    "msvc_deps_prefix", "cache",   "test",   "env",         "memory",
    "outdirs",
};

constexpr NameId KeyName(RuleKey key) {
  return NameId(static_cast<uint32_t>(key));
}

// The variables an edge defines implicitly.
constexpr NameId kNameIn{kRuleKeyCount};
constexpr NameId kNameInNewline{kRuleKeyCount + 1};
constexpr NameId kNameOut{kRuleKeyCount + 2};
constexpr uint32_t kFixedNameCount = kRuleKeyCount + 3;

// The rule key named by `name`, if it is one.
inline bool AsRuleKey(NameId name, RuleKey* key) {
  if (name.value >= static_cast<uint32_t>(kRuleKeyCount)) return false;
  *key = static_cast<RuleKey>(name.value);
  return true;
}

}  // namespace composer
