// Building binary records in native byte order: a value's bytes appended
// to a string (the state files and the watcher's messages; see
// doc/formats.md). Readers memcpy them back out.
#pragma once

#include <string>
#include <type_traits>

namespace composer {

template <typename T>
void Put(std::string* out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace composer
