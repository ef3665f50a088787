// Path canonicalisation with Ninja's exact results: "." components vanish,
// ".." backs up over a previous component when there is one, repeated
// slashes collapse, trailing slashes go.
#pragma once

#include <cstddef>
#include <string>

namespace composer {

// Canonicalises path[0, *len) in place; *len receives the new length.
// The result is never longer than the input.
void CanonicalizePath(char* path, size_t* len);

void CanonicalizePath(std::string* path);

}  // namespace composer
